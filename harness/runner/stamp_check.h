// Checks a finished run's event instants against the system's own logs, on
// the wall clock (the journal's instants mapped through the run's recorded
// wall-clock start, independently of how the observer mapped them): used by
// the event-instant test and bench_fault_timing.
#pragma once

#include <string>
#include <vector>

namespace sc::runner {

struct StampCheck {
  // Per journaled Sentinel event: its instant minus the middle of the
  // millisecond of Sentinel's own log line for it (ms).
  std::vector<double> sentinel_error_ms;
  // Per Sentinel event: how much later its pub/sub message arrived (ms).
  std::vector<double> pubsub_lag_ms;
  int sentinel_events = 0;  // journaled
  int unmatched = 0;        // with no log line of that Sentinel to match
  std::vector<std::string> unmatched_events;  // "n2 +sdown master ..." (the first 20)
  int from_pubsub = 0;      // journaled with source "pubsub" (arrival)
  // Per "became-master": the journaled instant minus the middle of the
  // millisecond of the server's "MASTER MODE enabled" line (ms), and how much
  // later the observer's role poll saw it.
  std::vector<double> promotion_error_ms;
  std::vector<double> promotion_poll_lag_ms;
  int promotions_logged = 0;  // "MASTER MODE enabled" lines after the run's start
  int promotions_journaled = 0;
  // Per VIP move from the hook: the journaled instant minus the hook's own
  // stamp (ms), and how much later the 20 ms poll saw the same holders.
  std::vector<double> vip_error_ms;
  std::vector<double> vip_poll_lag_ms;
  int vip_moves_logged = 0;  // hook lines after the run's start
  int vip_moves_journaled = 0;
  std::string problem;  // "" or why the run could not be checked
};

StampCheck CheckStamps(const std::string& run_dir);

// "median +0.123 ms, worst +0.456 ms (N)" or "NOT MEASURED".
std::string Summary(std::vector<double> ms);

}  // namespace sc::runner
