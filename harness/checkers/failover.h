// FailoverChecker: the anatomy of each failover. For every fault, between its
// start and the next fault's start: the earliest +sdown (of the master),
// +odown, +elected-leader, +promoted-slave and +switch-master over all
// Sentinels, the instant the VIP appeared on another node, the first ok write
// completed after the switch, the VIP move and the end of the fault's
// unavailability window (whichever is latest), and the old and new master. Faults that caused no master +sdown, +odown or +switch-master
// have no entry. Also the figures failovers (distinct +switch-master seen)
// and failover.time (first fault start to the first +switch-master after it).
//
// REQUIRES: Finish runs after AvailabilityChecker::Finish (first_ok_write_after).
#pragma once

#include "harness/checkers/checker.h"

namespace sc {

class FailoverChecker : public Checker {
 public:
  void OnEvent(const Event& ev) override;
  void Finish(const CheckContext& ctx, nlohmann::json& results) override;

 private:
  struct Seen {
    Nanos at;
    std::string type;    // "sentinel-event" | "vip" | "role"
    std::string name;    // sentinel event name, or role
    std::string node;    // VIP holder, or the node of a role
    std::string detail;
  };
  std::vector<Seen> seen_;
};

}  // namespace sc
