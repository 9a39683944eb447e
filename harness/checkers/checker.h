// The Checker interface: a verdict over the run's history. Each checker sees
// every op and event once (in journal order, which is only roughly time
// order), keeps compact numbers rather than Op objects, and writes its part of
// the results document (docs/results.md) in Finish.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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
  std::optional<Nanos> ttr_ns;  // set by AvailabilityChecker::Finish
};

// What checkers share. Filled by RunChecks while reading; Finish calls run in
// a fixed order (availability first) and may publish for later checkers.
struct CheckContext {
  CheckSettings settings;
  nlohmann::json meta = nlohmann::json::object();
  std::string workload;             // settings', else meta's; "" = unknown
  std::vector<FaultRecord> faults;  // sorted by start
  Nanos end_ns = 0;                 // the latest instant in the journal
  // Completion of the first ok write at or after t; nullopt if none. Set by
  // AvailabilityChecker::Finish.
  std::function<std::optional<Nanos>(Nanos)> first_ok_write_after;
};

class Checker {
 public:
  virtual ~Checker();
  virtual void OnOp(const Op&) {}
  virtual void OnEvent(const Event&) {}
  // Writes this checker's sections into `results` and its figures into
  // results["figures"] (seconds for durations, numbers for counts; a figure
  // that could not be measured is left out).
  virtual void Finish(CheckContext& ctx, nlohmann::json& results) = 0;
};

// Seconds, for figures.
inline double Seconds(Nanos ns) { return static_cast<double>(ns) / 1e9; }

}  // namespace sc
