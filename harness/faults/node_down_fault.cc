// down: a power cut as the peers see it. The host's link goes dead (no packet,
// no RST, no FIN: established connections hang) and every process of the host
// is frozen in its cgroup. `up` as reboot: the frozen processes are killed,
// the VIP is gone, the services start again from disk; as resume: link up, thaw.
#include "harness/faults/fault.h"
#include "harness/faults/fault_kind.h"

namespace sc::faults {
namespace {

class NodeDownFault : public Fault {
 public:
  using Fault::Fault;

  // Resolves the target and readies its link's change: the instant is only
  // the link going down.
  void Arm(topology::Backend& b, const Roles& roles) override {
    Fault::Arm(b, roles);
    target_ = Resolve(b, spec_.target);
    link_ = b.PrepareSetLinkUp(target_, false);
  }
  void Disarm(topology::Backend& b) override {
    link_.reset();
    Fault::Disarm(b);
  }

  void Start(topology::Backend& b) override {
    if (!link_) Arm(b, KnownRoles(b));
    link_->Commit();
    link_.reset();
    MarkEffect();  // cut off from now; freezing follows unseen
    b.Freeze(target_);
    down_ = true;
    detail_ = "link down, every process frozen";
  }

  void ArmStop(topology::Backend& b, const StopOptions&) override { link_ = b.PrepareSetLinkUp(target_, true); }

  void Stop(topology::Backend& b, const StopOptions& options) override {
    down_ = false;
    auto up = link_ ? std::move(link_) : b.PrepareSetLinkUp(target_, true);
    auto mode = options.find("mode");
    if ((mode == options.end() ? spec_.Option("mode") : mode->second) == "resume") {
      b.Thaw(target_);
      up->Commit();
      MarkEffect();
      detail_ = "resumed: link up, processes thawed";
      return;
    }
    b.PowerOff(target_);
    up->Commit();
    MarkEffect();  // powered on: reachable again, its services boot from here
    b.Boot(target_);
    detail_ = "rebooted: services started from their on-disk state";
  }

  std::string HostNote() const override { return down_ ? "frozen" : ""; }

 private:
  bool down_ = false;
  std::unique_ptr<topology::PreparedChange> link_;  // armed: the link's change
};

FaultOption Mode(const std::string& default_value) {
  return ChoiceOption("mode", {"reboot", "resume"}, default_value, "how the node comes back");
}

}  // namespace

FaultKind NodeDownFaultKind() {
  FaultKind k;
  k.keyword = "down";
  k.noun = "a node down";
  k.usage = "down TARGET";
  k.description = "the whole server freezes and goes silent, as a power cut (link dead, every process frozen)";
  k.example = "at 5s down master as power";
  k.syntax = [](FaultWords& w, scenario::FaultSpec&) { w.TakeTarget(); };
  k.options = {Mode("reboot")};
  k.stop = {"up", {Mode("")}};
  k.describe = [](const scenario::FaultSpec& f) { return "node down " + f.target; };
  k.make = [](const scenario::FaultSpec& f, const std::string& tag) { return std::make_unique<NodeDownFault>(f, tag); };
  return k;
}

}  // namespace sc::faults
