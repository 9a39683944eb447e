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

  void Start(topology::Backend& b) override {
    target_ = Resolve(b, spec_.target);
    b.SetLinkUp(target_, false);
    MarkEffect();  // cut off from now; freezing follows unseen
    b.Freeze(target_);
    down_ = true;
    detail_ = "link down, every process frozen";
  }

  void Stop(topology::Backend& b, const StopOptions& options) override {
    down_ = false;
    auto mode = options.find("mode");
    if ((mode == options.end() ? spec_.Option("mode") : mode->second) == "resume") {
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

  std::string HostNote() const override { return down_ ? "frozen" : ""; }

 private:
  bool down_ = false;
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
