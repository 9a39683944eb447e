// Benchmark (not a test): median of 5 `up` and `down` times for sentinel3.
// Targets: up <= 2 s, down <= 0.5 s.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "topology/session.h"

int main(int argc, char** argv) {
  using namespace sc::topology;
  const int runs = argc > 1 ? std::atoi(argv[1]) : 5;
  std::vector<double> ups, downs;
  for (int i = 0; i < runs; ++i) {
    Options o;
    Session s = OpenSession(o, "");
    auto t0 = std::chrono::steady_clock::now();
    s.backend->Up();
    auto t1 = std::chrono::steady_clock::now();
    s.backend->Down();
    auto t2 = std::chrono::steady_clock::now();
    ups.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    downs.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    std::printf("  run %d: up %.0f ms, down %.0f ms\n", i + 1, ups.back(), downs.back());
  }
  std::sort(ups.begin(), ups.end());
  std::sort(downs.begin(), downs.end());
  std::printf("topology sentinel3: median up %.0f ms (target 2000), median down %.0f ms (target 500), %d runs\n",
              ups[ups.size() / 2], downs[downs.size() / 2], runs);
}
