// The runner arms a fault (Fault::Arm: targets resolved, everything readied)
// before its instant and starts it (the commit) only at it; faults due at the
// same instant are all armed before the first is started; a stop is armed
// (ArmStop) before its own instant. A test-only kind records when each call
// came, so the ordering is checked on a real run whatever the machine's load.
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>

#include "harness/faults/fault.h"
#include "harness/faults/fault_kind.h"
#include "harness/runner/runner.h"
#include "harness/scenario/parser.h"
#include "harness/scenario/test_figures.h"
#include "topology/test_support.h"

namespace sc::runner {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// When each call reached each probe (by fault id).
struct Calls {
  Clock::time_point arm, start, arm_stop, stop;
  int arms = 0;
  std::string armed_master;  // the master in the roles Arm was given
};
std::mutex calls_mu;
std::map<std::string, Calls> calls;

// probe TARGET: does nothing but record when it was armed, started, armed
// to stop and stopped.
class ProbeFault : public faults::Fault {
 public:
  using Fault::Fault;
  void Arm(topology::Backend& b, const faults::Roles& roles) override {
    Fault::Arm(b, roles);
    std::lock_guard<std::mutex> l(calls_mu);
    auto& c = calls[spec_.id];
    c.arm = Clock::now();
    ++c.arms;
    for (auto& [node, role] : roles)
      if (role == "master") c.armed_master = node;
  }
  void Start(topology::Backend& b) override {
    target_ = Resolve(b, spec_.target);
    MarkEffect();
    std::lock_guard<std::mutex> l(calls_mu);
    calls[spec_.id].start = took_effect();
  }
  void ArmStop(topology::Backend&, const faults::StopOptions&) override {
    std::lock_guard<std::mutex> l(calls_mu);
    calls[spec_.id].arm_stop = Clock::now();
  }
  void Stop(topology::Backend&, const faults::StopOptions&) override {
    MarkEffect();
    std::lock_guard<std::mutex> l(calls_mu);
    calls[spec_.id].stop = took_effect();
  }
};

void RegisterOnce() {
  if (faults::FaultKinds().Find("probe")) return;
  faults::FaultKind k;
  k.keyword = "probe";
  k.noun = "a probe";
  k.usage = "probe TARGET";
  k.description = "records when the runner arms and starts it (test-only kind)";
  k.syntax = [](faults::FaultWords& w, scenario::FaultSpec&) { w.TakeTarget(); };
  k.describe = [](const scenario::FaultSpec& f) { return "probe " + f.target; };
  k.make = [](const scenario::FaultSpec& f, const std::string& tag) { return std::make_unique<ProbeFault>(f, tag); };
  faults::FaultKinds().Register(k);
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

TEST(ArmedFaults, AreArmedBeforeTheirInstantAndStartedOnlyAtIt) {
  RegisterOnce();
  {
    std::lock_guard<std::mutex> l(calls_mu);
    calls.clear();
  }
  const std::string before = topology::testing::HostSnapshot();
  const std::string out = fs::temp_directory_path() / ("sc-arm-test-" + std::to_string(getpid()));
  auto r = scenario::ParseScenario(R"(scenario "armed faults"
topology single
load clients=1 workload=set duration=3s
at 1s probe master for 500ms as a
      probe master as b
at 2s stop b
)",
                                   "t.chaos", scenario::testing::ResultsDocContext());
  ASSERT_TRUE(r.ok()) << r.ErrorText();
  RunSettings rs;
  rs.out_root = out;
  rs.quiet = true;
  RunOutcome o = runner::Run(*r.plan, rs);
  EXPECT_EQ(o.exit_code, 0) << o.error << o.results.dump(1);
  ASSERT_EQ(o.results["faults"].size(), 2u) << o.results["faults"].dump(1);

  std::lock_guard<std::mutex> l(calls_mu);
  const Calls a = calls["a"], b = calls["b"];
  std::printf("a: armed %.3f ms before its start, stop armed %.3f ms before its stop\n", Ms(a.start - a.arm),
              Ms(a.stop - a.arm_stop));
  std::printf("b: armed %.3f ms before a's start, started %.3f ms after a's\n", Ms(a.start - b.arm),
              Ms(b.start - a.start));
  // Armed once each, against the observer's roles (single: n1 is master).
  EXPECT_EQ(a.arms, 1);
  EXPECT_EQ(b.arms, 1);
  EXPECT_EQ(a.armed_master, "n1");
  // Armed before the start; the second fault of the same instant armed
  // before the first was started; the stop armed before it came.
  EXPECT_LT(a.arm, a.start);
  EXPECT_LT(b.arm, a.start);
  EXPECT_LE(a.start, b.start);
  EXPECT_LT(a.arm_stop, a.stop);
  EXPECT_LT(b.arm_stop, b.stop);
  // Never in force before the scheduled instant, and `for 500ms` held from
  // the instant it came into force (recorded instants, printed).
  for (const auto& f : o.results["faults"]) {
    const int64_t start = f["start_ns"].get<int64_t>(), scheduled = f["scheduled_start_ns"].get<int64_t>();
    std::printf("%s: in force %+.3f ms after its instant\n", f["id"].get<std::string>().c_str(), (start - scheduled) / 1e6);
    EXPECT_GE(start, scheduled) << f.dump();
    if (f["id"] == "a") {
      std::printf("a: held %.3f ms (500 asked)\n", (f["stop_ns"].get<int64_t>() - start) / 1e6);
      EXPECT_GE(f["stop_ns"].get<int64_t>() - start, 500'000'000) << f.dump();
    }
  }
  fs::remove_all(out);
  EXPECT_EQ(topology::testing::HostSnapshot(), before) << "the host's network or rules changed";
}

}  // namespace
}  // namespace sc::runner
