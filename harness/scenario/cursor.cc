// The statement parser's token cursor and error reporting.
#include "harness/scenario/statement_parser.h"
#include "harness/scenario/words.h"
#include "topology/options.h"

namespace sc::scenario {

void ScenarioParser::Report(Loc loc, std::string message) {
  errors.push_back(MakeError(plan.file, plan.source_lines, loc, std::move(message)));
}

void ScenarioParser::Fail(Loc loc, std::string message) {
  Report(loc, std::move(message));
  throw StatementFailed{};
}

bool ScenarioParser::PeekIs(const std::string& text) const {
  return !AtEnd() && toks_[pos_].text == text && toks_[pos_].kind != TokKind::kString;
}

bool ScenarioParser::PeekSymbol(const std::string& symbol) const {
  return !AtEnd() && toks_[pos_].text == symbol && toks_[pos_].kind == TokKind::kSymbol;
}

const Token& ScenarioParser::TakeWord(const std::string& missing) {
  if (AtEnd()) Fail(EndLoc(), missing);
  const Token& t = Take();
  if (t.kind != TokKind::kWord) Fail(t, missing + ", got " + Quote(t.text));
  return t;
}

void ScenarioParser::ExpectWord(const std::string& word, const std::string& missing) {
  if (AtEnd()) Fail(EndLoc(), missing);
  const Token& t = Take();
  if (t.text != word || t.kind != TokKind::kWord) Fail(t, missing + ", got " + Quote(t.text));
}

void ScenarioParser::ExpectEnd() {
  if (!AtEnd()) Fail(*Peek(), "unexpected " + Quote(Peek()->text) + " at the end of the statement");
}

std::string ScenarioParser::StatementText() const {
  const std::string& line = plan.source_lines[line_no_ - 1];
  return line.substr(toks_.front().column - 1, toks_.back().end - toks_.front().column);
}

int64_t ScenarioParser::TakeTime(const std::string& missing) {
  const Token& t = TakeWord(missing);
  const std::string& w = t.text;
  if (!w.empty() && std::isdigit(static_cast<unsigned char>(w.back())) && topology::ParseDurationNs(w))
    Fail(t, Quote(w) + " needs a unit, e.g. " + w + "s or " + w + "ms");
  auto ns = topology::ParseDurationNs(w);
  if (!ns) Fail(t, missing + ", got " + Quote(w));
  return *ns;
}

}  // namespace sc::scenario
