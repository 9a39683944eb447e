// TimelineChecker: what the observer saw, as intervals for the report:
// each node's role (the shared analysis's role intervals), each Sentinel's
// idea of the master, the VIP holder, and the list of Sentinel events
// (results.timeline).
#pragma once

#include "harness/checkers/checker.h"
#include "harness/checkers/intervals.h"

namespace sc {

class TimelineChecker : public Checker {
 public:
  void OnEvent(const Event& ev) override;
  void Finish(const CheckContext& ctx, nlohmann::json& results) override;

 private:
  std::vector<Change> views_, vip_;
  std::vector<Event> sentinel_events_;
};

// Intervals as results.timeline lists them: each {key_name: key, value_name:
// value, "start_ns", "end_ns"}, in the given order.
nlohmann::json IntervalsToJson(const std::vector<Interval>& intervals, const char* key_name, const char* value_name);

}  // namespace sc
