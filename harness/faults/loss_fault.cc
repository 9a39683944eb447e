// loss: a share of the server's packets dropped, in and out (statistic match).
#include "harness/faults/drop_rules_fault.h"
#include "harness/faults/fault_kind.h"

namespace sc::faults {
namespace {

class LossFault : public DropRulesFault {
 public:
  using DropRulesFault::DropRulesFault;

 protected:
  HostRules Rules(const topology::Backend& b) override {
    target_ = Resolve(b, spec_.target);
    const int percent = std::stoi(spec_.Option("percent"));
    const std::string& iface = b.layout().iface;
    detail_ = std::to_string(percent) + "% of packets dropped in and out";
    return {{target_, {{"", "", iface, "", percent}, {"", "", "", iface, percent}}}};
  }
};

}  // namespace

FaultKind LossFaultKind() {
  FaultKind k;
  k.keyword = "loss";
  k.noun = "a packet loss";
  k.short_noun = "loss";
  k.usage = "loss TARGET";
  k.description = "a share of the server's packets dropped, in and out";
  k.example = "at 5s loss n2 percent=30 for 5s";
  k.syntax = [](FaultWords& w, scenario::FaultSpec&) { w.TakeTarget(); };
  k.options = {IntOption("percent", 1, 100, "", "share of packets dropped", "%",
                         "'loss' needs percent=N, the share of packets dropped (1 to 100), e.g. loss master percent=30")};
  k.stop = {"heal", {}};
  k.describe = [](const scenario::FaultSpec& f) { return "loss " + f.Option("percent") + "% on " + f.target; };
  k.make = [](const scenario::FaultSpec& f, const std::string& tag) { return std::make_unique<LossFault>(f, tag); };
  return k;
}

}  // namespace sc::faults
