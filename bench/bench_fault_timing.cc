// Benchmark (not a test): how exactly faults hold their instants over a
// library run. For every fault of every run it reads results.json:
//   lateness  = start_ns - scheduled_start_ns (came into force after its instant)
//   stop late = stop_ns - scheduled_stop_ns
//   `for T`   = (stop_ns - start_ns) - for_ns (held longer or shorter than T)
// and prints median and worst of each; and, from each run's journal and the
// system's own logs (harness/runner/stamp_check.h), how far the recorded
// event instants are from them: Sentinel events vs Sentinel's log lines,
// promotions vs the server's "MASTER MODE enabled" line, VIP moves vs the
// hook's stamps, and how much later pub/sub and the polls saw the same.
//
//   bench_fault_timing [DIR]   DIR: runs to read (a suite's output); without
//                              it, runs `sentinel-chaos suite scenarios/` first.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/run_results.h"
#include "common/source_dir.h"
#include "harness/history/history.h"
#include "harness/runner/stamp_check.h"
#include "topology/process.h"

namespace fs = std::filesystem;

namespace {

struct Stats {
  std::vector<double> ms;
  void Print(const char* what) const {
    if (ms.empty()) {
      std::printf("%-40s NOT MEASURED (no fault had it)\n", what);
      return;
    }
    std::vector<double> v = ms;
    std::sort(v.begin(), v.end());
    auto worst = *std::max_element(v.begin(), v.end(), [](double a, double b) { return std::abs(a) < std::abs(b); });
    std::printf("%-40s median %+.3f ms, worst %+.3f ms over %zu faults\n", what, v[v.size() / 2], worst, v.size());
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  if (argc > 1) {
    dir = argv[1];
  } else {
    dir = "/tmp/sentinel-chaos-bench-timing";
    fs::remove_all(dir);
    const std::string bin = fs::canonical("/proc/self/exe").parent_path().parent_path() / "sentinel-chaos";
    std::printf("running the library: %s suite %s/scenarios --out %s\n", bin.c_str(), sc::SourceDir(), dir.c_str());
    std::fflush(stdout);
    // The whole library takes 15-25 minutes (RunCommand's default limit is 30 s).
    auto r = sc::topology::RunCommand({bin, "suite", std::string(sc::SourceDir()) + "/scenarios", "--out", dir}, "",
                                      3 * 3600 * 1000);
    std::printf("suite exit code %d\n", r.exit_code);
  }
  Stats late, stop_late, held;
  std::map<std::string, Stats> late_by_kind, held_by_kind;
  std::vector<double> sentinel_err, pubsub_lag, promo_err, promo_lag, vip_err, vip_lag;
  int runs = 0, not_applied = 0, sentinel_events = 0, unmatched = 0, from_pubsub = 0, promos = 0, promos_j = 0, vips = 0, vips_j = 0;
  runs = sc::bench::ForEachRunResults(dir, [&](const fs::path& run_dir, const nlohmann::json& j) {
    const sc::runner::StampCheck c = sc::runner::CheckStamps(run_dir.string());
    if (!c.problem.empty()) std::printf("%s: %s\n", run_dir.c_str(), c.problem.c_str());
    auto add = [](std::vector<double>& to, const std::vector<double>& from) { to.insert(to.end(), from.begin(), from.end()); };
    add(sentinel_err, c.sentinel_error_ms), add(pubsub_lag, c.pubsub_lag_ms), add(promo_err, c.promotion_error_ms);
    add(promo_lag, c.promotion_poll_lag_ms), add(vip_err, c.vip_error_ms), add(vip_lag, c.vip_poll_lag_ms);
    sentinel_events += c.sentinel_events, unmatched += c.unmatched, from_pubsub += c.from_pubsub;
    promos += c.promotions_logged, promos_j += c.promotions_journaled, vips += c.vip_moves_logged, vips_j += c.vip_moves_journaled;
    for (auto& f : j.value("faults", nlohmann::json::array())) {
      auto num = [&](const char* k) { return f.contains(k) && f[k].is_number(); };
      // A fault that found no target never came into force: its instant is
      // when that was decided, not a lateness.
      if (f.value("detail", std::string()).rfind(sc::kFaultNotApplied, 0) == 0) {
        ++not_applied;
        continue;
      }
      if (num("start_ns") && num("scheduled_start_ns")) {
        late.ms.push_back((f["start_ns"].get<double>() - f["scheduled_start_ns"].get<double>()) / 1e6);
        late_by_kind[f.value("kind", std::string("?"))].ms.push_back(late.ms.back());
      }
      if (num("stop_ns") && num("scheduled_stop_ns"))
        stop_late.ms.push_back((f["stop_ns"].get<double>() - f["scheduled_stop_ns"].get<double>()) / 1e6);
      if (num("stop_ns") && num("start_ns") && num("for_ns")) {
        held.ms.push_back((f["stop_ns"].get<double>() - f["start_ns"].get<double>() - f["for_ns"].get<double>()) / 1e6);
        held_by_kind[f.value("kind", std::string("?"))].ms.push_back(held.ms.back());
      }
    }
  });
  std::printf("%d runs read from %s\n", runs, dir.c_str());
  std::printf("%d faults not applied (no target then), left out of the figures\n", not_applied);
  late.Print("fault lateness (in force - scheduled)");
  stop_late.Print("stop lateness (out of force - scheduled)");
  held.Print("`for T` error (held - T)");
  for (auto& [kind, st] : late_by_kind) st.Print(("  lateness, " + kind).c_str());
  for (auto& [kind, st] : held_by_kind) st.Print(("  `for T` error, " + kind).c_str());
  using sc::runner::Summary;
  std::printf("%-40s %s; %d events, %d without a log line, %d stamped on arrival\n",
              "Sentinel event stamp - Sentinel's log", Summary(sentinel_err).c_str(), sentinel_events, unmatched,
              from_pubsub);
  std::printf("%-40s %s\n", "  pub/sub arrival after Sentinel's log", Summary(pubsub_lag).c_str());
  std::printf("%-40s %s; %d of %d logged promotions journaled\n", "promotion stamp - server's log",
              Summary(promo_err).c_str(), promos_j, promos);
  std::printf("%-40s %s\n", "  role poll after the server's log", Summary(promo_lag).c_str());
  std::printf("%-40s %s; %d of %d hook moves journaled\n", "VIP move stamp - hook's stamp", Summary(vip_err).c_str(),
              vips_j, vips);
  std::printf("%-40s %s\n", "  VIP poll after the hook", Summary(vip_lag).c_str());
  // Unmeasured is a failure, and so is an event stamp off by 2 ms or more.
  bool ok = !late.ms.empty() && !sentinel_err.empty() && unmatched == 0;
  for (double v : sentinel_err) ok &= std::abs(v) < 2.0;
  return ok ? 0 : 1;
}
