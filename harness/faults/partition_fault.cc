// partition: DROP rules between two groups of hosts, one way or both.
#include <algorithm>

#include "harness/faults/drop_rules_fault.h"
#include "harness/faults/fault_kind.h"

namespace sc::faults {
namespace {

class PartitionFault : public DropRulesFault {
 public:
  using DropRulesFault::DropRulesFault;

 protected:
  HostRules Rules(const topology::Backend& b) override {
    HostRules rules = PartitionRules(b, KnownRoles(b), spec_.groups, spec_.Option("direction"), target_);
    detail_ = DirectionPhrase(spec_.Option("direction"));
    return rules;
  }
};

bool Has(const std::vector<std::string>& side, const std::string& word) {
  return std::find(side.begin(), side.end(), word) != side.end();
}

void CheckSides(const scenario::FaultSpec& f, const TopologyCheck& c) {
  const auto& g = f.groups;
  const bool one_server = c.topology().Servers() == 1;
  const std::string why_empty =
      "'others' is empty here: " + (one_server ? c.TopologyName() + " has one server" : "the other side holds every server");
  for (size_t side = 0; side < g.size(); ++side) {
    const auto& other = g[1 - side];
    for (size_t i = 0; i < g[side].size(); ++i) {
      const std::string& t = g[side][i];
      const scenario::Loc at = f.group_where[side][i];
      if (t == "client" || t == "servers") continue;
      if (t == "others") {
        const bool empty = one_server || Has(other, "servers") || Has(other, "others");
        if (empty && side == 1)
          c.Report(at, Has(other, "others") ? "'others' on both sides leaves nothing to partition" : why_empty);
        else if (empty && side == 0 && !Has(other, "others"))
          c.Report(at, why_empty);
        continue;
      }
      if (auto e = c.ServerProblem(t)) c.Report(at, *e);
      else if (side == 1 && Has(other, t) && t != "random") c.Report(at, "'" + t + "' is on both sides of the partition");
    }
  }
  if (g.size() == 2 && Has(g[0], "client") && Has(g[1], "client"))
    c.Report(f.group_where[1][0], "'client' is on both sides of the partition");
}

}  // namespace

FaultKind PartitionFaultKind() {
  FaultKind k;
  k.keyword = "partition";
  k.noun = "a partition";
  k.usage = "partition SIDE | SIDE";
  k.description = "traffic dropped between the two sides (a side: targets, client, others or servers, comma-separated)";
  k.example = "at 5s partition master | others for 10s";
  k.syntax = [](FaultWords& w, scenario::FaultSpec&) { w.TakeSides(); };
  k.options = {ChoiceOption("direction", {"both", "to", "from"}, "both",
                            "both ways, left to right only (to) or right to left only (from)")};
  k.stop = {"heal", {}};
  k.describe = [](const scenario::FaultSpec& f) {
    std::vector<std::string> sides;
    for (const auto& g : f.groups) sides.push_back(JoinWords(g, ","));
    return "partition " + JoinWords(sides, " | ") + " (" + DirectionPhrase(f.Option("direction")) + ")";
  };
  k.check = CheckSides;
  k.make = [](const scenario::FaultSpec& f, const std::string& tag) { return std::make_unique<PartitionFault>(f, tag); };
  return k;
}

}  // namespace sc::faults
