// FailoverChecker: the anatomy of each failover. For every fault, between its
// start and the next fault's start, one entry per distinct +switch-master
// (a second failover after the same fault has its own entry, its steps taken
// after the previous switch), or one entry without a switch if a master
// +sdown/+odown was seen: the earliest +sdown (of the master), +odown,
// +elected-leader, +promoted-slave and +switch-master over all Sentinels
// (stamped from Sentinel's own log lines), the instant the new master really
// became master ("became-master": its own "MASTER MODE enabled" log line,
// became_master_ns; +promoted-slave is only Sentinel noticing it at its next
// INFO poll), the instant the VIP appeared on another node (the VIP hook's own
// stamp when available), the first ok write
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
    std::string type;    // "sentinel-event" | "vip" | "role" | "became-master"
    std::string name;    // sentinel event name, or role
    std::string node;    // VIP holder, or the node of a role
    std::string detail;
  };
  std::vector<Seen> seen_;
};

}  // namespace sc
