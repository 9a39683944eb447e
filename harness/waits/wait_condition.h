// The wait-condition registry: what `wait until CONDITION timeout T` may wait
// for. Each condition is declared in its own file (NAME_wait.cc) with its
// name, its meaning for --help and the docs, and its test; wait_registry.cc
// lists them. The parser takes the names from here, the runner polls Holds.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "topology/backend.h"

namespace sc::waits {

// What a condition may look at: the live topology (through the backend and
// topology/converge.h) and what the run knew when the last fault started.
struct WaitContext {
  const topology::Backend& backend;
  std::string master_at_last_fault;   // "" before any fault, or when there was no single master
  std::string vip_at_last_fault;      // "" when no host held the VIP
};

struct WaitCondition {
  std::string name;      // the word after `wait until`: "failover"
  std::string meaning;   // one sentence for --help and the docs
  // True when the condition holds now. Polled every 20 ms: must return
  // within about 100 ms per unreachable server, never block longer.
  std::function<bool(const WaitContext&)> holds;
};

class WaitRegistry {
 public:
  // REQUIRES: a name not yet registered, holds set.
  void Register(WaitCondition c);
  const WaitCondition* Find(const std::string& name) const;
  const std::vector<WaitCondition>& All() const { return conditions_; }
  std::vector<std::string> Names() const;

 private:
  std::vector<WaitCondition> conditions_;
};

// The program's registry: the built-in conditions (wait_registry.cc).
WaitRegistry& WaitConditions();

}  // namespace sc::waits
