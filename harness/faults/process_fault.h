// What kill and pause share: the `redis|sentinel on TARGET` syntax, the
// process it names, and the check that a Sentinel runs there.
#pragma once

#include <string>

#include "harness/faults/fault.h"
#include "harness/faults/fault_kind.h"
#include "topology/backend.h"

namespace sc::faults {

// Reads `redis|sentinel on TARGET` after `keyword` (kept as option "process").
void ProcessOnTargetSyntax(const std::string& keyword, FaultWords& w);

// The service the spec's "process" names, and its program's name.
topology::Service ServiceOf(const scenario::FaultSpec& spec);
std::string ProgramOf(topology::Service s);

// A sentinel target needs Sentinels in the topology and one on that server;
// then the target must be a server.
void CheckProcessOnTarget(const scenario::FaultSpec& f, const TopologyCheck& c);

// A fault on the process `redis|sentinel on TARGET` names (kill, pause):
// arming resolves the target and finds the process that runs there, so that
// the fault's instant is only its signal.
class ProcessFault : public Fault {
 public:
  using Fault::Fault;

  // Sets target_ and pid_; throws FaultError when no such process runs.
  void Arm(topology::Backend& b, const Roles& roles) override;
  void Disarm(topology::Backend& b) override;

 protected:
  // Arms now unless armed (a fault at 0 s, or one the runner did not arm).
  void ArmIfNot(topology::Backend& b) {
    if (pid_ == 0) Arm(b, KnownRoles(b));
  }

  pid_t pid_ = 0;  // the process found when armed
};

}  // namespace sc::faults
