// The Checker interface: a verdict over the run's history. Each checker sees
// every op and event once (in journal order, which is only roughly time
// order), keeps compact numbers rather than Op objects, and writes its part of
// the results document (docs/results.md) in Finish, from what it kept and from
// the shared analysis (CheckContext), which it only reads: checkers never read
// each other, and the order of their Finish calls does not matter.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/checkers/paged.h"
#include "harness/history/history.h"

namespace sc {

struct CheckSettings {
  // A gap between ok writes must be longer than this to be a window.
  Nanos gap_threshold_ns = 50'000'000;
  // Width of a throughput bucket.
  Nanos bucket_ns = 100'000'000;
  // "set" | "counter" | "mixed"; "" = the journal meta's (meta.workload or
  // meta.load.workload), else inferred from the written values.
  std::string workload;
  // How many lost elements data_loss.lost_elements lists.
  size_t max_lost_elements = 100;
};

// An unavailability window of a lane (all writers, one client, all readers):
// definitions in availability.h and docs/results.md.
struct UnavailabilityWindow {
  Nanos start_ns = 0;
  Nanos end_ns = 0;
  bool open = false;
  int64_t failed_ops = 0;
  int64_t unknown_ops = 0;
  std::map<std::string, int64_t> errors;  // error class name -> count
};

// An op worth remembering for windows: not ok, or slower than the threshold.
struct TroubleOp {
  Nanos complete = 0;
  Nanos invoke = 0;
  uint32_t client = 0;
  Outcome outcome = Outcome::kOk;
  ErrorClass error = ErrorClass::kNone;
};

// One fault, from its fault-start (and fault-stop) events.
struct FaultRecord {
  std::string id;
  std::string kind;
  std::string target;
  std::string detail;
  Nanos start_ns = 0;                     // came into force
  std::optional<Nanos> stop_ns;           // went out of force
  std::optional<Nanos> scheduled_start_ns;  // when the plan wanted each (older journals: none)
  std::optional<Nanos> scheduled_stop_ns;
  std::optional<Nanos> for_ns;              // `for T`: T
  std::optional<Nanos> ttr_ns;  // time to recover: from the system-wide write windows (when there were writes)
};

// One node's role over [start_ns, end_ns), from the observer's "role" events:
// an interval starts at each change of the node's role (a repeated
// observation extends it) and ends at the node's next change; the last one of
// a node lasts to the end of the journal (to_end; end_ns is then that end).
// Changes at the same instant keep their journal order (the last one wins,
// leaving a zero-length interval before it).
struct RoleInterval {
  Nanos start_ns = 0;
  Nanos end_ns = 0;
  std::string node;
  std::string role;  // "master" | "replica" | "down" | "frozen" | "unknown"
  bool to_end = false;
};

// The shared analysis of the history, computed once by RunChecks from every
// op and event before any checker's Finish, and then only read (Finish gets
// it const): ok writes per client, the system-wide write windows, the fault
// intervals with their time to recover, every node's role intervals.
struct CheckContext {
  CheckSettings settings;
  nlohmann::json meta = nlohmann::json::object();
  std::string workload;             // settings', else meta's; "" = unknown
  std::vector<FaultRecord> faults;  // sorted by start; ttr_ns filled
  Nanos end_ns = 0;                 // the latest instant in the journal
  Nanos load_end_ns = INT64_MIN;    // the latest completion of any op

  // Writes.
  bool writes_seen = false;
  Nanos writes_first_invoke = INT64_MAX;
  std::vector<Paged<Nanos>> ok_writes;        // per client: completions of ok writes, sorted
  std::vector<TroubleOp> write_troubles;      // not ok or slower than the gap threshold, by completion
  std::vector<UnavailabilityWindow> write_windows;  // system-wide, by start

  // Completion of the first ok write (any client) at or after t; nullopt if none.
  std::optional<Nanos> FirstOkWriteAfter(Nanos t) const;

  // Roles.
  bool roles_seen = false;                 // any "role" event
  std::vector<RoleInterval> role_intervals;  // every node's, by start (then end, node, role)

  // The nodes whose role was master as of the role changes before t (an
  // interval that starts before t and does not end before t), by name.
  std::vector<std::string> MastersBefore(Nanos t) const;
};

class Checker {
 public:
  virtual ~Checker();
  virtual void OnOp(const Op&) {}
  virtual void OnEvent(const Event&) {}
  // Writes this checker's sections into `results` and its figures into
  // results["figures"] (seconds for durations, numbers for counts; a figure
  // that could not be measured is left out).
  virtual void Finish(const CheckContext& ctx, nlohmann::json& results) = 0;
};

// Seconds, for figures.
inline double Seconds(Nanos ns) { return static_cast<double>(ns) / 1e9; }

}  // namespace sc
