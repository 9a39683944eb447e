// settled: the whole topology converged, as before the run started.
#include "harness/waits/wait_condition.h"
#include "topology/converge.h"

namespace sc::waits {

WaitCondition SettledWait() {
  return {"settled",
          "replicas in sync, every Sentinel names the master and knows every replica and Sentinel, the VIP is on the "
          "master and answers",
          [](const WaitContext& c) { return topology::WhyNotConverged(c.backend).empty(); }};
}

}  // namespace sc::waits
