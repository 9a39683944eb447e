// kill: SIGKILL / SIGTERM a redis-server or redis-sentinel; `restart` starts it
// again with its config and on-disk state (with a supervisor, the supervisor does).
#include <signal.h>

#include "harness/faults/process_fault.h"
#include "topology/process.h"

namespace sc::faults {
namespace {

class KillFault : public ProcessFault {
 public:
  using ProcessFault::ProcessFault;

  void Start(topology::Backend& b) override {
    ArmIfNot(b);
    const auto svc = ServiceOf(spec_);
    const int sig = spec_.Option("signal") == "TERM" ? SIGTERM : SIGKILL;
    // The backend signals the process that runs now (it checks the pid again).
    if (!b.Signal(target_, svc, sig)) throw FaultError("no " + ProgramOf(svc) + " runs on " + target_ + " to kill");
    MarkEffect();
    detail_ = ProgramOf(svc) + " pid " + std::to_string(pid_) + (sig == SIGKILL ? " SIGKILL" : " SIGTERM");
  }

  void Stop(topology::Backend& b, const StopOptions&) override {
    const auto svc = ServiceOf(spec_);
    // Wait for the old process to be gone (SIGTERM takes a moment), then start it.
    topology::WaitFor([&] { return b.Pid(target_, svc) == 0 || b.Supervised(); }, 5000, 2);
    b.Start(target_, svc);
    MarkEffect();
    detail_ = b.Supervised() ? "left to supervisord" : ProgramOf(svc) + " started again";
  }
};

}  // namespace

FaultKind KillFaultKind() {
  FaultKind k;
  k.keyword = "kill";
  k.noun = "a kill";
  k.usage = "kill redis|sentinel on TARGET";
  k.description = "the process gets SIGKILL (default) or SIGTERM; it stays down until restarted";
  k.example = "at 5s kill redis on master signal=TERM as m1";
  k.syntax = [](FaultWords& w, scenario::FaultSpec&) { ProcessOnTargetSyntax("kill", w); };
  k.options = {ChoiceOption("signal", {"KILL", "TERM"}, "KILL", "the signal sent", "SIG")};
  k.stop = {"restart", {}};
  k.describe = [](const scenario::FaultSpec& f) {
    return "kill " + f.Option("process") + " (SIG" + f.Option("signal") + ") on " + f.target;
  };
  k.check = CheckProcessOnTarget;
  k.make = [](const scenario::FaultSpec& f, const std::string& tag) { return std::make_unique<KillFault>(f, tag); };
  return k;
}

}  // namespace sc::faults
