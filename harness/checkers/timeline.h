// TimelineChecker: what the observer saw, as intervals for the report:
// each node's role, each Sentinel's idea of the master, the VIP holder, and
// the list of Sentinel events (results.timeline).
#pragma once

#include "harness/checkers/checker.h"

namespace sc {

class TimelineChecker : public Checker {
 public:
  void OnEvent(const Event& ev) override;
  void Finish(const CheckContext& ctx, nlohmann::json& results) override;

  // A value of `key` from `at` on (a role of a node, a view of a Sentinel).
  struct Change {
    Nanos at;
    std::string key;
    std::string value;
  };

 private:
  std::vector<Change> roles_, views_, vip_;
  std::vector<Event> sentinel_events_;
};

// Intervals [start, next change of the same key) from `changes` (any order);
// the last of each key ends at `end`. Empty values are gaps, not intervals.
// Each interval is {key_name: key, value_name: value, "start_ns", "end_ns"},
// sorted by start.
nlohmann::json ChangesToIntervals(std::vector<TimelineChecker::Change> changes, Nanos end,
                                  const char* key_name, const char* value_name);

}  // namespace sc
