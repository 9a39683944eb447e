// slow: a noisy neighbour. Every process of the server (redis-server and its
// Sentinel, and any started while the fault holds) gets at most N % of one
// core, through the cgroup cpu controller of the node's cgroup (v1
// cpu.cfs_quota_us, v2 cpu.max: topology/cgroup.h). Checked before the run:
// without a cpu controller the run stops at once saying what to mount.
// period=N (ms, default 100, the kernel's) is the accounting period: the
// share is granted per period, so a long period gives long stalls once it is
// spent (cpu=5 period=1000: about 950 ms frozen every second), as a
// throttled container does. `stop NAME` / `for T` lifts the cap.
#include "harness/faults/fault.h"
#include "harness/faults/fault_kind.h"

namespace sc::faults {
namespace {

class SlowFault : public Fault {
 public:
  using Fault::Fault;

  void Start(topology::Backend& b) override {
    target_ = Resolve(b, spec_.target);
    try {
      b.SetCpuLimit(target_, std::stoi(spec_.Option("cpu")) / 100.0, std::stoi(spec_.Option("period")) * 1000);
    } catch (const topology::EnvironmentError& e) {
      throw FaultError(e.what());
    }
    MarkEffect();  // the quota is written: the kernel throttles from its next period
    detail_ = "every process capped to " + spec_.Option("cpu") + " % of one core per " + spec_.Option("period") +
              " ms (cgroup cpu controller)";
  }

  void Stop(topology::Backend& b, const StopOptions&) override {
    b.SetCpuLimit(target_, 0);
    MarkEffect();
    detail_ = "CPU cap lifted";
  }
};

}  // namespace

FaultKind SlowFaultKind() {
  FaultKind k;
  k.keyword = "slow";
  k.noun = "a slow node";
  k.usage = "slow TARGET";
  k.description =
      "a noisy neighbour: every process of the server (redis-server, its Sentinel, any started meanwhile) gets at most "
      "N % of one core per period, through the cgroup cpu controller";
  k.example = "at 3s slow master cpu=5 period=1000ms for 10s";
  k.syntax = [](FaultWords& w, scenario::FaultSpec&) { w.TakeTarget(); };
  k.options = {IntOption("cpu", 1, 100, "", "share of one core left to the server's processes", "%",
                         "'slow' needs cpu=N, the share of one core left to the server (1 to 100), e.g. slow master cpu=10"),
               IntOption("period", 1, 1000, "100", "the accounting period in ms: the longest stall once the share is spent", "ms")};
  k.describe = [](const scenario::FaultSpec& f) { 
    return "slow " + f.target + " (cpu " + f.Option("cpu") + " % per " + f.Option("period") + " ms)";
  };
  k.preflight = [](const scenario::FaultSpec&, const topology::Backend& b) { return b.CpuLimitProblem(); };
  k.make = [](const scenario::FaultSpec& f, const std::string& tag) { return std::make_unique<SlowFault>(f, tag); };
  return k;
}

}  // namespace sc::faults
