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
  // The suite's matrix values for this run ({"down-after": "1s"}), recorded
  // in the journal's header and in results.json as run.matrix; {} outside a matrix.
  nlohmann::json matrix = nlohmann::json::object();
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

// Results of a run that never wrote results.json (the harness was killed, or
// the machine stopped): the checkers over its journal (whatever it holds),
// the expectations judged from RUN_DIR/plan.json, run.cut_short true,
// run.verdict "error", run.ends_ns the last instant the journal holds and
// run.error saying so. Writes RUN_DIR/results.json and returns true; false
// with *error set when the directory has no readable journal.
bool RecoverResults(const std::string& run_dir, nlohmann::json* results, std::string* error);

// The run's journal in RUN_DIR (history.jsonl, or its compressed form when
// that is what the run wrote); "" when there is none.
std::string JournalPathIn(const std::string& run_dir);

// Evaluates expectations given as JSON (each {text, figure, op, value, unit,
// line}, as plan.json holds them) against results["figures"], like Judge.
void JudgeJson(const nlohmann::json& expectations, nlohmann::json& results);

// "Master redis-server killed" -> "master-redis-server-killed".
std::string Slug(const std::string& name);

}  // namespace sc::runner
