// failover: the planned failover operators run for maintenance. One Sentinel
// (via=nK, default n1, the first) is asked `SENTINEL FAILOVER <master>` over
// the control plane; it promotes a replica without waiting for any vote.
// Nothing to undo: `stop NAME` and `for T` only end the fault's interval.
#include "harness/faults/fault.h"
#include "harness/faults/fault_kind.h"
#include "topology/control.h"
#include "topology/converge.h"

namespace sc::faults {
namespace {

class FailoverFault : public Fault {
 public:
  using Fault::Fault;

  void Start(topology::Backend& b) override {
    const std::string via = spec_.Option("via");
    const topology::Node* n = b.layout().Find(via);
    if (!n || !n->sentinel) throw FaultError("no Sentinel runs on " + via);
    // The target is the master that is asked to step down.
    try {
      target_ = Resolve(b, "master");
    } catch (const FaultError&) {
      target_ = "?";  // the Sentinel may still know one; its reply says
    }
    auto r = topology::Ask(n->sentinel_socket(), {"SENTINEL", "FAILOVER", b.options().master_name}, "", 1000);
    if (!r.ok) throw FaultError("the Sentinel on " + via + " refused SENTINEL FAILOVER: " + r.text);
    MarkEffect();  // the Sentinel has accepted: the failover is under way
    detail_ = "SENTINEL FAILOVER " + b.options().master_name + " sent to the Sentinel on " + via + ": " + r.text;
  }

  void Stop(topology::Backend&, const StopOptions&) override {
    MarkEffect();
    detail_ = "nothing to undo";
  }
};

void Check(const scenario::FaultSpec& f, const TopologyCheck& c) {
  auto where = f.word_where.find("via");
  const scenario::Loc at = where == f.word_where.end() ? f.where : where->second;
  if (c.topology().Sentinels() == 0) {
    c.Report(f.where, c.TopologyName() + " runs no Sentinel to ask for a failover");
    return;
  }
  if (auto e = c.ServerProblem(f.Option("via"))) {
    c.Report(at, *e);
    return;
  }
  if (auto e = c.SentinelProblem(f.Option("via"))) c.Report(at, *e);
}

}  // namespace

FaultKind FailoverFaultKind() {
  FaultKind k;
  k.keyword = "failover";
  k.noun = "a planned failover";
  k.usage = "failover";
  k.description =
      "a planned failover: one Sentinel is asked SENTINEL FAILOVER over its unix socket and promotes a replica at "
      "once, without down-after or vote; stop has nothing to undo";
  k.example = "at 5s failover via=n2 as pf";
  k.options = {ServerOption("via", "n1", "the server whose Sentinel is asked")};
  k.describe = [](const scenario::FaultSpec& f) { return "planned failover (SENTINEL FAILOVER via " + f.Option("via") + ")"; };
  k.check = Check;
  k.make = [](const scenario::FaultSpec& f, const std::string& tag) { return std::make_unique<FailoverFault>(f, tag); };
  return k;
}

}  // namespace sc::faults
