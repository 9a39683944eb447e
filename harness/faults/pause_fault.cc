// pause: SIGSTOP the process; `resume` sends SIGCONT to the same process.
#include <signal.h>

#include "harness/faults/process_fault.h"
#include "topology/process.h"

namespace sc::faults {
namespace {

class PauseFault : public ProcessFault {
 public:
  using ProcessFault::ProcessFault;

  // Also notes the process's start time: resume signals only that process.
  void Arm(topology::Backend& b, const Roles& roles) override {
    ProcessFault::Arm(b, roles);
    start_time_ = topology::ProcessStartTime(pid_);
  }

  void Start(topology::Backend& b) override {
    ArmIfNot(b);
    const auto svc = ServiceOf(spec_);
    // Signals only the very process armed (same pid and start time).
    if (!topology::SignalPid(pid_, start_time_, SIGSTOP))
      throw FaultError("the " + ProgramOf(svc) + " found on " + target_ + " exited before it could be paused");
    MarkEffect();
    detail_ = ProgramOf(svc) + " pid " + std::to_string(pid_) + " SIGSTOP";
  }

  void Stop(topology::Backend&, const StopOptions&) override {
    topology::SignalPid(pid_, start_time_, SIGCONT);
    MarkEffect();
    detail_ = "pid " + std::to_string(pid_) + " SIGCONT";
  }

 private:
  unsigned long long start_time_ = 0;
};

}  // namespace

FaultKind PauseFaultKind() {
  FaultKind k;
  k.keyword = "pause";
  k.noun = "a pause";
  k.usage = "pause redis|sentinel on TARGET";
  k.description = "the process gets SIGSTOP (its connections stay open); resume sends SIGCONT";
  k.example = "at 5s pause redis on master for 600ms";
  k.syntax = [](FaultWords& w, scenario::FaultSpec&) { ProcessOnTargetSyntax("pause", w); };
  k.stop = {"resume", {}};
  k.describe = [](const scenario::FaultSpec& f) { return "pause " + f.Option("process") + " (SIGSTOP) on " + f.target; };
  k.check = CheckProcessOnTarget;
  k.make = [](const scenario::FaultSpec& f, const std::string& tag) { return std::make_unique<PauseFault>(f, tag); };
  return k;
}

}  // namespace sc::faults
