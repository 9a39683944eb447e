// The driver loop and the statements that are not on the timeline:
// scenario, description, seed, topology, load, settle, expect.
#include <algorithm>
#include <cmath>

#include "harness/scenario/statement_parser.h"
#include "harness/scenario/words.h"
#include "topology/options.h"

namespace sc::scenario {

ScenarioParser::ScenarioParser(const std::string& text, const std::string& file, const ParseContext& ctx) : ctx_(ctx) {
  plan.file = file;
  plan.source_lines = SplitLines(text);
}

void ScenarioParser::Run() {
  ReserveUserNames();
  for (size_t i = 0; i < plan.source_lines.size(); ++i) {
    line_no_ = static_cast<int>(i) + 1;
    toks_.clear();
    pos_ = 0;
    if (auto e = Tokenize(plan.source_lines[i], toks_)) {
      Report({line_no_, e->column}, e->message);
      // The statement is there, only unreadable: do not also call it missing.
      if (!toks_.empty() && toks_.front().text == "scenario") named_ = true;
      if (!toks_.empty() && toks_.front().text == "topology") topology_seen_ = true;
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

void ScenarioParser::ReserveUserNames() {
  for (const auto& line : plan.source_lines) {
    std::vector<Token> toks;
    Tokenize(line, toks);
    for (size_t i = 0; i + 1 < toks.size(); ++i)
      if (toks[i].text == "as") reserved_.insert(toks[i + 1].text);
  }
}

void ScenarioParser::ParseStatement() {
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

void ScenarioParser::ParseQuoted(std::string& field, bool& seen, const std::string& keyword, const std::string& example) {
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
void ScenarioParser::ParseDescription() {
  Take();
  const std::string missing = "expected a quoted text after 'description', e.g. description \"Sentinel fails over.\"";
  if (AtEnd()) Fail(EndLoc(), missing);
  const Token& t = Take();
  if (t.kind != TokKind::kString) Fail(t, missing);
  ExpectEnd();
  if (!plan.description.empty()) plan.description += " ";
  plan.description += t.text;
}

void ScenarioParser::ParseSeed() {
  Take();
  const Token& t = TakeWord("expected a number after 'seed', e.g. seed 42");
  if (t.text.empty() || t.text.size() > 19 || t.text.find_first_not_of("0123456789") != std::string::npos)
    Fail(t, "the seed must be a whole number from 0 to 999999999999999999, got " + Quote(t.text));
  ExpectEnd();
  plan.seed = std::stoull(t.text);
}

template <typename SetFn>
bool ScenarioParser::ParseOptions(const std::vector<std::string>& names, const std::string& what, SetFn set) {
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

void ScenarioParser::ParseTopology() {
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

void ScenarioParser::ParseLoad() {
  Take();
  // A later load line is one more client group; it starts from the first
  // line's options, so `load client=ioredis` is enough.
  load::LoadOptions* target = &plan.load;
  if (load_seen_) {
    load::LoadOptions next = plan.load;
    next.client = load::kHiredis;
    next.profile.clear();
    next.timeouts_given = false;
    plan.more_loads.push_back(next);
    plan.more_loads_where.push_back(LocOf(toks_.front()));
    target = &plan.more_loads.back();
  } else {
    plan.load_where = LocOf(toks_.front());
  }
  load_seen_ = true;
  bool ok = ParseOptions(load::LoadOptionNames(), "load", [&](const std::string& n, const std::string& v) {
    return load::SetLoadOption(*target, n, v);
  });
  load_ok = load_ok && ok;
}

void ScenarioParser::ParseSettle() {
  Take();
  ExpectWord("timeout", "expected 'timeout' after 'settle', e.g. settle timeout 30s");
  int64_t t = TakeTime("expected a duration after 'settle timeout', e.g. 30s");
  ExpectEnd();
  if (t <= 0) Fail(toks_[2], "the settle timeout must be longer than 0");
  plan.settle_timeout_ns = t;
}

void ScenarioParser::ParseExpect() {
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
void ScenarioParser::ParseValue(const Token& v, Expectation& e) {
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

}  // namespace sc::scenario
