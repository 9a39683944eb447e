#include "harness/faults/process_fault.h"

namespace sc::faults {

void ProcessOnTargetSyntax(const std::string& keyword, FaultWords& w) {
  const std::string p = w.TakeOneOf({"redis", "sentinel"}, "expected redis or sentinel after '" + keyword + "'", "process");
  w.Expect("on", "expected 'on' after '" + keyword + " " + p + "', e.g. " + keyword + " " + p + " on master");
  w.TakeTarget();
}

topology::Service ServiceOf(const scenario::FaultSpec& spec) {
  return spec.Option("process") == "sentinel" ? topology::Service::kSentinel : topology::Service::kRedis;
}

std::string ProgramOf(topology::Service s) { return s == topology::Service::kRedis ? "redis-server" : "redis-sentinel"; }

void CheckProcessOnTarget(const scenario::FaultSpec& f, const TopologyCheck& c) {
  if (f.Option("process") == "sentinel") {
    auto where = f.word_where.find("process");
    if (c.topology().Sentinels() == 0) {
      c.Report(where == f.word_where.end() ? f.where : where->second, c.TopologyName() + " runs no Sentinel");
      return;
    }
    if (auto e = c.SentinelProblem(f.target)) {
      c.Report(f.target_where, *e);
      return;
    }
  }
  if (auto e = c.ServerProblem(f.target)) c.Report(f.target_where, *e);
}

void ProcessFault::Arm(topology::Backend& b, const Roles& roles) {
  Fault::Arm(b, roles);
  target_ = Resolve(b, spec_.target);
  const auto svc = ServiceOf(spec_);
  pid_ = b.Pid(target_, svc);
  if (pid_ == 0) throw FaultError("no " + ProgramOf(svc) + " runs on " + target_ + " to " + spec_.kind);
}

void ProcessFault::Disarm(topology::Backend& b) {
  pid_ = 0;
  Fault::Disarm(b);
}

}  // namespace sc::faults
