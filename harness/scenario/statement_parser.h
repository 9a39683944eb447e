// The statement parsers: scenario lines (tokens from lexer.h) into a Plan,
// with every syntax error and the checks that need the whole file (stops of
// faults never started, ttr.ID of unknown faults, figure names and units).
// Checks against the topology live in validate.h. Internal to parser.cc.
//
// One class, its methods by concern:
//   cursor.cc          the token cursor and error reporting
//   statements.cc      the driver loop and scenario/description/seed/topology/load/settle/expect
//   timeline.cc        at/after, wait, stops, every, names and steps
//   fault_statement.cc a fault or `one of { ... }`, through the fault registry
//   file_checks.cc     checks over the whole file
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/scenario/lexer.h"
#include "harness/scenario/parser.h"

namespace sc::scenario {

// Thrown after an error was recorded, to abandon the rest of a statement.
struct StatementFailed {};

struct Trailer {
  std::optional<int64_t> for_ns;
  Loc for_where;
  std::string as;
  Loc as_where;
};

struct FaultExpr {
  FaultSpec spec;
  std::vector<FaultSpec> alternatives;  // `one of`
  Trailer trailer;
};

// What the scenario calls a name, for checking the stops and ttr.ID.
struct NameInfo {
  int line = 0;
  std::set<std::string> kinds;
  bool repetition = false;  // the `as` of an `every`: names no single fault
};

class ScenarioParser {
 public:
  ScenarioParser(const std::string& text, const std::string& file, const ParseContext& ctx);

  // Parses every line, then runs the whole-file checks.
  void Run();

  Plan plan;
  std::vector<Error> errors;
  bool topology_ok = false;  // a topology line was given and taken without error
  bool load_ok = true;

  // ---- cursor.cc: the tokens of the current line and errors

  void Report(Loc loc, std::string message);
  Loc LocOf(const Token& t) const { return {line_no_, t.column}; }
  Loc EndLoc() const { return {line_no_, toks_.empty() ? 1 : toks_.back().end}; }
  [[noreturn]] void Fail(Loc loc, std::string message);
  [[noreturn]] void Fail(const Token& t, std::string message) { Fail(LocOf(t), std::move(message)); }
  bool AtEnd() const { return pos_ >= toks_.size(); }
  const Token* Peek() const { return AtEnd() ? nullptr : &toks_[pos_]; }
  bool PeekIs(const std::string& text) const;
  bool PeekSymbol(const std::string& symbol) const;
  const Token& Take() { return toks_[pos_++]; }
  // Takes the next word, or fails with `missing` (at the end of the line) or
  // `missing, got 'X'`.
  const Token& TakeWord(const std::string& missing);
  void ExpectWord(const std::string& word, const std::string& missing);
  void ExpectEnd();
  std::string StatementText() const;
  // A duration with its unit: "5s", "500ms", "1.5s", "2m".
  int64_t TakeTime(const std::string& missing);
  int line_no() const { return line_no_; }

 private:
  // ---- statements.cc
  void ReserveUserNames();
  void ParseStatement();
  void ParseQuoted(std::string& field, bool& seen, const std::string& keyword, const std::string& example);
  void ParseDescription();
  void ParseSeed();
  template <typename SetFn>
  bool ParseOptions(const std::vector<std::string>& names, const std::string& what, SetFn set);
  void ParseTopology();
  void ParseLoad();
  void ParseSettle();
  void ParseExpect();
  void ParseValue(const Token& v, Expectation& e);

  // ---- timeline.cc
  void ParseTimed();
  void ParseWait(int64_t at, Loc where);
  void ParseStop(int64_t at, Loc where);
  void ParseEvery(int64_t at, Loc where);
  std::string NextGeneratedId();
  void RegisterName(const std::string& name, const FaultExpr& expr, Loc as_where, bool repetition);
  void AddFault(int64_t at, Loc where, FaultExpr& expr);
  void AddSteps(int64_t at, Loc where, const FaultExpr& expr);

  // ---- fault_statement.cc
  FaultExpr ParseFaultExpr();
  bool ParseTrailerWord(Trailer& tr);
  FaultSpec ParseFault(Trailer* trailer);
  void SetFaultOption(FaultSpec& f, const Token& t);

 public:  // for the fault cursor (fault_statement.cc)
  void TakeTarget(FaultSpec& f);
  void TakeGroup(FaultSpec& f);
  void TakeSides(FaultSpec& f);

 private:
  // ---- file_checks.cc
  void CheckStops();
  void CheckFigures();
  void CheckUnit(const Expectation& e, Loc at);

  const ParseContext& ctx_;
  int line_no_ = 0;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  int64_t previous_ns_ = 0;
  bool named_ = false;
  bool topology_seen_ = false;
  bool load_seen_ = false;
  std::map<std::string, int> seen_line_;
  std::set<std::string> reserved_;
  std::map<std::string, NameInfo> names_;
  std::vector<std::string> fault_ids_;
  int generated_ = 0;
};

}  // namespace sc::scenario
