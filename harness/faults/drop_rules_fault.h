// What partition, cut and loss share: a fault made of DROP rules in the
// affected hosts' own namespaces, in a chain of this fault's own (named by its
// tag); Stop removes them all.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "harness/faults/fault.h"
#include "harness/faults/fault_kind.h"
#include "topology/firewall.h"

namespace sc::faults {

using HostRules = std::map<std::string, std::vector<topology::DropRule>>;

class DropRulesFault : public Fault {
 public:
  using Fault::Fault;
  // Reserves this fault's chain on every host (the targets are not known yet).
  void Prepare(topology::Backend& b) override;
  void Abandon(topology::Backend& b) override;
  // Resolves the targets and builds every host's table with the rules in
  // memory (Backend::PrepareAddDropRulesOnHosts); Start commits them.
  void Arm(topology::Backend& b, const Roles& roles) override;
  void Disarm(topology::Backend& b) override;
  void Start(topology::Backend& b) override;
  // Builds every host's table without the fault's chain; Stop commits them.
  void ArmStop(topology::Backend& b, const StopOptions& options) override;
  void Stop(topology::Backend& b, const StopOptions&) override;

 protected:
  // Resolves the targets, sets target_ and detail_ and returns the rules per
  // host. Throws FaultError.
  virtual HostRules Rules(const topology::Backend& b) = 0;

 private:
  std::set<std::string> hosts_;  // where rules were added (or are armed to be)
  std::unique_ptr<topology::PreparedChange> armed_;       // the start, from Arm
  std::unique_ptr<topology::PreparedChange> armed_stop_;  // the heal, from ArmStop
};

// Rules that cut group `left` from group `right` (target words as in a
// partition: "others"/"servers" are every server not on the other side):
// direction "both", "to" (left -> right only) or "from" (right -> left only).
// Sets `target` to "n1 | n2,n3". Throws FaultError when a side is empty or a
// host is on both sides.
HostRules PartitionRules(const topology::Backend& b, const Roles& roles,
                         const std::vector<std::vector<std::string>>& groups,
                         const std::string& direction, std::string& target);

// "both ways", "left to right only", "right to left only".
std::string DirectionPhrase(const std::string& direction);

}  // namespace sc::faults
