// Intervals from changes: what a key (a node, a Sentinel, the VIP) had as its
// value (a role, a believed master, a holder) from one change to the next.
// Used by the shared analysis (role intervals) and the timeline.
#pragma once

#include <string>
#include <vector>

#include "harness/history/history.h"

namespace sc {

// A value of `key` from `at` on.
struct Change {
  Nanos at;
  std::string key;
  std::string value;
};

struct Interval {
  Nanos start_ns = 0;
  Nanos end_ns = 0;  // the key's next change, or the end given (to_end)
  std::string key;
  std::string value;
  bool to_end = false;  // no later change: it lasts to the end given
};

// Intervals [start, next change of the same key) from `changes` (any order;
// changes at the same instant keep their order, the last one wins); a repeated
// value extends its interval; the last of each key ends at `end` (or at its
// start, if later) and is to_end. Empty values are gaps, not intervals.
// Sorted by start, then end, key, value.
std::vector<Interval> ChangesToIntervals(std::vector<Change> changes, Nanos end);

}  // namespace sc
