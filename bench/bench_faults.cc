// Benchmark (not a test): how fast faults take hold and heal, and the
// unavailability each failure class causes (median of 3 real runs each).
#include <filesystem>
#include <signal.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "harness/checkers/figures.h"
#include "harness/faults/fault.h"
#include "harness/runner/runner.h"
#include "harness/scenario/parser.h"
#include "topology/process.h"
#include "topology/session.h"

namespace {

// Set when a figure could not be measured: the benchmark then exits 1.
bool failed = false;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double Ms(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

void FaultSpeed() {
  using namespace sc;
  topology::Session s = topology::OpenSession(topology::Options{}, "");
  s.backend->Up();
  std::vector<double> apply, heal, kill;
  for (int i = 0; i < 20; ++i) {
    scenario::FaultSpec spec;
    spec.kind = "partition";
    spec.groups = {{"n2"}, {"n3"}};
    auto f = faults::MakeFault(spec, "B" + std::to_string(i));
    auto t0 = std::chrono::steady_clock::now();
    f->Start(*s.backend);
    auto t1 = std::chrono::steady_clock::now();
    f->Stop(*s.backend, {});
    auto t2 = std::chrono::steady_clock::now();
    apply.push_back(Ms(t0, t1));
    heal.push_back(Ms(t1, t2));
  }
  for (int i = 0; i < 5; ++i) {
    scenario::FaultSpec spec;
    spec.kind = "kill";
    spec.target = "n3";
    auto f = faults::MakeFault(spec, "K");
    auto t0 = std::chrono::steady_clock::now();
    f->Start(*s.backend);
    kill.push_back(Ms(t0, std::chrono::steady_clock::now()));
    f->Stop(*s.backend, {});
    topology::WaitFor([&] { return s.backend->Pid("n3", topology::Service::kRedis) != 0; }, 5000);
  }
  s.backend->Down();
  std::printf("fault in force: partition (rules committed in both namespaces) median %.2f ms, kill delivered median %.2f ms (target 5 ms)\n",
              Median(apply), Median(kill));
  std::printf("partition healed: median %.2f ms (target 5 ms)\n", Median(heal));
}

struct Case {
  const char* name;
  const char* scenario;
};

void Unavailability(int repeats) {
  using namespace sc;
  const Case cases[] = {
      {"sentinel3 master redis-server killed",
       "topology sentinel3 down-after=1s\nload clients=8 duration=14s\nat 3s kill redis on master as m\nat 10s restart m\n"},
      {"sentinel3 master's server down (reboot)",
       "topology sentinel3 down-after=1s\nload clients=8 duration=14s\nat 3s down master as d\nat 10s up d\n"},
      {"sentinel3 partition between two replicas",
       "topology sentinel3 down-after=1s\nload clients=8 duration=12s\nat 3s partition n2 | n3 for 6s\n"},
      {"sentinel3 master isolated, client still reaches it",
       "topology sentinel3 down-after=1s\nload clients=8 duration=14s\nat 3s partition master | others for 6s\n"},
      {"sentinel3 master isolated, min-replicas-to-write=1 max-lag=1",
       "topology sentinel3 down-after=1s min-replicas-to-write=1 min-replicas-max-lag=1\nload clients=8 duration=14s\n"
       "at 3s partition master | others for 6s\n"},
      {"sentinel2 server 1 down (master + a Sentinel)",
       "topology sentinel2 down-after=1s\nload clients=8 duration=14s\nat 3s down n1 as d\nat 9s up d\n"},
  };
  scenario::ParseContext ctx;
  ctx.is_known_figure = IsKnownFigure;
  ctx.figure_names = KnownFigureNames();
  for (auto& c : cases) {
    std::vector<double> longest, lost;
    for (int i = 0; i < repeats; ++i) {
      auto parsed = scenario::ParseScenario(std::string("scenario \"bench\"\n") + c.scenario, "bench.chaos", ctx);
      if (!parsed.ok()) {
        std::printf("%s: %s\n", c.name, parsed.ErrorText().c_str());
        return;
      }
      runner::RunSettings rs;
      rs.out_root = "/tmp/sentinel-chaos-bench";
      rs.quiet = true;
      auto out = runner::Run(*parsed.plan, rs);
      // An unmeasured figure is not 0: say so and fail the benchmark.
      const auto& fig = out.results.value("figures", nlohmann::json::object());
      if (out.exit_code > 1 || !fig.contains("unavailability.longest") || !fig.contains("lost")) {
        std::printf("%s: NOT MEASURED (exit %d%s%s)\n", c.name, out.exit_code, out.error.empty() ? "" : ": ",
                    out.error.c_str());
        failed = true;
        continue;
      }
      longest.push_back(fig["unavailability.longest"].get<double>());
      lost.push_back(fig["lost"].get<double>());
    }
    if (longest.empty()) continue;
    std::printf("%-62s longest unavailability median %.2f s, lost writes median %.0f  (%zu of %d runs measured)\n",
                c.name, Median(longest), Median(lost), longest.size(), repeats);
  }
  std::filesystem::remove_all("/tmp/sentinel-chaos-bench");
}

// How exactly a known outage is measured: the master paused for 1.5 s (no
// failover: down-after is 5 s) must show as one window of 1.5 s.
void Resolution(int repeats) {
  using namespace sc;
  scenario::ParseContext ctx;
  ctx.is_known_figure = IsKnownFigure;
  ctx.figure_names = KnownFigureNames();
  std::vector<double> errors;
  for (int i = 0; i < repeats; ++i) {
    auto parsed = scenario::ParseScenario(
        "scenario \"resolution\"\ntopology sentinel3 down-after=5s\nload clients=8 duration=6s\n"
        "at 2s pause redis on master for 1500ms\n", "resolution.chaos", ctx);
    runner::RunSettings rs;
    rs.out_root = "/tmp/sentinel-chaos-bench";
    rs.quiet = true;
    auto out = runner::Run(*parsed.plan, rs);
    const auto& fig = out.results.value("figures", nlohmann::json::object());
    if (out.exit_code > 1 || !fig.contains("unavailability.longest")) {
      std::printf("  SIGSTOP 1.5 s: NOT MEASURED (exit %d %s)\n", out.exit_code, out.error.c_str());
      failed = true;
      continue;
    }
    double longest = fig["unavailability.longest"].get<double>();
    errors.push_back(std::abs(longest - 1.5) * 1000);
    std::printf("  SIGSTOP 1.5 s measured as %.4f s (error %.1f ms)\n", longest, errors.back());
  }
  if (errors.empty()) return;
  std::printf("resolution: SIGSTOP of 1.5 s, median error %.1f ms, worst %.1f ms over %zu runs (target 5 ms)\n",
              Median(errors), *std::max_element(errors.begin(), errors.end()), errors.size());
  std::filesystem::remove_all("/tmp/sentinel-chaos-bench");
}

}  // namespace

int main(int argc, char** argv) {
  FaultSpeed();
  Resolution(5);
  Unavailability(argc > 1 ? std::atoi(argv[1]) : 3);
  if (failed) std::printf("bench_faults: some figures were NOT MEASURED (see above)\n");
  return failed ? 1 : 0;
}
