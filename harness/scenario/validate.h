// Plan validation: the checks of a parsed plan against its own topology and
// load (option combinations, targets the topology has, each fault's own
// check from the fault registry, a timeline that fits in the load). Internal
// to parser.cc; ValidatePlan (parser.h) runs them all.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "harness/scenario/parser.h"

namespace sc::scenario {

class PlanValidator {
 public:
  // Appends every problem found to `errors` (unsorted).
  PlanValidator(const Plan& plan, std::vector<Error>& errors) : plan_(plan), errors_(errors) {}

  void CheckTopology();
  void CheckLoad();
  // Each fault (each alternative of a `one of`) through its kind's check.
  void CheckTargets();
  // Every step must happen while the load runs, counting each wait as its
  // whole timeout.
  void CheckDuration();

 private:
  void Report(Loc loc, std::string message);
  // The option word of the statement at `statement` that `problem` starts
  // with ("replicas=5 is not possible..."), else the statement itself.
  Loc OptionLoc(Loc statement, const std::string& problem) const;
  void CheckFault(const FaultSpec& f);

  const Plan& plan_;
  std::vector<Error>& errors_;
  std::set<int> seen_;
};

// Sorts errors by line and column, keeping the order of ties.
void SortByLine(std::vector<Error>& errors);

}  // namespace sc::scenario
