#include "harness/scenario/parser.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <tuple>

namespace sc::scenario {
namespace {

// ---------------------------------------------------------------- words

const std::vector<std::string> kFaultVerbs = {"kill", "pause", "down", "partition", "cut", "loss"};
const std::vector<std::string> kStopVerbs = {"restart", "resume", "up", "heal", "stop"};
const std::vector<std::string> kTargetWords = {"master", "replica", "random", "n1", "n2", "n3"};
const std::vector<std::string> kGroupWords = {"master", "replica", "random", "n1",     "n2",
                                              "n3",     "client",  "others", "servers"};
const std::vector<std::string> kConditions = {"failover", "vip-moved", "replicas-in-sync", "settled"};

std::vector<std::string> Concat(std::initializer_list<std::vector<std::string>> lists) {
  std::vector<std::string> out;
  for (const auto& l : lists) out.insert(out.end(), l.begin(), l.end());
  return out;
}

const std::vector<std::string>& ActionWords() {
  static const auto words = Concat({kFaultVerbs, {"one", "every"}, kStopVerbs, {"wait"}});
  return words;
}

const std::vector<std::string>& StatementWords() {
  static const auto words = Concat(
      {{"scenario", "description", "seed", "topology", "load", "settle", "expect", "at", "after"}, ActionWords()});
  return words;
}

bool Contains(const std::vector<std::string>& list, const std::string& word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// "n1", "n12": a server named by number.
std::optional<int> ServerNumber(const std::string& word) {
  if (word.size() < 2 || word[0] != 'n' || word[1] < '1' || word[1] > '9' || word.size() > 4) return std::nullopt;
  for (size_t i = 1; i < word.size(); ++i)
    if (word[i] < '0' || word[i] > '9') return std::nullopt;
  return std::stoi(word.substr(1));
}

bool IsTargetWord(const std::string& w) {
  return w == "master" || w == "replica" || w == "random" || ServerNumber(w).has_value();
}

bool IsIdentifier(const std::string& w) {
  if (w.empty() || !(std::isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_')) return false;
  for (char c : w)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return true;
}

// "32s", "1.5s", "500ms": a duration as a person writes it.
std::string FormatDuration(int64_t ns) {
  if (ns % 1'000'000'000 == 0) return std::to_string(ns / 1'000'000'000) + "s";
  if (ns < 1'000'000'000 && ns % 1'000'000 == 0) return std::to_string(ns / 1'000'000) + "ms";
  std::ostringstream out;
  out << static_cast<double>(ns) / 1e9 << "s";
  return out.str();
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

std::string WithSuggestion(std::string message, const std::string& word, const std::vector<std::string>& candidates) {
  if (auto s = DidYouMean(word, candidates)) message += "; did you mean " + Quote(*s) + "?";
  return message;
}

// "n1", "n1 and n2", "n1, n2 and n3"
std::string ServerList(int servers) {
  std::string out;
  for (int i = 1; i <= servers; ++i) {
    if (i > 1) out += (i == servers ? " and " : ", ");
    out += "n" + std::to_string(i);
  }
  return out;
}

std::string ListOf(const std::vector<int>& hosts) {
  std::string out;
  for (size_t i = 0; i < hosts.size(); ++i) {
    if (i > 0) out += (i + 1 == hosts.size() ? " and " : ", ");
    out += "n" + std::to_string(hosts[i]);
  }
  return out;
}

std::string TopologyName(const topology::Options& o) {
  std::string name = std::string("topology ") + topology::ToString(o.kind);
  if (o.kind == topology::Kind::kSentinel3 && o.replicas == 1) name += " with replicas=1";
  return name;
}

const char* StopVerbFor(FaultKind k) {
  switch (k) {
    case FaultKind::kKill: return "restart";
    case FaultKind::kPause: return "resume";
    case FaultKind::kNodeDown: return "up";
    default: return "heal";
  }
}

const char* KindNoun(FaultKind k) {
  switch (k) {
    case FaultKind::kKill: return "a kill";
    case FaultKind::kPause: return "a pause";
    case FaultKind::kNodeDown: return "a node down";
    case FaultKind::kPartition: return "a partition";
    case FaultKind::kClientCut: return "a client cut";
    case FaultKind::kLoss: return "a packet loss";
  }
  return "a fault";
}

Error MakeError(const std::string& file, const std::vector<std::string>& lines, Loc loc, std::string message) {
  Error e;
  e.file = file;
  e.line = loc.line;
  e.column = loc.column;
  e.message = std::move(message);
  if (loc.line >= 1 && loc.line <= static_cast<int>(lines.size())) e.source_line = lines[loc.line - 1];
  return e;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

// ---------------------------------------------------------------- tokens

enum class TokKind { kWord, kString, kSymbol };

struct Token {
  TokKind kind = TokKind::kWord;
  std::string text;   // a string's text without its quotes
  int column = 0;     // 1-based, first character
  int end = 0;        // column just after the last character
};

bool IsSymbol(char c) { return c == '|' || c == ',' || c == '{' || c == '}' || c == ';'; }

// Splits one line into words, "strings" and the symbols | , { } ;
// A '#' starting a token begins a comment. Returns false on an unterminated
// string, with its column in `bad_column`.
bool Tokenize(const std::string& line, std::vector<Token>& out, int& bad_column) {
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (c == ' ' || c == '\t') { ++i; continue; }
    if (c == '#') break;
    Token t;
    t.column = static_cast<int>(i) + 1;
    if (IsSymbol(c)) {
      t.kind = TokKind::kSymbol;
      t.text = std::string(1, c);
      ++i;
    } else if (c == '"') {
      t.kind = TokKind::kString;
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '\\' && i + 1 < line.size()) {
          t.text += line[i + 1];
          i += 2;
        } else if (line[i] == '"') {
          closed = true;
          ++i;
          break;
        } else {
          t.text += line[i++];
        }
      }
      if (!closed) {
        bad_column = t.column;
        return false;
      }
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '"' && !IsSymbol(line[i]))
        t.text += line[i++];
    }
    t.end = static_cast<int>(i) + 1;
    out.push_back(t);
  }
  return true;
}

// ---------------------------------------------------------------- parser

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
  std::set<FaultKind> kinds;
  bool repetition = false;  // the `as` of an `every`: names no single fault
};

class Parser {
 public:
  Parser(const std::string& text, const std::string& file, const ParseContext& ctx) : ctx_(ctx) {
    plan.file = file;
    plan.source_lines = SplitLines(text);
  }

  void Run() {
    ReserveUserNames();
    for (size_t i = 0; i < plan.source_lines.size(); ++i) {
      line_no_ = static_cast<int>(i) + 1;
      toks_.clear();
      pos_ = 0;
      int bad_column = 0;
      if (!Tokenize(plan.source_lines[i], toks_, bad_column)) {
        Report({line_no_, bad_column}, "unterminated string: add the closing '\"'");
        continue;
      }
      if (toks_.empty()) continue;
      try {
        ParseStatement();
      } catch (const StatementFailed&) {
      }
    }
    if (!named_) Report({}, "missing the scenario's name: add a line such as scenario \"Master killed\"");
    if (!topology_seen_) Report({}, "missing the topology: add a line such as topology sentinel3");
    std::stable_sort(plan.timeline.begin(), plan.timeline.end(),
                     [](const Step& a, const Step& b) { return a.at_ns < b.at_ns; });
    CheckStops();
    CheckFigures();
  }

  Plan plan;
  std::vector<Error> errors;
  bool topology_ok = false;  // a topology line was given and taken without error
  bool load_ok = true;

 private:
  // ---- errors and the token cursor

  void Report(Loc loc, std::string message) {
    errors.push_back(MakeError(plan.file, plan.source_lines, loc, std::move(message)));
  }
  Loc LocOf(const Token& t) const { return {line_no_, t.column}; }
  Loc EndLoc() const { return {line_no_, toks_.empty() ? 1 : toks_.back().end}; }
  [[noreturn]] void Fail(Loc loc, std::string message) {
    Report(loc, std::move(message));
    throw StatementFailed{};
  }
  [[noreturn]] void Fail(const Token& t, std::string message) { Fail(LocOf(t), std::move(message)); }

  bool AtEnd() const { return pos_ >= toks_.size(); }
  const Token* Peek() const { return AtEnd() ? nullptr : &toks_[pos_]; }
  bool PeekIs(const std::string& text) const { return !AtEnd() && toks_[pos_].text == text && toks_[pos_].kind != TokKind::kString; }
  const Token& Take() { return toks_[pos_++]; }

  // Takes the next word, or fails with `missing` at the end of the line.
  const Token& TakeWord(const std::string& missing) {
    if (AtEnd()) Fail(EndLoc(), missing);
    const Token& t = Take();
    if (t.kind != TokKind::kWord) Fail(t, missing + ", got " + Quote(t.text));
    return t;
  }

  void ExpectWord(const std::string& word, const std::string& missing) {
    if (AtEnd()) Fail(EndLoc(), missing);
    const Token& t = Take();
    if (t.text != word || t.kind != TokKind::kWord) Fail(t, missing + ", got " + Quote(t.text));
  }

  void ExpectEnd() {
    if (!AtEnd()) Fail(*Peek(), "unexpected " + Quote(Peek()->text) + " at the end of the statement");
  }

  std::string StatementText() const {
    const std::string& line = plan.source_lines[line_no_ - 1];
    return line.substr(toks_.front().column - 1, toks_.back().end - toks_.front().column);
  }

  // A duration with its unit: "5s", "500ms", "1.5s", "2m".
  int64_t TakeTime(const std::string& missing) {
    const Token& t = TakeWord(missing);
    const std::string& w = t.text;
    if (!w.empty() && std::isdigit(static_cast<unsigned char>(w.back())) && topology::ParseDurationNs(w))
      Fail(t, Quote(w) + " needs a unit, e.g. " + w + "s or " + w + "ms");
    auto ns = topology::ParseDurationNs(w);
    if (!ns) Fail(t, missing + ", got " + Quote(w));
    return *ns;
  }

  // ---- statements

  void ReserveUserNames() {
    for (const auto& line : plan.source_lines) {
      std::vector<Token> toks;
      int bad = 0;
      Tokenize(line, toks, bad);
      for (size_t i = 0; i + 1 < toks.size(); ++i)
        if (toks[i].text == "as") reserved_.insert(toks[i + 1].text);
    }
  }

  void ParseStatement() {
    const Token& first = *Peek();
    const std::string& w = first.text;
    if (first.kind != TokKind::kWord)
      Fail(first, "expected a statement such as 'topology', 'at' or 'expect', got " + Quote(w));
    if (w == "scenario") return ParseQuoted(plan.name, named_, "scenario", "scenario \"Master killed\"");
    if (w == "description") return ParseDescription();
    if (w == "seed") return ParseSeed();
    if (w == "topology") return ParseTopology();
    if (w == "load") return ParseLoad();
    if (w == "settle") return ParseSettle();
    if (w == "expect") return ParseExpect();
    if (w == "at" || w == "after" || Contains(ActionWords(), w)) return ParseTimed();
    Fail(first, WithSuggestion("unknown statement " + Quote(w), w, StatementWords()));
  }

  void ParseQuoted(std::string& field, bool& seen, const std::string& keyword, const std::string& example) {
    Take();
    if (seen) Fail(toks_.front(), "'" + keyword + "' is given twice (first on line " + std::to_string(seen_line_[keyword]) + ")");
    const std::string missing = "expected a quoted text after '" + keyword + "', e.g. " + example;
    if (AtEnd()) Fail(EndLoc(), missing);
    const Token& t = Take();
    if (t.kind != TokKind::kString) Fail(t, missing);
    ExpectEnd();
    field = t.text;
    seen = true;
    seen_line_[keyword] = line_no_;
  }

  // Several description lines make one paragraph.
  void ParseDescription() {
    Take();
    const std::string missing = "expected a quoted text after 'description', e.g. description \"Sentinel fails over.\"";
    if (AtEnd()) Fail(EndLoc(), missing);
    const Token& t = Take();
    if (t.kind != TokKind::kString) Fail(t, missing);
    ExpectEnd();
    if (!plan.description.empty()) plan.description += " ";
    plan.description += t.text;
  }

  void ParseSeed() {
    Take();
    const Token& t = TakeWord("expected a number after 'seed', e.g. seed 42");
    if (t.text.empty() || t.text.size() > 19 || t.text.find_first_not_of("0123456789") != std::string::npos)
      Fail(t, "the seed must be a whole number from 0 to 999999999999999999, got " + Quote(t.text));
    ExpectEnd();
    plan.seed = std::stoull(t.text);
  }

  // name=value words; calls `set` for each and reports its error at the value.
  template <typename SetFn>
  bool ParseOptions(const std::vector<std::string>& names, const std::string& what, SetFn set) {
    bool ok = true;
    while (!AtEnd()) {
      const Token& t = Take();
      auto eq = t.text.find('=');
      if (t.kind != TokKind::kWord || eq == std::string::npos || eq == 0) {
        Report(LocOf(t), "expected " + what + " option=value, got " + Quote(t.text));
        ok = false;
        continue;
      }
      const std::string name = t.text.substr(0, eq), value = t.text.substr(eq + 1);
      if (!Contains(names, name)) {
        Report(LocOf(t), WithSuggestion("unknown " + what + " option " + Quote(name), name, names));
        ok = false;
      } else if (auto e = set(name, value)) {
        Report({line_no_, t.column + static_cast<int>(eq) + 1}, *e);
        ok = false;
      }
    }
    return ok;
  }

  void ParseTopology() {
    Take();
    if (topology_seen_) Fail(toks_.front(), "'topology' is given twice (first on line " + std::to_string(plan.topology_where.line) + ")");
    topology_seen_ = true;
    plan.topology_where = LocOf(toks_.front());
    const std::string kinds = "single, sentinel1, sentinel2 or sentinel3";
    const Token& k = TakeWord("expected a topology kind: " + kinds);
    if (!topology::ParseKind(k.text))
      Fail(k, WithSuggestion("unknown topology kind " + Quote(k.text) + "; expected " + kinds, k.text,
                             {"single", "sentinel1", "sentinel2", "sentinel3"}));
    topology::SetOption(plan.topology, "topology", k.text);
    topology_ok = ParseOptions(topology::OptionNames(), "topology", [&](const std::string& n, const std::string& v) {
      return topology::SetOption(plan.topology, n, v);
    });
  }

  void ParseLoad() {
    Take();
    if (load_seen_) Fail(toks_.front(), "'load' is given twice (first on line " + std::to_string(plan.load_where.line) + ")");
    load_seen_ = true;
    plan.load_where = LocOf(toks_.front());
    load_ok = ParseOptions(load::LoadOptionNames(), "load", [&](const std::string& n, const std::string& v) {
      return load::SetLoadOption(plan.load, n, v);
    });
  }

  void ParseSettle() {
    Take();
    ExpectWord("timeout", "expected 'timeout' after 'settle', e.g. settle timeout 30s");
    int64_t t = TakeTime("expected a duration after 'settle timeout', e.g. 30s");
    ExpectEnd();
    if (t <= 0) Fail(toks_[2], "the settle timeout must be longer than 0");
    plan.settle_timeout_ns = t;
  }

  // ---- expectations

  void ParseExpect() {
    Take();
    Expectation e;
    e.text = StatementText();
    e.line = line_no_;
    const Token& f = TakeWord("expected a figure after 'expect', e.g. expect lost == 0");
    e.column = f.column;
    if (f.text == "no") {
      const Token& what = TakeWord("expected failover, loss or split-brain after 'expect no'");
      if (what.text == "failover") e.figure = "failovers";
      else if (what.text == "loss") e.figure = "lost";
      else if (what.text == "split-brain") e.figure = "split_brain";
      else Fail(what, WithSuggestion("unknown " + Quote("expect no " + what.text) + "; expected failover, loss or split-brain",
                                     what.text, {"failover", "loss", "split-brain"}));
      e.op = "==";
      e.value = 0;
      e.unit = e.figure == "split_brain" ? "s" : "";
    } else if (f.text == "failover" && PeekIs("within")) {
      Take();
      e.figure = "failover.time";
      e.op = "<=";
      e.value = static_cast<double>(TakeTime("expected a duration after 'within', e.g. 5s")) / 1e9;
      e.unit = "s";
    } else {
      if (f.text.find_first_of("<>=!") != std::string::npos)
        Fail(f, "put spaces around the comparison: expect FIGURE OP VALUE, e.g. expect lost == 0");
      e.figure = f.text;
      const std::vector<std::string> ops = {"<", "<=", ">", ">=", "==", "!="};
      const Token& op = TakeWord("expected a comparison (< <= > >= == !=) after " + Quote(f.text));
      if (!Contains(ops, op.text))
        Fail(op, op.text == "="
                     ? std::string("'=' is not a comparison; did you mean '=='?")
                     : "expected a comparison (< <= > >= == !=), got " + Quote(op.text));
      e.op = op.text;
      const Token& v = TakeWord("expected a value after " + Quote(op.text) + ", e.g. 4s, 500ms or 12");
      ParseValue(v, e);
    }
    ExpectEnd();
    plan.expectations.push_back(e);
  }

  // "12", "0.5" (a count) or "4s", "500ms" (seconds).
  void ParseValue(const Token& v, Expectation& e) {
    const std::string& w = v.text;
    char* end = nullptr;
    double number = std::strtod(w.c_str(), &end);
    if (!w.empty() && end == w.c_str() + w.size() && std::isfinite(number)) {
      e.value = number;
      e.unit = "";
      return;
    }
    auto ns = topology::ParseDurationNs(w);
    if (!ns) Fail(v, Quote(w) + " is not a number or a duration (e.g. 12, 4s, 500ms)");
    e.value = static_cast<double>(*ns) / 1e9;
    e.unit = "s";
  }

  // ---- the timeline

  void ParseTimed() {
    const Token& first = *Peek();
    Loc where = LocOf(first);
    int64_t at = previous_ns_;
    if (first.text == "at" || first.text == "after") {
      Take();
      int64_t t = TakeTime("expected a time after '" + first.text + "', e.g. " + first.text + " 5s");
      at = first.text == "at" ? t : previous_ns_ + t;
      if (AtEnd())
        Fail(EndLoc(), "expected what happens after " + Quote(first.text + " " + toks_[1].text) +
                           ": a fault (kill, pause, down, partition, cut, loss), a stop (restart, resume, up, heal, stop), "
                           "'wait', 'every' or 'one of'");
    }
    previous_ns_ = at;
    const Token& verb = *Peek();
    const std::string& v = verb.text;
    if (v == "every") return ParseEvery(at, where);
    if (Contains(kStopVerbs, v)) return ParseStop(at, where);
    if (v == "wait") return ParseWait(at, where);
    if (v == "one" || Contains(kFaultVerbs, v)) {
      FaultExpr expr = ParseFaultExpr();
      return AddFault(at, where, expr);
    }
    Fail(verb, WithSuggestion("unknown action " + Quote(v), v, ActionWords()));
  }

  void ParseWait(int64_t at, Loc where) {
    Take();
    ExpectWord("until", "expected 'until' after 'wait', e.g. wait until failover timeout 10s");
    const Token& c = TakeWord("expected a condition after 'wait until': failover, vip-moved, replicas-in-sync or settled");
    WaitUntil w;
    if (c.text == "failover") w.condition = WaitCondition::kFailover;
    else if (c.text == "vip-moved") w.condition = WaitCondition::kVipMoved;
    else if (c.text == "replicas-in-sync") w.condition = WaitCondition::kReplicasInSync;
    else if (c.text == "settled") w.condition = WaitCondition::kSettled;
    else Fail(c, WithSuggestion("unknown condition " + Quote(c.text) + "; expected failover, vip-moved, replicas-in-sync or settled",
                                c.text, kConditions));
    ExpectWord("timeout", "expected 'timeout T' after the condition, e.g. wait until failover timeout 10s");
    const Token& t = *Peek();
    w.timeout_ns = TakeTime("expected a duration after 'timeout', e.g. 10s");
    if (w.timeout_ns <= 0) Fail(t, "the wait's timeout must be longer than 0");
    ExpectEnd();
    plan.timeline.push_back(Step{at, line_no_, where, w});
  }

  void ParseStop(int64_t at, Loc where) {
    const Token& verb = Take();
    const Token& name = TakeWord("expected the name of a fault after '" + verb.text + "', e.g. " + verb.text + " m1");
    StopFault stop;
    stop.id = name.text;
    stop.verb = verb.text;
    stop.name_where = LocOf(name);
    if (verb.text == "up") {
      while (!AtEnd()) {
        const Token& t = Take();
        if (t.text == "mode=reboot") stop.mode = UpMode::kReboot;
        else if (t.text == "mode=resume") stop.mode = UpMode::kResume;
        else if (t.text.rfind("mode=", 0) == 0) Fail(t, "mode must be reboot or resume, got " + Quote(t.text.substr(5)));
        else Fail(t, "unexpected " + Quote(t.text) + "; 'up' takes only mode=reboot or mode=resume");
      }
    }
    if (!AtEnd() && PeekIs("on") && (verb.text == "restart" || verb.text == "resume"))
      Fail(name, "'" + verb.text + "' takes the name given to a fault with 'as', e.g. at 5s kill redis on master as m1, then " + verb.text + " m1");
    ExpectEnd();
    plan.timeline.push_back(Step{at, line_no_, where, stop});
  }

  void ParseEvery(int64_t at, Loc where) {
    const Token& every = Take();
    const Token& period_tok = *Peek();
    int64_t period = TakeTime("expected a period after 'every', e.g. every 4s for 20s");
    if (period <= 0) Fail(period_tok, "the period of 'every' must be longer than 0");
    ExpectWord("for", "expected 'for D' after the period, e.g. every 4s for 20s");
    const Token& span_tok = *Peek();
    int64_t span = TakeTime("expected how long to repeat after 'for', e.g. every 4s for 20s");
    if (span <= 0) Fail(span_tok, "the repetition must last longer than 0");
    if (AtEnd()) Fail(EndLoc(), "expected the fault to repeat, e.g. every 4s for 20s partition master | others for 1s");
    FaultExpr expr = ParseFaultExpr();
    if (!expr.trailer.for_ns)
      Fail(EndLoc(), "a repeated fault needs 'for T', how long each one lasts, e.g. every 4s for 20s partition master | others for 1s");
    if (*expr.trailer.for_ns >= period)
      Fail(expr.trailer.for_where, "each fault lasts " + FormatDuration(*expr.trailer.for_ns) + " but one starts every " +
                                      FormatDuration(period) + ": 'for' must be shorter than the period");
    std::string base = expr.trailer.as.empty() ? NextGeneratedId() : expr.trailer.as;
    RegisterName(base, expr, expr.trailer.as_where, /*repetition=*/true);
    (void)every;
    int count = 0;
    for (int64_t t = at; t < at + span; t += period) {
      FaultExpr one = expr;
      one.trailer.as = base + "." + std::to_string(++count);
      RegisterName(one.trailer.as, one, {}, false);
      AddSteps(t, where, one);
    }
  }

  // kill ..., pause ..., or `one of { ... ; ... }`, then for / as.
  FaultExpr ParseFaultExpr() {
    FaultExpr expr;
    if (!PeekIs("one")) {
      expr.spec = ParseFault(&expr.trailer);
      return expr;
    }
    const Token& one = Take();
    ExpectWord("of", "expected 'of' after 'one', e.g. one of { kill redis on master ; down replica }");
    if (AtEnd() || Peek()->text != "{" || Peek()->kind != TokKind::kSymbol)
      Fail(AtEnd() ? EndLoc() : LocOf(*Peek()), "expected '{' after 'one of', e.g. one of { kill redis on master ; down replica }");
    Take();
    while (true) {
      expr.alternatives.push_back(ParseFault(nullptr));
      if (AtEnd()) Fail(EndLoc(), "'one of' is missing its closing '}'");
      const Token& sep = Take();
      if (sep.text == "}") break;
    }
    if (expr.alternatives.size() < 2)
      Fail(one, "'one of' needs at least two choices, separated by ';'");
    while (!AtEnd()) {
      if (!ParseTrailerWord(expr.trailer)) Fail(*Peek(), "unexpected " + Quote(Peek()->text) + " after 'one of { ... }'; expected 'for T' or 'as NAME'");
    }
    expr.spec.line = line_no_;
    expr.spec.where = LocOf(one);
    return expr;
  }

  // `for T` or `as NAME`; false when the next token is neither.
  bool ParseTrailerWord(Trailer& tr) {
    if (PeekIs("for")) {
      const Token& f = Take();
      if (tr.for_ns) Fail(f, "'for' is given twice");
      const Token& t = *Peek();
      tr.for_ns = TakeTime("expected a duration after 'for', e.g. for 5s");
      if (*tr.for_ns <= 0) Fail(t, "'for' needs a duration longer than 0");
      tr.for_where = LocOf(f);
      return true;
    }
    if (PeekIs("as")) {
      const Token& a = Take();
      if (!tr.as.empty()) Fail(a, "'as' is given twice");
      const Token& n = TakeWord("expected a name after 'as', e.g. as m1");
      if (Contains(StatementWords(), n.text))
        Fail(n, Quote(n.text) + " is a word of the language and cannot name a fault; pick another name, e.g. m1");
      if (!IsIdentifier(n.text))
        Fail(n, Quote(n.text) + " cannot name a fault: use letters, digits, '-' and '_', starting with a letter (e.g. m1)");
      tr.as = n.text;
      tr.as_where = LocOf(n);
      return true;
    }
    return false;
  }

  // One fault. `trailer` is null inside `one of`, where for / as belong after
  // the closing '}' and ';' or '}' ends the fault.
  FaultSpec ParseFault(Trailer* trailer) {
    FaultSpec f;
    f.line = line_no_;
    f.source = StatementText();
    const std::string faults = "a fault (kill, pause, down, partition, cut or loss)";
    const Token& verb = TakeWord("expected " + faults);
    f.where = LocOf(verb);
    const std::string& v = verb.text;
    if (v == "kill" || v == "pause") {
      f.kind = v == "kill" ? FaultKind::kKill : FaultKind::kPause;
      const Token& p = TakeWord("expected redis or sentinel after '" + v + "'");
      if (p.text == "redis") f.process = Process::kRedis;
      else if (p.text == "sentinel") f.process = Process::kSentinel;
      else Fail(p, WithSuggestion("expected redis or sentinel after '" + v + "', got " + Quote(p.text), p.text, {"redis", "sentinel"}));
      f.process_where = LocOf(p);
      ExpectWord("on", "expected 'on' after '" + v + " " + p.text + "', e.g. " + v + " " + p.text + " on master");
      TakeTarget(f);
    } else if (v == "down") {
      f.kind = FaultKind::kNodeDown;
      TakeTarget(f);
    } else if (v == "partition") {
      f.kind = FaultKind::kPartition;
      const std::string two_sides = "a partition needs two sides separated by '|', e.g. partition master | others";
      TakeGroup(f);
      if (AtEnd() || Peek()->text != "|" || Peek()->kind != TokKind::kSymbol)
        Fail(AtEnd() ? EndLoc() : LocOf(*Peek()), two_sides);
      Take();
      if (AtEnd()) Fail(EndLoc(), two_sides);
      TakeGroup(f);
      f.target_where = f.group_where[0][0];
    } else if (v == "cut") {
      f.kind = FaultKind::kClientCut;
      ExpectWord("client", "'cut' cuts the client from a server: expected cut client from TARGET");
      ExpectWord("from", "expected 'from' after 'cut client', e.g. cut client from master");
      TakeTarget(f);
    } else if (v == "loss") {
      f.kind = FaultKind::kLoss;
      TakeTarget(f);
    } else {
      Fail(verb, WithSuggestion("expected " + faults + ", got " + Quote(v), v, kFaultVerbs));
    }
    while (!AtEnd()) {
      const Token& t = *Peek();
      if (!trailer && t.kind == TokKind::kSymbol && (t.text == ";" || t.text == "}")) break;
      if (!trailer && (t.text == "for" || t.text == "as"))
        Fail(t, "put '" + t.text + "' after the closing '}' of 'one of': it applies to whichever fault is chosen");
      if (trailer && ParseTrailerWord(*trailer)) continue;
      if (t.kind == TokKind::kWord && t.text.find('=') != std::string::npos) {
        Take();
        SetFaultOption(f, t);
        continue;
      }
      if (!trailer && t.text == "|")
        Fail(t, "separate the choices of 'one of' with ';', e.g. one of { kill redis on master ; down replica }");
      Fail(t, "unexpected " + Quote(t.text) + " after the fault");
    }
    if (f.kind == FaultKind::kLoss && f.percent == 0)
      Fail(verb, "'loss' needs percent=N, the share of packets dropped (1 to 100), e.g. loss master percent=30");
    return f;
  }

  void TakeTarget(FaultSpec& f) {
    const std::string expected = "expected a target: master, replica, random or a server n1, n2, n3";
    const Token& t = TakeWord(expected);
    if (!IsTargetWord(t.text)) {
      if (t.text == "client" || t.text == "others" || t.text == "servers")
        Fail(t, Quote(t.text) + " is a target only in a partition; " + expected);
      Fail(t, WithSuggestion("unknown target " + Quote(t.text) + " (targets: master, replica, random, n1, n2, n3)", t.text,
                             kTargetWords));
    }
    f.target = t.text;
    f.target_where = LocOf(t);
  }

  // A comma list: master,n2 / others / client,n1.
  void TakeGroup(FaultSpec& f) {
    std::vector<std::string> group;
    std::vector<Loc> where;
    const std::string expected = "expected a partition side: master, replica, random, n1..n3, client, others or servers";
    while (true) {
      const Token& t = TakeWord(expected);
      if (!IsTargetWord(t.text) && !Contains(kGroupWords, t.text))
        Fail(t, WithSuggestion("unknown partition side " + Quote(t.text) +
                                   " (sides list master, replica, random, n1..n3, client, others or servers)",
                               t.text, kGroupWords));
      if (Contains(group, t.text)) Fail(t, Quote(t.text) + " is named twice on the same side");
      group.push_back(t.text);
      where.push_back(LocOf(t));
      if (!PeekIs(",") || Peek()->kind != TokKind::kSymbol) break;
      Take();
    }
    f.groups.push_back(group);
    f.group_where.push_back(where);
  }

  void SetFaultOption(FaultSpec& f, const Token& t) {
    const auto eq = t.text.find('=');
    const std::string name = t.text.substr(0, eq), value = t.text.substr(eq + 1);
    const Loc value_at{line_no_, t.column + static_cast<int>(eq) + 1};
    std::vector<std::string> accepted;
    switch (f.kind) {
      case FaultKind::kKill: accepted = {"signal"}; break;
      case FaultKind::kNodeDown: accepted = {"mode"}; break;
      case FaultKind::kPartition: accepted = {"direction"}; break;
      case FaultKind::kLoss: accepted = {"percent"}; break;
      default: break;
    }
    const std::string verb = ToString(f.kind);
    if (!Contains(accepted, name)) {
      if (accepted.empty()) Fail(t, "'" + verb + "' takes no option, got " + Quote(t.text));
      Fail(t, WithSuggestion("'" + verb + "' has no option " + Quote(name) + " (it takes " + accepted[0] + "=)", name, accepted));
    }
    if (name == "signal") {
      std::string s = value.rfind("SIG", 0) == 0 ? value.substr(3) : value;
      if (s != "KILL" && s != "TERM") Fail(value_at, "signal must be KILL or TERM, got " + Quote(value));
      f.signal = s;
    } else if (name == "mode") {
      if (value == "reboot") f.mode = UpMode::kReboot;
      else if (value == "resume") f.mode = UpMode::kResume;
      else Fail(value_at, "mode must be reboot or resume, got " + Quote(value));
    } else if (name == "direction") {
      if (value == "both") f.direction = Direction::kBoth;
      else if (value == "to") f.direction = Direction::kTo;
      else if (value == "from") f.direction = Direction::kFrom;
      else Fail(value_at, "direction must be both, to or from, got " + Quote(value));
    } else {
      std::string n = !value.empty() && value.back() == '%' ? value.substr(0, value.size() - 1) : value;
      if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string::npos || std::stoi(n) < 1 ||
          std::stoi(n) > 100)
        Fail(value_at, "percent must be a whole number from 1 to 100, got " + Quote(value));
      f.percent = std::stoi(n);
    }
  }

  // ---- names and steps

  std::string NextGeneratedId() {
    std::string id;
    do id = "f" + std::to_string(++generated_); while (reserved_.count(id) || names_.count(id));
    return id;
  }

  void RegisterName(const std::string& name, const FaultExpr& expr, Loc as_where, bool repetition) {
    auto it = names_.find(name);
    if (it != names_.end())
      Fail(as_where.line ? as_where : expr.trailer.as_where,
           "the name " + Quote(name) + " is already used on line " + std::to_string(it->second.line));
    NameInfo info;
    info.line = line_no_;
    info.repetition = repetition;
    if (expr.alternatives.empty()) info.kinds.insert(expr.spec.kind);
    for (const auto& a : expr.alternatives) info.kinds.insert(a.kind);
    names_[name] = info;
    if (!repetition) fault_ids_.push_back(name);
  }

  void AddFault(int64_t at, Loc where, FaultExpr& expr) {
    if (expr.trailer.as.empty()) expr.trailer.as = NextGeneratedId();
    RegisterName(expr.trailer.as, expr, expr.trailer.as_where, false);
    AddSteps(at, where, expr);
  }

  // The start (and the automatic stop of `for`) of one fault named trailer.as.
  void AddSteps(int64_t at, Loc where, const FaultExpr& expr) {
    StartFault start;
    start.spec = expr.spec;
    start.alternatives = expr.alternatives;
    start.spec.id = expr.trailer.as;
    start.spec.source = StatementText();
    start.spec.line = line_no_;
    plan.timeline.push_back(Step{at, line_no_, where, start});
    if (expr.trailer.for_ns) {
      StopFault stop;
      stop.id = expr.trailer.as;
      stop.verb = "for";
      stop.name_where = expr.trailer.for_where;
      plan.timeline.push_back(Step{at + *expr.trailer.for_ns, line_no_, expr.trailer.for_where, stop});
    }
  }

  // ---- checks needing the whole file

  void CheckStops() {
    struct State {
      int64_t stopped_at = -1;
      int stop_line = 0;
    };
    std::map<std::string, State> started;
    std::map<std::string, std::pair<int64_t, int>> starts;  // id -> (at, line)
    for (const auto& s : plan.timeline)
      if (auto* st = std::get_if<StartFault>(&s.action)) starts.emplace(st->spec.id, std::make_pair(s.at_ns, s.line));
    std::vector<std::string> names;
    for (const auto& [n, info] : names_) names.push_back(n);

    for (const auto& s : plan.timeline) {
      if (auto* st = std::get_if<StartFault>(&s.action)) {
        started[st->spec.id] = State{};
        continue;
      }
      auto* stop = std::get_if<StopFault>(&s.action);
      if (!stop) continue;
      auto info = names_.find(stop->id);
      if (info == names_.end()) {
        Report(stop->name_where, WithSuggestion("no fault is named " + Quote(stop->id), stop->id, names));
        continue;
      }
      if (info->second.repetition) {
        Report(stop->name_where, Quote(stop->id) + " names a repetition ('every'): each of its faults stops by itself after its 'for'");
        continue;
      }
      if (stop->verb != "for" && stop->verb != "stop") {
        const auto& kinds = info->second.kinds;
        if (kinds.size() > 1) {
          Report(stop->name_where, Quote(stop->id) + " may be one of several kinds of fault: stop it with 'stop " + stop->id + "'");
          continue;
        }
        FaultKind k = *kinds.begin();
        if (stop->verb != StopVerbFor(k)) {
          Report(stop->name_where, Quote(stop->id) + " is " + KindNoun(k) + ", not " +
                                       (stop->verb == "restart" ? "a kill" : stop->verb == "resume" ? "a pause"
                                        : stop->verb == "up" ? "a node down" : "a partition, cut or loss") +
                                       ": stop it with '" + StopVerbFor(k) + " " + stop->id + "'");
          continue;
        }
      }
      auto state = started.find(stop->id);
      if (state == started.end()) {
        const auto& [at, line] = starts[stop->id];
        Report(stop->name_where, Quote(stop->id) + " has not started yet: it starts at " + FormatDuration(at) +
                                     " (line " + std::to_string(line) + ")");
        continue;
      }
      if (state->second.stopped_at >= 0) {
        Report(stop->name_where, Quote(stop->id) + " is already stopped at " + FormatDuration(state->second.stopped_at) +
                                     " (line " + std::to_string(state->second.stop_line) + ")");
        continue;
      }
      state->second = State{s.at_ns, s.line};
    }
  }

  void CheckFigures() {
    for (const auto& e : plan.expectations) {
      const Loc at{e.line, e.column};
      if (e.figure.rfind("ttr.", 0) == 0) {
        const std::string id = e.figure.substr(4);
        if (!Contains(fault_ids_, id)) {
          std::vector<std::string> figures;
          for (const auto& f : fault_ids_) figures.push_back("ttr." + f);
          Report(at, WithSuggestion("no fault is named " + Quote(id) + " (ttr.ID needs the name given with 'as')",
                                    e.figure, figures));
        }
        continue;
      }
      if (!ctx_.is_known_figure || !ctx_.is_known_figure(e.figure)) {
        Report(at, WithSuggestion("unknown figure " + Quote(e.figure), e.figure, ctx_.figure_names));
        continue;
      }
      CheckUnit(e, at);
    }
  }

  // A duration figure takes a duration (0 may go without a unit); a count, a number.
  void CheckUnit(const Expectation& e, Loc at) {
    if (!ctx_.figure_is_duration || e.figure.rfind("ttr.", 0) == 0) return;
    const bool duration = ctx_.figure_is_duration(e.figure);
    if (duration && e.unit.empty() && e.value != 0)
      Report(at, Quote(e.figure) + " is a duration: give the value a unit, e.g. " + FormatNumber(e.value) + "s or " +
                     FormatNumber(e.value) + "ms");
    if (!duration && e.unit == "s")
      Report(at, Quote(e.figure) + " is a count, not a duration: compare it with a number such as 0 or 12");
  }

  static std::string FormatNumber(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
  }

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

// ---------------------------------------------------------------- plan checks

class PlanValidator {
 public:
  PlanValidator(const Plan& plan, std::vector<Error>& errors) : plan_(plan), errors_(errors) {}

  void CheckTopology() {
    for (const auto& problem : topology::Validate(plan_.topology)) Report(OptionLoc(plan_.topology_where, problem), problem);
  }

  void CheckLoad() {
    for (const auto& problem : load::ValidateLoad(plan_.load)) Report(OptionLoc(plan_.load_where, problem), problem);
    if (plan_.load.via == load::Via::kDirect)
      if (auto e = ServerProblem(plan_.load.direct_server)) {
        const std::string problem = "server=" + plan_.load.direct_server + ": " + *e;
        Report(OptionLoc(plan_.load_where, problem), problem);
      }
  }

  void CheckTargets() {
    for (const auto& s : plan_.timeline) {
      auto* start = std::get_if<StartFault>(&s.action);
      if (!start || !seen_.insert(start->spec.line).second) continue;  // a repetition: its first instance speaks for all
      if (start->alternatives.empty()) CheckFault(start->spec);
      for (const auto& a : start->alternatives) CheckFault(a);
    }
  }

  // Every step must happen while the load runs, counting each wait as its
  // whole timeout.
  void CheckDuration() {
    const int64_t end = plan_.load.duration_ns;
    int64_t waits = 0;
    std::set<std::pair<int, int>> reported;
    for (const auto& s : plan_.timeline) {
      int64_t latest = s.at_ns + waits;
      std::string what = "this happens at " + FormatDuration(latest);
      if (auto* w = std::get_if<WaitUntil>(&s.action)) {
        latest += w->timeout_ns;
        waits += w->timeout_ns;
        what = "this wait may last until " + FormatDuration(latest);
      } else if (auto* stop = std::get_if<StopFault>(&s.action); stop && stop->verb == "for") {
        what = "the fault stops at " + FormatDuration(latest);
      }
      if (latest <= end || !reported.insert({s.where.line, s.where.column}).second) continue;
      Report(s.where, what + ", after the load ends at " + FormatDuration(end) +
                          ": lengthen the load (load duration=...) or move this earlier");
    }
  }

 private:
  void Report(Loc loc, std::string message) {
    errors_.push_back(MakeError(plan_.file, plan_.source_lines, loc, std::move(message)));
  }

  // The option word of the statement at `statement` that `problem` starts
  // with ("replicas=5 is not possible..."), else the statement itself.
  Loc OptionLoc(Loc statement, const std::string& problem) const {
    if (statement.line < 1 || statement.line > static_cast<int>(plan_.source_lines.size())) return statement;
    std::vector<Token> toks;
    int bad = 0;
    Tokenize(plan_.source_lines[statement.line - 1], toks, bad);
    for (const auto& t : toks) {
      auto eq = t.text.find('=');
      if (eq != std::string::npos && eq > 0 && problem.rfind(t.text.substr(0, eq), 0) == 0)
        return {statement.line, t.column};
    }
    return statement;
  }

  std::optional<std::string> ServerProblem(const std::string& target) const {
    const auto& o = plan_.topology;
    if (target == "replica" && o.Servers() < 2) return TopologyName(o) + " has no replica";
    if (auto n = ServerNumber(target); n && *n > o.Servers())
      return TopologyName(o) + " has no " + target + " (its servers: " + ServerList(o.Servers()) + ")";
    if (!ServerNumber(target) && target != "master" && target != "replica" && target != "random")
      return Quote(target) + " is not a server";
    return std::nullopt;
  }

  void CheckFault(const FaultSpec& f) {
    const auto& o = plan_.topology;
    if ((f.kind == FaultKind::kKill || f.kind == FaultKind::kPause) && f.process == Process::kSentinel) {
      if (o.Sentinels() == 0) {
        Report(f.process_where, TopologyName(o) + " runs no Sentinel");
        return;
      }
      auto hosts = o.SentinelHosts();
      if (auto n = ServerNumber(f.target);
          n && *n <= o.Servers() && std::find(hosts.begin(), hosts.end(), *n) == hosts.end()) {
        Report(f.target_where, f.target + " runs no Sentinel in " + TopologyName(o) + " (Sentinels run on " + ListOf(hosts) + ")");
        return;
      }
    }
    if (f.kind != FaultKind::kPartition) {
      if (auto e = ServerProblem(f.target)) Report(f.target_where, *e);
      return;
    }
    CheckPartition(f);
  }

  void CheckPartition(const FaultSpec& f) {
    const auto& o = plan_.topology;
    const auto& g = f.groups;
    for (size_t side = 0; side < g.size(); ++side) {
      const auto& other = g[1 - side];
      for (size_t i = 0; i < g[side].size(); ++i) {
        const std::string& t = g[side][i];
        const Loc at = f.group_where[side][i];
        if (t == "client" || t == "servers") continue;
        if (t == "others") {
          bool empty = o.Servers() == 1 || Contains(other, "servers") || Contains(other, "others");
          if (empty && side == 1)
            Report(at, Contains(other, "others") ? "'others' on both sides leaves nothing to partition"
                                                 : "'others' is empty here: " + (o.Servers() == 1 ? TopologyName(o) + " has one server"
                                                                                                 : std::string("the other side holds every server")));
          else if (empty && side == 0 && !Contains(other, "others"))
            Report(at, "'others' is empty here: " + (o.Servers() == 1 ? TopologyName(o) + " has one server"
                                                                      : std::string("the other side holds every server")));
          continue;
        }
        if (auto e = ServerProblem(t)) Report(at, *e);
        else if (side == 1 && Contains(other, t) && t != "random") Report(at, Quote(t) + " is on both sides of the partition");
      }
    }
    if (g.size() == 2 && Contains(g[0], "client") && Contains(g[1], "client"))
      Report(f.group_where[1][0], "'client' is on both sides of the partition");
  }

  const Plan& plan_;
  std::vector<Error>& errors_;
  std::set<int> seen_;
};

void SortByLine(std::vector<Error>& errors) {
  std::stable_sort(errors.begin(), errors.end(), [](const Error& a, const Error& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
}

// Applies one --set; reports an unknown option or bad value (not the combination).
std::optional<std::string> SetOverride(Plan& plan, const std::string& setting) {
  const auto eq = setting.find('=');
  if (eq == std::string::npos || eq == 0)
    return "expected option=value, e.g. replicas=1 or duration=20s, got " + Quote(setting);
  const std::string name = setting.substr(0, eq), value = setting.substr(eq + 1);
  if (Contains(topology::OptionNames(), name)) return topology::SetOption(plan.topology, name, value);
  if (Contains(load::LoadOptionNames(), name)) return load::SetLoadOption(plan.load, name, value);
  return WithSuggestion("unknown option " + Quote(name) + " (neither a topology nor a load option)", name,
                        Concat({topology::OptionNames(), load::LoadOptionNames()}));
}

Error OverrideError(const std::string& setting, const std::string& message) {
  Error e;
  e.file = "--set " + setting;
  e.message = message;
  return e;
}

}  // namespace

// ---------------------------------------------------------------- public

std::optional<std::string> DidYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    return row[b.size()];
  };
  const size_t limit = word.size() <= 3 ? 1 : word.size() <= 6 ? 2 : 3;
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    size_t d = distance(word, c);
    if (d < best_distance && d < c.size() && c != word) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

ParseContext ContextWithFigures(std::vector<std::string> names) {
  ParseContext ctx;
  auto known = std::make_shared<std::set<std::string>>(names.begin(), names.end());
  ctx.is_known_figure = [known](const std::string& f) { return known->count(f) > 0; };
  ctx.figure_names = std::move(names);
  return ctx;
}

std::string Error::ToString() const {
  std::string out;
  if (!file.empty()) out += file + ":";
  if (line > 0) out += std::to_string(line) + ":" + std::to_string(column) + ":";
  if (!out.empty()) out += " ";
  out += message + "\n";
  if (line > 0) {
    out += source_line + "\n";
    for (int i = 0; i + 1 < column && i < static_cast<int>(source_line.size()); ++i)
      out += source_line[i] == '\t' ? '\t' : ' ';
    out += "^\n";
  }
  return out;
}

std::string ParseResult::ErrorText() const {
  std::string out;
  for (const auto& e : errors) out += e.ToString();
  return out;
}

std::vector<Error> ValidatePlan(const Plan& plan) {
  std::vector<Error> errors;
  PlanValidator v(plan, errors);
  v.CheckTopology();
  v.CheckLoad();
  v.CheckTargets();
  v.CheckDuration();
  SortByLine(errors);
  return errors;
}

ParseResult ParseScenario(const std::string& text, const std::string& file_name, const ParseContext& ctx,
                          const std::vector<std::string>& overrides) {
  Parser parser(text, file_name, ctx);
  parser.Run();
  ParseResult result;
  result.errors = std::move(parser.errors);
  bool overrides_ok = true;
  for (const auto& setting : overrides) {
    if (auto e = SetOverride(parser.plan, setting)) {
      result.errors.push_back(OverrideError(setting, *e));
      overrides_ok = false;
    }
  }
  // Plan checks against options that failed to parse would only add noise.
  if (overrides_ok) {
    PlanValidator v(parser.plan, result.errors);
    if (parser.topology_ok) {
      v.CheckTopology();
      v.CheckTargets();
    }
    if (parser.load_ok) {
      v.CheckLoad();
      v.CheckDuration();
    }
  }
  SortByLine(result.errors);
  if (result.errors.empty()) result.plan = std::move(parser.plan);
  return result;
}

ParseResult ParseScenarioFile(const std::string& path, const ParseContext& ctx, const std::vector<std::string>& overrides) {
  std::ifstream in(path);
  if (!in) {
    ParseResult r;
    Error e;
    e.file = path;
    e.message = "cannot read the scenario file (does it exist?)";
    r.errors.push_back(e);
    return r;
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseScenario(text.str(), path, ctx, overrides);
}

std::vector<Error> ApplyOverride(Plan& plan, const std::string& setting) {
  if (auto e = SetOverride(plan, setting)) return {OverrideError(setting, *e)};
  return ValidatePlan(plan);
}

}  // namespace sc::scenario
