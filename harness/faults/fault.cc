#include "harness/faults/fault.h"

#include "harness/faults/fault_kind.h"
#include "topology/control.h"

namespace sc::faults {

std::unique_ptr<Fault> MakeFault(const scenario::FaultSpec& spec, const std::string& tag) {
  return KindOf(spec).make(WithDefaults(spec), tag);
}

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

std::string Fault::Resolve(const topology::Backend& b, const std::string& word) const {
  if (word != "master" && word != "replica") return ResolveTarget(b, Roles{}, word);
  return ResolveTarget(b, KnownRoles(b), word);
}

std::string ResolveTarget(const topology::Backend& b, const std::string& word) {
  if (word != "master" && word != "replica") return ResolveTarget(b, Roles{}, word);
  return ResolveTarget(b, AskRoles(b), word);
}

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

}  // namespace sc::faults
