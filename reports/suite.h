// suite.json (schema_version 1, documented in docs/reports.md): what a suite
// of runs produced, one entry per run, built from each run's results.json so
// the runner never needs to know the entry's shape. Plus the comparison of a
// suite against an earlier one (the baseline).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sc::reports {

// The figures copied into every suite entry ("figures" object). A figure the
// run did not measure is null.
const std::vector<std::string>& SuiteFigureNames();

// One run's entry of suite.json, from that run's results.json.
//   run_dir_rel:   the run directory relative to the suite directory ("runs/003-master-kill")
//   failure_class: the column of the matrix ("process kill", "node down", "partition",
//                  or the scenario file stem)
//   matrix_values: the matrix options this run used, {"down-after": "1s", "vip": "on"};
//                  null or {} when the suite sweeps nothing.
// Tolerates a results document with missing sections (verdict "error" when
// the run has none).
nlohmann::json MakeSuiteEntry(const nlohmann::json& run_results, const std::string& run_dir_rel,
                              const std::string& failure_class, const nlohmann::json& matrix_values);

// A whole suite.json: {"schema_version": 1, "name": ..., "created": ..., "runs": [...]}.
// `created` is free text (the runner passes its wall-clock start).
nlohmann::json MakeSuiteDocument(const std::string& name, const std::string& created,
                                 const std::vector<nlohmann::json>& entries);

// What identifies "the same run" across two suites: architecture, failure
// class and matrix values.
std::string SuiteRunKey(const nlohmann::json& entry);

// The entry of `baseline_suite` with the same SuiteRunKey, or nullptr.
const nlohmann::json* FindBaselineEntry(const nlohmann::json& baseline_suite, const nlohmann::json& entry);

struct Regression {
  std::string figure;   // "unavailability.longest", "lost", "verdict", ...
  std::string baseline; // as shown to people: "2.1 s", "0", "pass"
  std::string current;
  std::string rule;     // the threshold crossed: "+20% and +0.2 s", "any increase", "pass became fail"
};

// The figures of `entry` that got worse than in `baseline_entry`:
//   unavailability.longest, unavailability.total, ttr, failover.time, split_brain:
//       current > 1.2 x baseline and current - baseline > 0.2 s
//   lost, unexpected: any increase
//   verdict: pass became anything else
// A figure null on either side is not compared.
std::vector<Regression> CompareToBaseline(const nlohmann::json& entry, const nlohmann::json& baseline_entry);

}  // namespace sc::reports
