// The timeline: at/after, wait, the stop statements, every, and the names
// and steps of faults (the faults themselves: fault_statement.cc).
#include "harness/faults/fault_kind.h"
#include "harness/scenario/statement_parser.h"
#include "harness/scenario/words.h"

namespace sc::scenario {
namespace {

const faults::FaultOption* FindOption(const std::vector<faults::FaultOption>& options, const std::string& name) {
  for (const auto& o : options)
    if (o.name == name) return &o;
  return nullptr;
}

// "mode=reboot or mode=resume": every form the options may take.
std::string OptionForms(const std::vector<faults::FaultOption>& options) {
  std::vector<std::string> forms;
  for (const auto& o : options) {
    size_t start = 0;
    while (true) {
      const auto bar = o.type.find('|', start);
      forms.push_back(o.name + "=" + o.type.substr(start, bar - start));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
  }
  return faults::ListWithOr(forms);
}

// True when a kind stopped by `verb` is written with `word` ("kill redis on master").
bool StoppedKindsRead(const std::string& verb, const std::string& word) {
  for (const auto& k : faults::FaultKinds().All())
    if (k.stop.word == verb && k.usage.find(word) != std::string::npos) return true;
  return false;
}

}  // namespace

void ScenarioParser::ParseTimed() {
  const Token& first = *Peek();
  Loc where = LocOf(first);
  int64_t at = previous_ns_;
  if (first.text == "at" || first.text == "after") {
    Take();
    int64_t t = TakeTime("expected a time after '" + first.text + "', e.g. " + first.text + " 5s");
    at = first.text == "at" ? t : previous_ns_ + t;
    if (AtEnd())
      Fail(EndLoc(), "expected what happens after " + Quote(first.text + " " + toks_[1].text) + ": " + FaultList(", ") +
                         ", a stop (" + faults::JoinWords(StopVerbWords(), ", ") + "), 'wait', 'every' or 'one of'");
  }
  previous_ns_ = at;
  const Token& verb = *Peek();
  const std::string& v = verb.text;
  if (v == "every") return ParseEvery(at, where);
  if (Contains(StopVerbWords(), v)) return ParseStop(at, where);
  if (v == "wait") return ParseWait(at, where);
  if (v == "one" || Contains(FaultKeywords(), v)) {
    FaultExpr expr = ParseFaultExpr();
    return AddFault(at, where, expr);
  }
  Fail(verb, WithSuggestion("unknown action " + Quote(v), v, ActionWords()));
}

void ScenarioParser::ParseWait(int64_t at, Loc where) {
  Take();
  ExpectWord("until", "expected 'until' after 'wait', e.g. wait until failover timeout 10s");
  const std::string conditions = faults::ListWithOr(ConditionWords());
  const Token& c = TakeWord("expected a condition after 'wait until': " + conditions);
  if (!Contains(ConditionWords(), c.text))
    Fail(c, WithSuggestion("unknown condition " + Quote(c.text) + "; expected " + conditions, c.text, ConditionWords()));
  WaitUntil w;
  w.condition = c.text;
  ExpectWord("timeout", "expected 'timeout T' after the condition, e.g. wait until failover timeout 10s");
  const Token& t = *Peek();
  w.timeout_ns = TakeTime("expected a duration after 'timeout', e.g. 10s");
  if (w.timeout_ns <= 0) Fail(t, "the wait's timeout must be longer than 0");
  ExpectEnd();
  plan.timeline.push_back(Step{at, line_no_, where, w});
}

void ScenarioParser::ParseStop(int64_t at, Loc where) {
  const Token& verb = Take();
  const Token& name = TakeWord("expected the name of a fault after '" + verb.text + "', e.g. " + verb.text + " m1");
  StopFault stop;
  stop.id = name.text;
  stop.verb = verb.text;
  stop.name_where = LocOf(name);
  const faults::StopVerb* sv = faults::FaultKinds().FindStopVerb(verb.text);
  if (sv && !sv->options.empty()) {
    while (!AtEnd()) {
      const Token& t = Take();
      const auto eq = t.text.find('=');
      const faults::FaultOption* o = eq == std::string::npos ? nullptr : FindOption(sv->options, t.text.substr(0, eq));
      if (!o) Fail(t, "unexpected " + Quote(t.text) + "; '" + verb.text + "' takes only " + OptionForms(sv->options));
      faults::OptionValue v = o->parse(t.text.substr(eq + 1));
      if (!v.error.empty()) Fail(t, v.error);
      stop.options[o->name] = v.value;
    }
  }
  // `restart redis on master`: the verb written like the fault it stops.
  if (!AtEnd() && PeekIs("on") && StoppedKindsRead(verb.text, " on "))
    Fail(name, "'" + verb.text + "' takes the name given to a fault with 'as', e.g. at 5s kill redis on master as m1, then " + verb.text + " m1");
  ExpectEnd();
  plan.timeline.push_back(Step{at, line_no_, where, stop});
}

void ScenarioParser::ParseEvery(int64_t at, Loc where) {
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

std::string ScenarioParser::NextGeneratedId() {
  std::string id;
  do id = "f" + std::to_string(++generated_); while (reserved_.count(id) || names_.count(id));
  return id;
}

void ScenarioParser::RegisterName(const std::string& name, const FaultExpr& expr, Loc as_where, bool repetition) {
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

void ScenarioParser::AddFault(int64_t at, Loc where, FaultExpr& expr) {
  if (expr.trailer.as.empty()) expr.trailer.as = NextGeneratedId();
  RegisterName(expr.trailer.as, expr, expr.trailer.as_where, false);
  AddSteps(at, where, expr);
}

// The start (and the automatic stop of `for`) of one fault named trailer.as.
void ScenarioParser::AddSteps(int64_t at, Loc where, const FaultExpr& expr) {
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

}  // namespace sc::scenario
