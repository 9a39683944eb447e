// vip-moved: the VIP is on a host other than the one that held it when the
// last fault started.
#include "harness/waits/wait_condition.h"

namespace sc::waits {

WaitCondition VipMovedWait() {
  return {"vip-moved", "the VIP is held by a host other than the one holding it when the last fault started",
          [](const WaitContext& c) {
            const std::string holder = c.backend.VipHolder();
            return !holder.empty() && holder != c.vip_at_last_fault;
          }};
}

}  // namespace sc::waits
