#include "harness/faults/drop_rules_fault.h"

#include <algorithm>

namespace sc::faults {
namespace {

// Resolves one side of a partition; "others"/"servers" are every server not on
// the other side.
std::vector<std::string> ResolveGroup(const topology::Backend& b, const Roles& roles,
                                      const std::vector<std::string>& words,
                                      const std::vector<std::string>& other_side) {
  std::vector<std::string> out;
  for (auto& w : words) {
    if (w == "others" || w == "servers") {
      for (auto& n : b.layout().nodes)
        if (std::find(other_side.begin(), other_side.end(), n.name) == other_side.end()) out.push_back(n.name);
    } else {
      out.push_back(ResolveTarget(b, roles, w));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool IsPlain(const std::vector<std::string>& g) {
  for (auto& w : g)
    if (w == "others" || w == "servers") return false;
  return true;
}

}  // namespace

void DropRulesFault::Prepare(topology::Backend& b) {
  for (auto& n : b.layout().nodes) b.ReserveDropRules(n.name, tag_);
  b.ReserveDropRules(b.layout().client.name, tag_);
}

void DropRulesFault::Abandon(topology::Backend& b) {
  for (auto& n : b.layout().nodes) b.ReleaseDropRules(n.name, tag_);
  b.ReleaseDropRules(b.layout().client.name, tag_);
}

void DropRulesFault::Arm(topology::Backend& b, const Roles& roles) {
  Disarm(b);
  Fault::Arm(b, roles);
  const HostRules rules = Rules(b);
  for (auto& [host, r] : rules) hosts_.insert(host);
  armed_ = b.PrepareAddDropRulesOnHosts(tag_, rules);
}

void DropRulesFault::Disarm(topology::Backend& b) {
  armed_.reset();
  hosts_.clear();
  Fault::Disarm(b);
}

void DropRulesFault::Start(topology::Backend& b) {
  if (!armed_) Arm(b, KnownRoles(b));
  armed_->Commit();  // all hosts, one table write each (or at once where the backend can)
  MarkEffect();
  armed_.reset();
  Abandon(b);  // the reservations of hosts it did not touch
}

void DropRulesFault::ArmStop(topology::Backend& b, const StopOptions&) {
  armed_stop_ = b.PrepareRemoveDropRulesOnHosts(tag_, hosts_);
}

void DropRulesFault::Stop(topology::Backend& b, const StopOptions&) {
  if (armed_stop_) armed_stop_->Commit();
  else b.RemoveDropRulesOnHosts(tag_, hosts_);
  armed_stop_.reset();
  MarkEffect();
  Abandon(b);  // forget the chains in the state, now that every host is healed
  hosts_.clear();
  detail_ = "healed";
}

std::string DirectionPhrase(const std::string& direction) {
  return direction == "to" ? "left to right only" : direction == "from" ? "right to left only" : "both ways";
}

HostRules PartitionRules(const topology::Backend& b, const Roles& roles,
                         const std::vector<std::vector<std::string>>& groups,
                         const std::string& direction, std::string& target) {
  if (groups.size() != 2) throw FaultError("a partition needs two sides");
  // Resolve the plain side first so that "others" means "every server not there".
  std::vector<std::string> a, c;
  if (IsPlain(groups[0])) {
    a = ResolveGroup(b, roles, groups[0], {});
    c = ResolveGroup(b, roles, groups[1], a);
  } else {
    c = ResolveGroup(b, roles, groups[1], {});
    a = ResolveGroup(b, roles, groups[0], c);
  }
  if (a.empty() || c.empty()) throw FaultError("one side of the partition is empty now");
  auto addr = [&](const std::string& host) { return b.layout().Find(host)->address; };
  HostRules rules;
  for (auto& x : a)
    for (auto& y : c) {
      if (x == y) throw FaultError(x + " is on both sides of the partition");
      // x -> y dropped when direction is both or to; y -> x when both or from.
      if (direction != "from") {
        rules[x].push_back({"", addr(y), "", ""});
        rules[y].push_back({addr(x), "", "", ""});
      }
      if (direction != "to") {
        rules[y].push_back({"", addr(x), "", ""});
        rules[x].push_back({addr(y), "", "", ""});
      }
    }
  target = JoinWords(a, ",") + " | " + JoinWords(c, ",");
  return rules;
}

}  // namespace sc::faults
