// failover: a master other than the one when the last fault started, which
// every Sentinel that answers names too. The old master is not asked: in a
// partition it still calls itself master.
#include "harness/waits/wait_condition.h"
#include "topology/converge.h"

namespace sc::waits {

WaitCondition FailoverWait() {
  return {"failover",
          "a server other than the master of the last fault's start is master, and every Sentinel that answers names it",
          [](const WaitContext& c) {
            const auto masters = topology::MastersNow(c.backend, c.master_at_last_fault);
            if (masters.empty()) return false;
            for (const auto& [sentinel, named] : topology::SentinelsMasterNow(c.backend))
              if (named != masters.back()) return false;
            return true;
          }};
}

}  // namespace sc::waits
