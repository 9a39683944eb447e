// The fault-kind registry: everything the rest of the program knows about a
// kind of failure comes from its FaultKind entry, declared in the kind's own
// file beside its implementation (kill_fault.cc, partition_fault.cc, ...).
// The parser reads the keyword, syntax and options; validation calls check;
// the plan's JSON, DescribeFault, --help and the docs tables read the rest;
// the runner gets the Fault from make. Nothing else lists fault kinds.
//
// To add a kind: write NAME_fault.cc with the Fault subclass and a function
// `FaultKind NameFaultKind()` that fills the entry, then add one line to
// BuiltinFaultKinds() in registry.cc (the order there is the order of every
// list a person reads: errors, --help, docs). A test may Register() a kind of
// its own instead.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/faults/fault_option.h"
#include "harness/scenario/plan.h"
#include "topology/backend.h"
#include "topology/options.h"

namespace sc::faults {

class Fault;

// The parser's cursor over the words after a fault's keyword, as a fault
// kind's syntax sees it. Every call either takes what it asks for or reports
// an error located at the offending word (or the end of the line) and
// abandons the statement (the call does not return then).
class FaultWords {
 public:
  virtual ~FaultWords() = default;
  // Takes the next word, which must be one of `words`; stores it in
  // spec.options[store_as] (and its place in spec.word_where) and returns it.
  // Errors: `message` at the end of the line, `message, got 'X'` (with a
  // "did you mean") on another word.
  virtual std::string TakeOneOf(const std::vector<std::string>& words, const std::string& message,
                                const std::string& store_as) = 0;
  // Takes exactly `word`; error: `message, got 'X'` or `message` at the end.
  virtual void Expect(const std::string& word, const std::string& message) = 0;
  // True when the next word is `word` (not taken).
  virtual bool NextIs(const std::string& word) const = 0;
  // Takes one target (master, replica, random, nK) into spec.target.
  virtual void TakeTarget() = 0;
  // Takes `SIDE | SIDE` (comma lists of targets, client, others, servers)
  // into spec.groups.
  virtual void TakeSides() = 0;
};

// What a kind's check sees before the run: the topology, and where to report.
class TopologyCheck {
 public:
  TopologyCheck(const topology::Options& topology, std::function<void(scenario::Loc, std::string)> report)
      : topology_(topology), report_(std::move(report)) {}
  const topology::Options& topology() const { return topology_; }
  void Report(scenario::Loc where, std::string message) const { report_(where, std::move(message)); }

  // "topology sentinel3", "topology sentinel3 with replicas=1".
  std::string TopologyName() const;
  // Why `word` names no server of this topology ("topology single has no
  // replica", "... has no n4 (its servers: n1, n2 and n3)"), nullopt when it does.
  std::optional<std::string> ServerProblem(const std::string& word) const;
  // Why server `word` (nK) runs no Sentinel here, nullopt when it runs one
  // or names no server at all (ServerProblem reports that).
  std::optional<std::string> SentinelProblem(const std::string& word) const;

 private:
  const topology::Options& topology_;
  std::function<void(scenario::Loc, std::string)> report_;
};

// The stop statement of a kind: `restart NAME`, `up NAME mode=resume`.
// `stop NAME` stops every kind; `for T` is the automatic stop.
struct StopVerb {
  std::string word;                   // "restart"; "stop" for a kind that has no verb of its own
  std::vector<FaultOption> options;   // `up NAME mode=resume`: optional, no defaults filled in
};

struct FaultKind {
  std::string keyword;       // the verb that starts it in a scenario, also its name in JSON: "kill"
  std::string noun;          // with its article, for errors: "a node down"
  std::string short_noun;    // in lists of what a stop verb stops: "node down" ("a partition, cut or loss")
  std::string usage;         // syntax for --help and the docs: "kill redis|sentinel on TARGET"
  std::string description;   // one sentence for --help and the docs
  std::string example;       // a timeline line for the docs: "at 5s kill redis on master as m1"
  // Reads what follows the keyword (not the options, `for` or `as`).
  // Empty: the keyword stands alone (`failover`).
  std::function<void(FaultWords&, scenario::FaultSpec&)> syntax;
  std::vector<FaultOption> options;   // NAME=VALUE after the fault
  StopVerb stop;
  // The fault as a short phrase for plans, status and reports:
  // "kill redis (SIGKILL) on master".
  std::function<std::string(const scenario::FaultSpec&)> describe;
  // Checks the fault against the topology before the run. Empty: the
  // target, when the kind has one, must be a server of the topology.
  std::function<void(const scenario::FaultSpec&, const TopologyCheck&)> check;
  // Checks that this machine can do the fault, once the backend is made and
  // before the topology is built (e.g. a cgroup controller is mounted).
  // Returns "" or what is missing, in words a person can act on; the run
  // then stops with exit code 3 before anything is started. Empty: nothing
  // to check.
  std::function<std::string(const scenario::FaultSpec&, const topology::Backend&)> preflight;
  // The Fault that does it. REQUIRES: spec.kind == keyword, options checked
  // and defaults filled in (MakeFault does it).
  std::function<std::unique_ptr<Fault>(const scenario::FaultSpec&, const std::string& tag)> make;

  const FaultOption* Option(const std::string& name) const;
};

// Every registered kind, in registration order.
class FaultRegistry {
 public:
  // Adds a kind. REQUIRES: a keyword not yet registered, describe and make set.
  void Register(FaultKind kind);
  // The kind with this keyword, or null.
  const FaultKind* Find(const std::string& keyword) const;
  const std::vector<FaultKind>& All() const { return kinds_; }
  std::vector<std::string> Keywords() const;
  // Every stop verb, in the order kinds declare them, then "stop".
  std::vector<std::string> StopVerbs() const;
  // The stop verb `word` with the options of every kind using it; null if none.
  const StopVerb* FindStopVerb(const std::string& word) const;
  // What `word` stops, for errors: "a kill", "a partition, cut or loss".
  std::string WhatStopVerbStops(const std::string& word) const;

 private:
  std::vector<FaultKind> kinds_;
  std::vector<StopVerb> stop_verbs_;
};

// The program's registry: the built-in kinds (registry.cc), plus any a test
// registered. Not thread-safe while registering; register before parsing.
FaultRegistry& FaultKinds();

// The kind of a spec. Throws std::logic_error for an unknown kind (a plan
// built by hand with a typo).
const FaultKind& KindOf(const scenario::FaultSpec& spec);

// spec with every option of its kind that it lacks set to its default.
scenario::FaultSpec WithDefaults(const scenario::FaultSpec& spec);

// Helpers for kinds' describe functions: "n1,n2".
std::string JoinWords(const std::vector<std::string>& words, const std::string& sep);

}  // namespace sc::faults
