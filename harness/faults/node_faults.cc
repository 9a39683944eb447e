#include "harness/faults/fault_kinds.h"

namespace sc::faults {

void NodeDownFault::Start(topology::Backend& b, const Roles& roles) {
  target_ = ResolveTarget(b, roles, spec_.target);
  b.SetLinkUp(target_, false);
  MarkEffect();  // cut off from now; freezing follows unseen
  b.Freeze(target_);
  down_ = true;
  detail_ = "link down, every process frozen";
}

void NodeDownFault::Stop(topology::Backend& b, std::optional<scenario::UpMode> mode) {
  down_ = false;
  if (mode.value_or(spec_.mode) == scenario::UpMode::kResume) {
    b.Thaw(target_);
    b.SetLinkUp(target_, true);
    MarkEffect();
    detail_ = "resumed: link up, processes thawed";
    return;
  }
  b.PowerOff(target_);
  b.SetLinkUp(target_, true);
  MarkEffect();  // powered on: reachable again, its services boot from here
  b.Boot(target_);
  detail_ = "rebooted: services started from their on-disk state";
}

}  // namespace sc::faults
