// AvailabilityChecker: unavailability windows of writes (system-wide and per
// client), of reads (when there are reads), and the time to recover of each
// fault. Definitions: docs/results.md and design/overview.md.
//
// A window lies between two consecutive ok completions a < b (or between the
// lane's first invoke and its first ok, or its last ok and the end of load),
// is longer than the gap threshold, and something was wrong inside it: an op
// of the lane completed fail/unknown in (a, b], or an op was outstanding for
// longer than the threshold within it. The window is [a, b]; one that reaches
// the end of load is "open".
#pragma once

#include <map>
#include <vector>

#include "harness/checkers/checker.h"
#include "harness/checkers/paged.h"

namespace sc {

// Finds the windows of one lane (all writers, one client, or all readers).
class UnavailabilityWindows {
 public:
  // `start`: the lane's first invoke. `troubles`: the lane's trouble ops
  // sorted by completion; they must outlive this object.
  UnavailabilityWindows(Nanos start, Nanos threshold, const TroubleOp* troubles_begin,
                        const TroubleOp* troubles_end);
  // REQUIRES: t not less than the previous call's t.
  void OnOk(Nanos t);
  // Closes the lane at `end` (end of load) and returns every window, by start.
  std::vector<UnavailabilityWindow> Finish(Nanos end);

 private:
  void Gap(Nanos a, Nanos b, bool open);

  Nanos threshold_;
  Nanos last_ok_;
  const TroubleOp* next_;  // first trouble op that completed after last_ok_
  const TroubleOp* end_;
  std::vector<std::pair<Nanos, Nanos>> slow_;  // (invoke, complete), by invoke
  size_t slow_next_ = 0;
  Nanos slow_max_complete_ = INT64_MIN;
  std::vector<UnavailabilityWindow> windows_;
};

// Gives `out` the completions of every lane (each sorted) in time order, as
// far as the gaps longer than `threshold` go: the result of out.Finish is the
// same as feeding every completion, merged.
void FeedInOrder(const std::vector<Paged<Nanos>>& lanes, Nanos threshold, UnavailabilityWindows& out);

class AvailabilityChecker : public Checker {
 public:
  explicit AvailabilityChecker(const CheckSettings& settings)
      : threshold_(settings.gap_threshold_ns) {}
  void OnOp(const Op& op) override;
  // Writes the system-wide write windows and times to recover of the shared
  // analysis, and computes per-client and read windows.
  void Finish(const CheckContext& ctx, nlohmann::json& results) override;

 private:
  struct Lane {
    Nanos first_invoke = INT64_MAX;
    Nanos last_complete = INT64_MIN;
    bool seen = false;
  };
  std::vector<Lane> client_lanes_;
  Paged<Nanos> ok_reads_;
  std::vector<TroubleOp> read_troubles_;
  Lane reads_;
  Nanos threshold_;
};

// What the shared analysis holds of writes, gathered op by op: ok writes per
// client, trouble writes, the system-wide windows and each fault's time to
// recover. RunChecks feeds it every op, then calls Finish once.
class WriteAnalysis {
 public:
  explicit WriteAnalysis(Nanos threshold) : threshold_(threshold) {}
  void OnOp(const Op& op, CheckContext& ctx) const;
  // REQUIRES: ctx.faults sorted by start.
  void Finish(CheckContext& ctx) const;

 private:
  Nanos threshold_;
};

// The windows as docs/results.md's availability.writes object.
nlohmann::json WindowsToJson(const std::vector<UnavailabilityWindow>& windows);

}  // namespace sc
