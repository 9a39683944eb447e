#include <algorithm>
#include <map>

#include "harness/faults/fault_kinds.h"
#include "topology/control.h"
#include "topology/converge.h"

namespace sc::faults {

using scenario::Direction;
using scenario::FaultKind;
using topology::DropRule;

Roles AskRoles(const topology::Backend& b) {
  Roles roles;
  for (auto& n : b.layout().nodes) {
    if (!n.redis) continue;
    auto r = topology::Ask(n.redis_socket(), {"ROLE"}, b.options().requirepass, 200);
    roles[n.name] = !r.ok || r.items.empty() ? "down" : r.items[0] == "slave" ? "replica" : r.items[0];
  }
  return roles;
}

namespace {
std::string MasterOf(const Roles& roles) {
  std::string m;
  for (auto& [node, role] : roles) {
    if (role != "master") continue;
    if (!m.empty()) return "";
    m = node;
  }
  return m;
}
}  // namespace

std::string ResolveTarget(const topology::Backend& b, const Roles& roles, const std::string& word) {
  const auto& l = b.layout();
  if (word == "master") {
    std::string m = MasterOf(roles);
    if (m.empty()) throw FaultError("there is no single master to target now");
    return m;
  }
  if (word == "replica") {
    std::string m = MasterOf(roles);
    for (auto& n : l.nodes)
      if (n.redis && n.name != m) return n.name;
    throw FaultError("there is no replica to target now");
  }
  if (l.Find(word)) return word;
  throw FaultError("no host '" + word + "' in this topology");
}

namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

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

void PartitionFault::Prepare(topology::Backend& b) {
  for (auto& n : b.layout().nodes) b.ReserveDropRules(n.name, tag_);
  b.ReserveDropRules(b.layout().client.name, tag_);
}

void PartitionFault::Abandon(topology::Backend& b) {
  for (auto& n : b.layout().nodes) b.ReleaseDropRules(n.name, tag_);
  b.ReleaseDropRules(b.layout().client.name, tag_);
}

void PartitionFault::Start(topology::Backend& b, const Roles& roles) {
  const auto& l = b.layout();
  std::map<std::string, std::vector<DropRule>> rules;
  auto addr = [&](const std::string& host) { return l.Find(host)->address; };

  if (spec_.kind == FaultKind::kLoss) {
    target_ = ResolveTarget(b, roles, spec_.target);
    rules[target_] = {{"", "", l.iface, "", spec_.percent}, {"", "", "", l.iface, spec_.percent}};
    detail_ = std::to_string(spec_.percent) + "% of packets dropped in and out";
  } else {
    std::vector<std::vector<std::string>> groups = spec_.groups;
    Direction dir = spec_.direction;
    if (spec_.kind == FaultKind::kClientCut) {
      groups = {{"client"}, {spec_.target}};
      dir = Direction::kBoth;
    }
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
    for (auto& x : a)
      for (auto& y : c) {
        if (x == y) throw FaultError(x + " is on both sides of the partition");
        // x -> y dropped when direction is both or to; y -> x when both or from.
        if (dir != Direction::kFrom) {
          rules[x].push_back({"", addr(y), "", ""});
          rules[y].push_back({addr(x), "", "", ""});
        }
        if (dir != Direction::kTo) {
          rules[y].push_back({"", addr(x), "", ""});
          rules[x].push_back({addr(y), "", "", ""});
        }
      }
    target_ = Join(a) + " | " + Join(c);
    detail_ = std::string(dir == Direction::kBoth ? "both ways" : dir == Direction::kTo ? "left to right only"
                                                                                        : "right to left only");
  }
  for (auto& [host, r] : rules) {
    hosts_.insert(host);
    b.AddDropRules(host, tag_, r);
  }
  MarkEffect();
  Abandon(b);  // the reservations of hosts it did not touch
}

void PartitionFault::Stop(topology::Backend& b, std::optional<scenario::UpMode>) {
  for (auto& host : hosts_) b.RemoveDropRules(host, tag_);
  MarkEffect();
  Abandon(b);  // forget the chains in the state, now that every host is healed
  hosts_.clear();
  detail_ = "healed";
}

std::unique_ptr<Fault> MakeFault(const scenario::FaultSpec& spec, const std::string& tag) {
  switch (spec.kind) {
    case FaultKind::kKill: return std::make_unique<KillFault>(spec, tag);
    case FaultKind::kPause: return std::make_unique<PauseFault>(spec, tag);
    case FaultKind::kNodeDown: return std::make_unique<NodeDownFault>(spec, tag);
    case FaultKind::kPartition:
    case FaultKind::kClientCut:
    case FaultKind::kLoss: return std::make_unique<PartitionFault>(spec, tag);
  }
  throw FaultError("unknown fault kind");
}

}  // namespace sc::faults
