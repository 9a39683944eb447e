// The scenario language (.chaos files, docs/scenario-language.md): text in,
// a validated Plan or every error found out. Nothing here runs anything.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/scenario/plan.h"

namespace sc::scenario {

// What the parser needs to know about the rest of the harness, injected so
// that it does not depend on the checkers.
struct ParseContext {
  // True for a figure an expectation may name ("unavailability.longest").
  // "ttr.ID" is checked by the parser itself against the scenario's fault ids.
  std::function<bool(const std::string&)> is_known_figure;
  // Every known figure, for "did you mean".
  std::vector<std::string> figure_names;
  // True for a figure measured in time; when set, `expect lost < 4s` and
  // `expect unavailability.longest < 4` are errors. Empty: units are not checked.
  std::function<bool(const std::string&)> figure_is_duration;
};

// A context that knows exactly `names`.
ParseContext ContextWithFigures(std::vector<std::string> names);

// One problem, located. line and column are 1-based; 0 when the problem
// belongs to no line (a missing statement, a bad --set).
struct Error {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  std::string source_line;   // the line as written, quoted under the message

  // ninja style:
  //   file:line:column: message
  //   <the line>
  //        ^
  std::string ToString() const;
};

struct ParseResult {
  std::optional<Plan> plan;   // set exactly when errors is empty
  std::vector<Error> errors;  // in line order

  bool ok() const { return errors.empty(); }
  // Every error's ToString, one after the other.
  std::string ErrorText() const;
};

// Parses and validates a scenario. `file_name` only labels errors and the
// plan. Reports every error it can find, syntax and plan alike: unknown words
// (with "did you mean"), targets the topology lacks, stops of faults never
// started, unknown figures, a timeline longer than the load, bad option
// combinations. `overrides` ("option=value", as given to --set) apply after
// the file's own topology and load lines, before validation.
ParseResult ParseScenario(const std::string& text, const std::string& file_name, const ParseContext& ctx,
                          const std::vector<std::string>& overrides = {});

// Reads `path` and parses it; a file that cannot be read is one error.
ParseResult ParseScenarioFile(const std::string& path, const ParseContext& ctx,
                              const std::vector<std::string>& overrides = {});

// Sets one topology or load option on an already parsed plan ("replicas=1",
// "duration=20s"), then validates the whole plan again. Returns every error
// (an unknown option names the closest one); on error the plan may be
// partly changed and must not be run.
std::vector<Error> ApplyOverride(Plan& plan, const std::string& setting);

// Checks a plan against its own topology and load (option combinations,
// targets the topology has, a timeline that fits in the load): the part of
// ParseScenario's checks that an override can change.
std::vector<Error> ValidatePlan(const Plan& plan);

// The closest of `candidates` to `word` when close enough to be a typo.
std::optional<std::string> DidYouMean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace sc::scenario
