// Benchmark (not a test): how exactly faults hold their instants over a
// library run. For every fault of every run it reads results.json:
//   lateness  = start_ns - scheduled_start_ns (came into force after its instant)
//   stop late = stop_ns - scheduled_stop_ns
//   `for T`   = (stop_ns - start_ns) - for_ns (held longer or shorter than T)
// and prints median and worst of each.
//
//   bench_fault_timing [DIR]   DIR: runs to read (a suite's output); without
//                              it, runs `sentinel-chaos suite scenarios/` first.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/source_dir.h"
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
    const std::string bin = fs::canonical("/proc/self/exe").parent_path().parent_path().parent_path() / "sentinel-chaos";
    std::printf("running the library: %s suite %s/scenarios --out %s\n", bin.c_str(), sc::SourceDir(), dir.c_str());
    std::fflush(stdout);
    auto r = sc::topology::RunCommand({bin, "suite", std::string(sc::SourceDir()) + "/scenarios", "--out", dir});
    std::printf("suite exit code %d\n", r.exit_code);
  }
  Stats late, stop_late, held;
  int runs = 0;
  for (auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().filename() != "results.json" || e.path().parent_path().filename() == "latest") continue;
    nlohmann::json j;
    try {
      std::ifstream(e.path()) >> j;
    } catch (...) {
      continue;
    }
    ++runs;
    for (auto& f : j.value("faults", nlohmann::json::array())) {
      auto num = [&](const char* k) { return f.contains(k) && f[k].is_number(); };
      if (num("start_ns") && num("scheduled_start_ns"))
        late.ms.push_back((f["start_ns"].get<double>() - f["scheduled_start_ns"].get<double>()) / 1e6);
      if (num("stop_ns") && num("scheduled_stop_ns"))
        stop_late.ms.push_back((f["stop_ns"].get<double>() - f["scheduled_stop_ns"].get<double>()) / 1e6);
      if (num("stop_ns") && num("start_ns") && num("for_ns"))
        held.ms.push_back((f["stop_ns"].get<double>() - f["start_ns"].get<double>() - f["for_ns"].get<double>()) / 1e6);
    }
  }
  std::printf("%d runs read from %s\n", runs, dir.c_str());
  late.Print("fault lateness (in force - scheduled)");
  stop_late.Print("stop lateness (out of force - scheduled)");
  held.Print("`for T` error (held - T)");
  return late.ms.empty() ? 1 : 0;
}
