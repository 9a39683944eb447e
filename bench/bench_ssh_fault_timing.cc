// Benchmark (not a test): how late faults come into force over SSH, on the
// Vagrant-shaped environment (topology/vagrant_env.h: three sshd "VMs" with a
// management and a data link, the harness run inside the namespace that plays
// the harness machine, the deployed inventory) under full load: 8 clients
// writing through the VIP at full speed (rate=max) while faults of every kind
// the SSH backend makes are played: pause, partition of two replicas, client
// cut, kill (and restart), node down, master isolated.
//
// For every fault of every run it reads results.json: lateness = start_ns -
// scheduled_start_ns (in force minus scheduled), and prints median and worst,
// overall and per kind, with the machine's load average around the runs,
// and how late they went out of force (heal, restart, up).
// The target is 50 ms (issue 10).
//
//   bench_ssh_fault_timing [RUNS]   RUNS: how many runs (default 3)
// Run as root (it makes namespaces). Runs are kept in
// /tmp/sentinel-chaos-bench-ssh; the environment is removed at the end.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/run_results.h"
#include "topology/process.h"
#include "topology/vagrant_env.h"

namespace fs = std::filesystem;

namespace {

const char kScenario[] = R"(scenario "SSH fault lateness under full load"
description "Benchmark: faults of each kind made over SSH while 8 clients write at full speed."
topology sentinel3 replicas=2 down-after=1s failover-timeout=5s vip=on
load clients=8 workload=set via=vip rate=max duration=34s
at 3s pause redis on replica for 1s
at 6s partition n2 | n3 for 2s
at 10s cut client from replica for 2s
at 14s kill redis on master as k
after 6s restart k
at 24s down replica for 3s
at 29s partition master | others for 3s
expect settled == 1
)";

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

std::string MedianWorst(std::vector<double> v) {
  if (v.empty()) return "NOT MEASURED";
  std::sort(v.begin(), v.end());
  char buf[128];
  std::snprintf(buf, sizeof buf, "median %.1f ms, worst %.1f ms over %zu faults", v[v.size() / 2], v.back(), v.size());
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  const std::string out = "/tmp/sentinel-chaos-bench-ssh";
  fs::remove_all(out);
  fs::create_directories(out);
  const std::string file = out + "/ssh-fault-lateness.chaos";
  std::ofstream(file) << kScenario;

  std::vector<double> all, heal;
  std::map<std::string, std::vector<double>> by_kind;
  std::vector<std::string> loads;
  int exit3 = 0, late_flagged = 0;
  double ops_per_s_sum = 0;
  int ops_runs = 0;
  try {
    sc::topology::VagrantShapedEnv env("sb" + std::to_string(getpid() % 100000));
    std::printf("Vagrant-shaped environment up (%s); %d run(s) of %s, %ld cores\n", env.dir().c_str(), runs,
                file.c_str(), sysconf(_SC_NPROCESSORS_ONLN));
    for (int i = 0; i < runs; ++i) {
      const std::string before = LoadAverage();
      auto r = sc::topology::RunCommand(
          env.Harness({"run", file, "--inventory", env.deployed_inventory(), "--out", out + "/runs", "--quiet"}), "",
          600000);
      const std::string after = LoadAverage();
      loads.push_back(before + " -> " + after);
      std::printf("run %d: exit %d, load average %s -> %s\n", i + 1, r.exit_code, before.c_str(), after.c_str());
      if (r.exit_code == 3) ++exit3, std::printf("%s", r.output.c_str());
    }
    std::string left = env.Leftovers();
    if (!left.empty()) std::printf("LEFT ON THE HOSTS:\n%s", left.c_str());
    for (auto& id : env.Destroy()) std::printf("run %s's state was left\n", id.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_ssh_fault_timing: %s\n", e.what());
    return 2;
  }

  sc::bench::ForEachRunResults(out + "/runs", [&](const fs::path&, const nlohmann::json& j) {
    for (auto& f : j.value("faults", nlohmann::json::array())) {
      if (!f.contains("start_ns") || !f["start_ns"].is_number() || !f.contains("scheduled_start_ns") ||
          !f["scheduled_start_ns"].is_number())
        continue;
      double ms = (f["start_ns"].get<double>() - f["scheduled_start_ns"].get<double>()) / 1e6;
      all.push_back(ms);
      by_kind[f.value("kind", std::string("?"))].push_back(ms);
      late_flagged += f.value("late", false);
      if (f.contains("stop_ns") && f["stop_ns"].is_number() && f.contains("scheduled_stop_ns") &&
          f["scheduled_stop_ns"].is_number())
        heal.push_back((f["stop_ns"].get<double>() - f["scheduled_stop_ns"].get<double>()) / 1e6);
    }
    // The load actually carried: acknowledged writes per second (throughput buckets).
    auto tp = j.value("throughput", nlohmann::json::object());
    double ok = 0, n = 0;
    for (auto& b : tp.value("buckets", nlohmann::json::array())) ok += b.value("ok", 0.0), ++n;
    if (n > 0 && tp.value("bucket_ns", 0.0) > 0) ops_per_s_sum += ok / (n * tp["bucket_ns"].get<double>() / 1e9), ++ops_runs;
  });
  std::printf("\nfault lateness over SSH (in force - scheduled), full load (8 clients, rate=max):\n");
  std::printf("  %-12s %s\n", "all", MedianWorst(all).c_str());
  for (auto& [kind, v] : by_kind) std::printf("  %-12s %s\n", kind.c_str(), MedianWorst(v).c_str());
  std::printf("out of force (stop/heal/restart - scheduled): %s\n", MedianWorst(heal).c_str());
  if (ops_runs) std::printf("load carried: %.0f ops/s (mean of %d runs)\n", ops_per_s_sum / ops_runs, ops_runs);
  std::printf("faults flagged late by the runs: %d; runs that exited 3: %d\n", late_flagged, exit3);
  if (all.empty()) return 1;
  const double worst = *std::max_element(all.begin(), all.end());
  std::printf("target: in force within 50 ms of its schedule (median and worst): %s\n", worst <= 50 ? "met" : "NOT met");
  return 0;
}
