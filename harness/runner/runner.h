// The Runner walks a Plan: up, load, timeline, heal, settle, final read,
// checks, results, report, down. It owns nothing else: topology, load,
// observation, faults, checks and rendering are the parts it calls.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/scenario/plan.h"

namespace sc::runner {

struct RunSettings {
  std::string out_root = "runs";        // results go to OUT_ROOT/<scenario>/<start time>/
  std::optional<uint64_t> seed;         // overrides the scenario's
  bool quiet = false;                   // no status line
  // How to ask for this run again, without --seed (the runner appends the
  // seed it used): "sentinel-chaos run FILE --set k=v". "" = run FILE.
  std::string command_line;
  std::string inventory;                // "" = network namespaces here; else real hosts over SSH
  // Set from a signal handler: the run stops, heals, cleans up and returns.
  std::atomic<bool>* interrupted = nullptr;
};

struct RunOutcome {
  int exit_code = 0;        // 0 every expectation held, 1 one did not, 3 infrastructure/interrupted
  std::string run_dir;
  std::string error;        // why exit code 3
  nlohmann::json results;   // results.json
};

// Runs the plan for real. REQUIRES: the plan passed validation.
// Never leaves a namespace, process or rule behind, whatever happens.
RunOutcome Run(scenario::Plan plan, const RunSettings& settings);

// Evaluates the plan's expectations against results["figures"]; fills
// results["expectations"] and results["run"]["verdict"]. Pure.
void Judge(const scenario::Plan& plan, nlohmann::json& results);

// "Master redis-server killed" -> "master-redis-server-killed".
std::string Slug(const std::string& name);

}  // namespace sc::runner
