// replicas-in-sync: replication only; Sentinels and the VIP may still lag.
#include "harness/waits/wait_condition.h"
#include "topology/converge.h"

namespace sc::waits {

WaitCondition ReplicasInSyncWait() {
  return {"replicas-in-sync",
          "one master; every other server replicates it with its link up and the master sees each replica online",
          [](const WaitContext& c) { return topology::WhyReplicationNotInSync(c.backend).empty(); }};
}

}  // namespace sc::waits
