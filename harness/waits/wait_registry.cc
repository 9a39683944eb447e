// The registry and the list of built-in wait conditions, one line each.
#include <stdexcept>

#include "harness/waits/wait_condition.h"

namespace sc::waits {

// Each defined in its own NAME_wait.cc.
WaitCondition FailoverWait();
WaitCondition VipMovedWait();
WaitCondition ReplicasInSyncWait();
WaitCondition SettledWait();

void WaitRegistry::Register(WaitCondition c) {
  if (c.name.empty() || Find(c.name) || !c.holds)
    throw std::logic_error("wait condition '" + c.name + "' is a duplicate or lacks holds");
  conditions_.push_back(std::move(c));
}

const WaitCondition* WaitRegistry::Find(const std::string& name) const {
  for (const auto& c : conditions_)
    if (c.name == name) return &c;
  return nullptr;
}

std::vector<std::string> WaitRegistry::Names() const {
  std::vector<std::string> out;
  for (const auto& c : conditions_) out.push_back(c.name);
  return out;
}

WaitRegistry& WaitConditions() {
  static WaitRegistry registry = [] {
    WaitRegistry r;
    r.Register(FailoverWait());
    r.Register(VipMovedWait());
    r.Register(ReplicasInSyncWait());
    r.Register(SettledWait());
    return r;
  }();
  return registry;
}

}  // namespace sc::waits
