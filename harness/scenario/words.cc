#include "harness/scenario/words.h"

#include <algorithm>
#include <sstream>

#include "harness/faults/fault_kind.h"
#include "harness/waits/wait_condition.h"

namespace sc::scenario {

std::vector<std::string> FaultKeywords() { return faults::FaultKinds().Keywords(); }

std::vector<std::string> StopVerbWords() { return faults::FaultKinds().StopVerbs(); }

std::vector<std::string> ActionWords() { return Concat({FaultKeywords(), {"one", "every"}, StopVerbWords(), {"wait"}}); }

std::vector<std::string> StatementWords() { return Concat(
      {{"scenario", "description", "seed", "topology", "load", "settle", "expect", "at", "after"}, ActionWords()}); }

const std::vector<std::string>& TargetWords() {
  static const std::vector<std::string> words = {"master", "replica", "random", "n1", "n2", "n3"};
  return words;
}

const std::vector<std::string>& SideWords() {
  static const auto words = Concat({TargetWords(), {"client", "others", "servers"}});
  return words;
}

std::vector<std::string> ConditionWords() { return waits::WaitConditions().Names(); }

std::string FaultList(const std::string& last_separator) {
  const auto& k = FaultKeywords();
  std::string out;
  for (size_t i = 0; i < k.size(); ++i) out += (i == 0 ? "" : i + 1 == k.size() ? last_separator : ", ") + k[i];
  return "a fault (" + out + ")";
}

bool Contains(const std::vector<std::string>& list, const std::string& word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

std::vector<std::string> Concat(std::initializer_list<std::vector<std::string>> lists) {
  std::vector<std::string> out;
  for (const auto& l : lists) out.insert(out.end(), l.begin(), l.end());
  return out;
}

bool IsTargetWord(const std::string& w) {
  return w == "master" || w == "replica" || w == "random" || faults::ServerNumber(w) > 0;
}

bool IsIdentifier(const std::string& w) {
  if (w.empty() || !(std::isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_')) return false;
  for (char c : w)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return true;
}

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

Error MakeError(const std::string& file, const std::vector<std::string>& lines, Loc loc, std::string message) {
  Error e;
  e.file = file;
  e.line = loc.line;
  e.column = loc.column;
  e.message = std::move(message);
  if (loc.line >= 1 && loc.line <= static_cast<int>(lines.size())) e.source_line = lines[loc.line - 1];
  return e;
}

}  // namespace sc::scenario
