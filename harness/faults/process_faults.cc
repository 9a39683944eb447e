// Process faults: kill (restart as opposite) and pause (SIGSTOP / SIGCONT).
#include <signal.h>

#include "harness/faults/fault.h"
#include "harness/faults/fault_kinds.h"
#include "topology/process.h"

namespace sc::faults {

using topology::Service;

namespace {
Service ServiceOf(const scenario::FaultSpec& s) {
  return s.process == scenario::Process::kRedis ? Service::kRedis : Service::kSentinel;
}
std::string ProgramOf(Service s) { return s == Service::kRedis ? "redis-server" : "redis-sentinel"; }
}  // namespace

void KillFault::Start(topology::Backend& b, const Roles& roles) {
  target_ = ResolveTarget(b, roles, spec_.target);
  const Service svc = ServiceOf(spec_);
  const int sig = spec_.signal == "TERM" ? SIGTERM : SIGKILL;
  pid_t pid = b.Pid(target_, svc);
  if (pid == 0) throw FaultError("no " + ProgramOf(svc) + " runs on " + target_ + " to kill");
  b.Signal(target_, svc, sig);
  MarkEffect();
  detail_ = ProgramOf(svc) + " pid " + std::to_string(pid) + (sig == SIGKILL ? " SIGKILL" : " SIGTERM");
}

void KillFault::Stop(topology::Backend& b, std::optional<scenario::UpMode>) {
  const Service svc = ServiceOf(spec_);
  // Wait for the old process to be gone (SIGTERM takes a moment), then start it.
  topology::WaitFor([&] { return b.Pid(target_, svc) == 0 || b.Supervised(); }, 5000, 2);
  b.Start(target_, svc);
  MarkEffect();
  detail_ = b.Supervised() ? "left to supervisord" : ProgramOf(svc) + " started again";
}

void PauseFault::Start(topology::Backend& b, const Roles& roles) {
  target_ = ResolveTarget(b, roles, spec_.target);
  const Service svc = ServiceOf(spec_);
  pid_ = b.Pid(target_, svc);
  if (pid_ == 0) throw FaultError("no " + ProgramOf(svc) + " runs on " + target_ + " to pause");
  start_time_ = topology::ProcessStartTime(pid_);
  topology::SignalPid(pid_, start_time_, SIGSTOP);
  MarkEffect();
  detail_ = ProgramOf(svc) + " pid " + std::to_string(pid_) + " SIGSTOP";
}

void PauseFault::Stop(topology::Backend&, std::optional<scenario::UpMode>) {
  topology::SignalPid(pid_, start_time_, SIGCONT);
  MarkEffect();
  detail_ = "pid " + std::to_string(pid_) + " SIGCONT";
}

}  // namespace sc::faults
