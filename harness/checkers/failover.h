// FailoverChecker: the anatomy of each failover. For every fault, between its
// start and the next fault's start, one entry per distinct +switch-master
// (a second failover after the same fault has its own entry), or one entry
// without a switch if a master +sdown/+odown was seen. Each failover's steps
// come from its own interval only, each the earliest at or after the step it
// follows:
//   +sdown (of the master), +odown, +elected-leader: over all Sentinels
//     (stamped from Sentinel's own log lines), after the previous switch (the
//     fault's start for the first), up to its switch, and naming the master
//     the switch replaced;
//   became-master: the instant the new master really became master (its own
//     "MASTER MODE enabled" log line, became_master_ns), of the node the
//     switch names (journal meta's server addresses; else any node but the
//     old master), the last before the switch;
//   +promoted-slave: Sentinel noticing it at its next INFO poll, of that replica;
//   +switch-master: the earliest report of the switch;
//   VIP moved: the VIP appearing on the failover's new master (the VIP hook's
//     own stamp when available) at or after its promotion; the drop from the
//     old master, which may come after the switch, is not a move;
//   first ok write: completed after the switch, the VIP move and the end of
//     the fault's unavailability window (whichever is latest);
// and the old and new master. Faults that caused no master +sdown, +odown or
// +switch-master have no entry. A Sentinel reporting an earlier switch late,
// or catching up from its stale view to the current master, is no new
// failover. Also the figures failovers (distinct +switch-master seen) and
// failover.time (first fault start to the first +switch-master after it).
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
    std::string type;    // "sentinel-event" | "vip" | "became-master"
    std::string name;    // sentinel event name
    std::string node;    // the Sentinel's, VIP holders, or the promoted node
    std::string detail;
  };
  std::vector<Seen> seen_;
};

}  // namespace sc
