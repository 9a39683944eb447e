// cut: the client (the load generator's host) loses a server both ways; the
// servers still reach each other.
#include "harness/faults/drop_rules_fault.h"
#include "harness/faults/fault_kind.h"

namespace sc::faults {
namespace {

class ClientCutFault : public DropRulesFault {
 public:
  using DropRulesFault::DropRulesFault;

 protected:
  HostRules Rules(const topology::Backend& b) override {
    HostRules rules = PartitionRules(b, KnownRoles(b), {{"client"}, {spec_.target}}, "both", target_);
    detail_ = DirectionPhrase("both");
    return rules;
  }
};

}  // namespace

FaultKind ClientCutFaultKind() {
  FaultKind k;
  k.keyword = "cut";
  k.noun = "a client cut";
  k.short_noun = "cut";
  k.usage = "cut client from TARGET";
  k.description = "the client host loses its path to one server";
  k.example = "at 5s cut client from master for 8s";
  k.syntax = [](FaultWords& w, scenario::FaultSpec&) {
    w.Expect("client", "'cut' cuts the client from a server: expected cut client from TARGET");
    w.Expect("from", "expected 'from' after 'cut client', e.g. cut client from master");
    w.TakeTarget();
  };
  k.stop = {"heal", {}};
  k.describe = [](const scenario::FaultSpec& f) { return "cut client from " + f.target; };
  k.make = [](const scenario::FaultSpec& f, const std::string& tag) { return std::make_unique<ClientCutFault>(f, tag); };
  return k;
}

}  // namespace sc::faults
