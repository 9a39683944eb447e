// Times report.html for a 30-minute, 8-client full-load run (18000
// throughput buckets, 1800 per-second latency entries, a failover every 5
// minutes, 400 lost elements) and prints time and size.
#include <chrono>
#include <cstdio>

#include "reports/renderer.h"
#include "reports/test_fixtures.h"

int main() {
  nlohmann::json results = sc::reports::testing::BigRun(1800, 8, 400);
  sc::reports::HtmlRunReport html;
  sc::reports::JunitRun junit;
  html.Render(results);  // warm-up
  const int kRounds = 5;
  auto start = std::chrono::steady_clock::now();
  size_t bytes = 0;
  for (int i = 0; i < kRounds; ++i) bytes = html.Render(results).size();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / kRounds;
  std::printf("report: 30-min run rendered in %.3f s, %zu KB\n", secs, bytes / 1024);
  start = std::chrono::steady_clock::now();
  bytes = junit.Render(results).size();
  secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("junit: rendered in %.4f s, %zu KB\n", secs, bytes / 1024);
  return 0;
}
