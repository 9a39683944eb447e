// What kill and pause share: the `redis|sentinel on TARGET` syntax, the
// process it names, and the check that a Sentinel runs there.
#pragma once

#include <string>

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

}  // namespace sc::faults
