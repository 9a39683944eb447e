// The Plan: what one run does, as pure data. The parser (parser.h) builds it
// from a .chaos file; the runner walks its timeline and does nothing else.
//
// Times are nanoseconds from the start of the load. Every relative time
// (`after`, `for`, `every`) is already resolved to an absolute one and every
// repetition is expanded, so the runner only needs the steps, in order.
//
// A wait (WaitUntil) blocks the timeline: the runner delays every later step
// by however long the wait actually took (its `at_ns` are nominal times).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/load/load_options.h"
#include "topology/options.h"

namespace sc::scenario {

// Where something was written in the scenario file (1-based; 0 = nowhere).
struct Loc {
  int line = 0;
  int column = 0;
};

// One fault, as written. `kind` is the keyword of its kind in the fault
// registry (harness/faults/fault_kind.h), which knows its syntax, options,
// stop verb, description and JSON. Targets are spec strings resolved by the
// runner when the fault starts: "master" (the master at that instant),
// "replica" (the first replica in server order), "n1".."n3", "random" (a
// random server from the run's seed; ResolveRandom replaces it). Partition
// groups may also hold "client", "others" (every server not on the other
// side) and "servers".
struct FaultSpec {
  std::string id;                      // `as NAME`, or generated "f1", "f2"...
  std::string kind;                    // "kill", "pause", "down", "partition", "cut", "loss", ...
  std::string target;                  // when the kind takes one target
  std::vector<std::vector<std::string>> groups;  // when the kind takes sides: exactly two
  // Every option of the kind (defaults filled in by the parser) and the words
  // its syntax keeps ("process" -> "redis"), checked and normalized.
  std::map<std::string, std::string> options;
  std::string source;                  // the scenario line, trimmed
  int line = 0;

  // Locations used for error messages; the runner ignores them.
  Loc where;                           // the fault's keyword
  Loc target_where;                    // the target (sides: the first word of the first)
  std::vector<std::vector<Loc>> group_where;
  std::map<std::string, Loc> word_where;  // per option / kept word

  // The option's value, "" when absent.
  const std::string& Option(const std::string& name) const {
    static const std::string none;
    auto it = options.find(name);
    return it == options.end() ? none : it->second;
  }
};

// Starts a fault. When `alternatives` is not empty the scenario said
// `one of { ... }`: `spec` then holds only the id, line and source, and the
// fault to start is one alternative, picked from the run's seed
// (ResolveRandom does it before the run).
struct StartFault {
  FaultSpec spec;
  std::vector<FaultSpec> alternatives;
};

// Stops the fault started under `id` (restart, resume, power on, heal).
struct StopFault {
  std::string id;
  std::string verb;                    // as written: restart, resume, up, heal, stop; "for" when automatic
  std::map<std::string, std::string> options;  // the stop verb's options as written and checked (`up NAME mode=resume`)
  Loc name_where;
};

// Blocks until the condition holds or the timeout passes (a timeout is
// recorded in the history, not an error: the run goes on).
struct WaitUntil {
  std::string condition;               // a name in the wait-condition registry (harness/waits/wait_condition.h)
  int64_t timeout_ns = 0;
};

struct Step {
  int64_t at_ns = 0;                   // from load start (nominal: see the waits above)
  int line = 0;
  Loc where;                           // the time word, or the statement when it has none
  std::variant<StartFault, StopFault, WaitUntil> action;
};

// `expect FIGURE OP VALUE`. Durations are in seconds (unit "s"), counts have
// unit "". `op` is one of < <= > >= == !=.
struct Expectation {
  std::string text;                    // the line as written
  std::string figure;
  std::string op;
  double value = 0;
  std::string unit;
  int line = 0;
  int column = 0;                      // of the figure
};

struct Plan {
  std::string name;
  std::string description;
  std::string file;
  topology::Options topology;
  load::LoadOptions load;              // the first `load` line
  // Every later `load` line: one more client group each, driven side by side
  // with the first (docs/client-drivers.md). Each starts from the first
  // line's options; workload, key and duration are the same for all.
  std::vector<load::LoadOptions> more_loads;
  std::optional<uint64_t> seed;        // `seed N`; the runner picks one when absent
  int64_t settle_timeout_ns = 60'000'000'000;
  std::vector<Step> timeline;          // sorted by at_ns; ties keep file order
  std::vector<Expectation> expectations;

  // For error messages only (not serialized).
  std::vector<std::string> source_lines;
  Loc topology_where;
  Loc load_where;
  std::vector<Loc> more_loads_where;
};

// Every load line, first to last: one client group each.
std::vector<load::LoadOptions> LoadLines(const Plan& plan);

// True when `measured OP expected` holds.
bool Holds(const std::string& op, double measured, double expected);

// The fault as a short phrase, from its kind: "kill redis (SIGKILL) on
// master", "partition master | others (both ways)".
std::string DescribeFault(const FaultSpec& f);

// A person's summary of the plan: scenario, topology, load, timeline, checks.
std::string DescribePlan(const Plan& plan);

// The resolved plan, as the runner saves it next to the results.
nlohmann::json PlanToJson(const Plan& plan);

// Resolves every random choice from `seed`, deterministically on every
// platform: each `one of` becomes the alternative it picks (keeping the
// step's id) and each "random" target becomes a server name "nK". Sets
// plan.seed. Resolving a plan twice with the same seed changes nothing.
void ResolveRandom(Plan& plan, uint64_t seed);

}  // namespace sc::scenario
