// A fault statement: `KEYWORD ...` read by its kind in the fault registry, or
// `one of { ... ; ... }`, then options, `for T` and `as NAME`.
#include "harness/faults/fault_kind.h"
#include "harness/scenario/statement_parser.h"
#include "harness/scenario/words.h"

namespace sc::scenario {
namespace {

// The parser's cursor as a fault kind's syntax sees it (fault_kind.h).
class FaultCursor : public faults::FaultWords {
 public:
  FaultCursor(ScenarioParser& p, FaultSpec& f) : p_(p), f_(f) {}

  std::string TakeOneOf(const std::vector<std::string>& words, const std::string& message,
                        const std::string& store_as) override {
    const Token& t = p_.TakeWord(message);
    if (!Contains(words, t.text)) p_.Fail(t, WithSuggestion(message + ", got " + Quote(t.text), t.text, words));
    f_.options[store_as] = t.text;
    f_.word_where[store_as] = p_.LocOf(t);
    return t.text;
  }
  void Expect(const std::string& word, const std::string& message) override { p_.ExpectWord(word, message); }
  bool NextIs(const std::string& word) const override { return p_.PeekIs(word); }
  void TakeTarget() override { p_.TakeTarget(f_); }
  void TakeSides() override { p_.TakeSides(f_); }

 private:
  ScenarioParser& p_;
  FaultSpec& f_;
};

}  // namespace

// kill ..., pause ..., or `one of { ... ; ... }`, then for / as.
FaultExpr ScenarioParser::ParseFaultExpr() {
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
bool ScenarioParser::ParseTrailerWord(Trailer& tr) {
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
FaultSpec ScenarioParser::ParseFault(Trailer* trailer) {
  FaultSpec f;
  f.line = line_no_;
  f.source = StatementText();
  const Token& verb = TakeWord("expected " + FaultList(" or "));
  f.where = LocOf(verb);
  const faults::FaultKind* kind = faults::FaultKinds().Find(verb.text);
  if (!kind) Fail(verb, WithSuggestion("expected " + FaultList(" or ") + ", got " + Quote(verb.text), verb.text, FaultKeywords()));
  f.kind = kind->keyword;
  if (kind->syntax) {
    FaultCursor cursor(*this, f);
    kind->syntax(cursor, f);
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
  for (const auto& o : kind->options) {
    if (f.options.count(o.name)) continue;
    if (o.default_value.empty())
      Fail(verb, !o.missing.empty() ? o.missing : "'" + kind->keyword + "' needs " + o.name + "=" + o.type + " (" + o.help + ")");
    f.options[o.name] = o.default_value;
  }
  return f;
}

void ScenarioParser::SetFaultOption(FaultSpec& f, const Token& t) {
  const auto eq = t.text.find('=');
  const std::string name = t.text.substr(0, eq), value = t.text.substr(eq + 1);
  const faults::FaultKind& kind = *faults::FaultKinds().Find(f.kind);
  std::vector<std::string> accepted;
  for (const auto& o : kind.options) accepted.push_back(o.name + "=");
  const faults::FaultOption* option = kind.Option(name);
  if (!option) {
    if (accepted.empty()) Fail(t, "'" + kind.keyword + "' takes no option, got " + Quote(t.text));
    std::vector<std::string> names;
    for (const auto& o : kind.options) names.push_back(o.name);
    Fail(t, WithSuggestion("'" + kind.keyword + "' has no option " + Quote(name) + " (it takes " + faults::ListWithOr(accepted) + ")",
                           name, names));
  }
  faults::OptionValue v = option->parse(value);
  if (!v.error.empty()) Fail(Loc{line_no_, t.column + static_cast<int>(eq) + 1}, v.error);
  f.options[name] = v.value;
  f.word_where[name] = LocOf(t);
}

void ScenarioParser::TakeTarget(FaultSpec& f) {
  const std::string expected = "expected a target: master, replica, random or a server n1, n2, n3";
  const Token& t = TakeWord(expected);
  if (!IsTargetWord(t.text)) {
    if (t.text == "client" || t.text == "others" || t.text == "servers")
      Fail(t, Quote(t.text) + " is a target only in a partition; " + expected);
    Fail(t, WithSuggestion("unknown target " + Quote(t.text) + " (targets: master, replica, random, n1, n2, n3)", t.text,
                           TargetWords()));
  }
  f.target = t.text;
  f.target_where = LocOf(t);
}

// A comma list: master,n2 / others / client,n1.
void ScenarioParser::TakeGroup(FaultSpec& f) {
  std::vector<std::string> group;
  std::vector<Loc> where;
  const std::string expected = "expected a partition side: master, replica, random, n1..n3, client, others or servers";
  while (true) {
    const Token& t = TakeWord(expected);
    if (!IsTargetWord(t.text) && !Contains(SideWords(), t.text))
      Fail(t, WithSuggestion("unknown partition side " + Quote(t.text) +
                                 " (sides list master, replica, random, n1..n3, client, others or servers)",
                             t.text, SideWords()));
    if (Contains(group, t.text)) Fail(t, Quote(t.text) + " is named twice on the same side");
    group.push_back(t.text);
    where.push_back(LocOf(t));
    if (!PeekSymbol(",")) break;
    Take();
  }
  f.groups.push_back(group);
  f.group_where.push_back(where);
}

void ScenarioParser::TakeSides(FaultSpec& f) {
  const std::string two_sides = "a partition needs two sides separated by '|', e.g. partition master | others";
  TakeGroup(f);
  if (!PeekSymbol("|")) Fail(AtEnd() ? EndLoc() : LocOf(*Peek()), two_sides);
  Take();
  if (AtEnd()) Fail(EndLoc(), two_sides);
  TakeGroup(f);
  f.target_where = f.group_where[0][0];
}
}  // namespace sc::scenario
