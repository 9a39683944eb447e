// The scenario language's entry points: lexer.h splits lines into tokens,
// statement_parser.h turns them into a Plan, validate.h checks the plan
// against its topology and load.
#include "harness/scenario/parser.h"

#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "harness/scenario/statement_parser.h"
#include "harness/scenario/validate.h"
#include "harness/scenario/words.h"

namespace sc::scenario {
namespace {

// Applies one --set; reports an unknown option or bad value (not the combination).
std::optional<std::string> SetOverride(Plan& plan, const std::string& setting) {
  const auto eq = setting.find('=');
  if (eq == std::string::npos || eq == 0)
    return "expected option=value, e.g. replicas=1 or duration=20s, got " + Quote(setting);
  const std::string name = setting.substr(0, eq), value = setting.substr(eq + 1);
  if (Contains(topology::OptionNames(), name)) return topology::SetOption(plan.topology, name, value);
  if (Contains(load::LoadOptionNames(), name)) {
    // A load option applies to every load line (client= and profile= too).
    for (auto& more : plan.more_loads)
      if (auto e = load::SetLoadOption(more, name, value)) return e;
    return load::SetLoadOption(plan.load, name, value);
  }
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
  ScenarioParser parser(text, file_name, ctx);
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
