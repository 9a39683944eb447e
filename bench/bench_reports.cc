// Times report.html for a 30-minute, 8-client full-load run (18000
// throughput buckets, 1800 per-second latency entries, a failover every 5
// minutes, 400 lost elements) and prints time and size.
//   bench_reports [DIR]   also writes the report to DIR/report.html, to look at.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "reports/renderer.h"
#include "reports/test_fixtures.h"

int main(int argc, char** argv) {
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
  // What `sentinel-chaos report` does: parse results.json, then render.
  std::string text = results.dump();
  start = std::chrono::steady_clock::now();
  bytes = html.Render(nlohmann::json::parse(text)).size();
  secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("report: results.json (%zu KB) parsed and rendered in %.3f s\n", text.size() / 1024, secs);
  start = std::chrono::steady_clock::now();
  bytes = junit.Render(results).size();
  secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("junit: rendered in %.4f s, %zu bytes\n", secs, bytes);
  if (argc > 1) std::ofstream(std::string(argv[1]) + "/report.html") << html.Render(results);
  return 0;
}
