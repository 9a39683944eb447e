#include "harness/faults/fault.h"

#include "harness/faults/fault_kind.h"
#include "topology/converge.h"

namespace sc::faults {

std::unique_ptr<Fault> MakeFault(const scenario::FaultSpec& spec, const std::string& tag) {
  return KindOf(spec).make(WithDefaults(spec), tag);
}

std::string ResolveTarget(const topology::Backend& b, const std::string& word) {
  const auto& l = b.layout();
  if (word == "master") {
    std::string m = topology::CurrentMaster(b);
    if (m.empty()) throw FaultError("there is no single master to target now");
    return m;
  }
  if (word == "replica") {
    std::string m = topology::CurrentMaster(b);
    for (auto& n : l.nodes)
      if (n.redis && n.name != m) return n.name;
    throw FaultError("there is no replica to target now");
  }
  if (l.Find(word)) return word;
  throw FaultError("no host '" + word + "' in this topology");
}

}  // namespace sc::faults
