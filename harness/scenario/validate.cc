#include "harness/scenario/validate.h"

#include <algorithm>
#include <tuple>

#include "harness/faults/fault_kind.h"
#include "harness/scenario/lexer.h"
#include "harness/scenario/words.h"

namespace sc::scenario {

void PlanValidator::Report(Loc loc, std::string message) {
  errors_.push_back(MakeError(plan_.file, plan_.source_lines, loc, std::move(message)));
}

void PlanValidator::CheckTopology() {
  for (const auto& problem : topology::Validate(plan_.topology)) Report(OptionLoc(plan_.topology_where, problem), problem);
}

void PlanValidator::CheckLoad() {
  const auto lines = LoadLines(plan_);
  int clients = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const load::LoadOptions& l = lines[i];
    const Loc where = i == 0 ? plan_.load_where : plan_.more_loads_where[i - 1];
    clients += l.clients;
    for (const auto& problem : load::ValidateLoad(l)) Report(OptionLoc(where, problem), problem);
    if (l.via == load::Via::kDirect) {
      const faults::TopologyCheck check(plan_.topology, [](Loc, std::string) {});
      if (auto e = check.ServerProblem(l.direct_server)) {
        const std::string problem = "server=" + l.direct_server + ": " + *e;
        Report(OptionLoc(where, problem), problem);
      }
    }
    if (i == 0) continue;
    // One final read and one load phase serve every group.
    const load::LoadOptions& first = lines[0];
    const std::string tail = " must be the same on every load line (one final read and one load phase serve them all)";
    if (l.workload != first.workload) Report(OptionLoc(where, "workload="), "workload" + tail);
    if (l.key != first.key) Report(OptionLoc(where, "key="), "key" + tail);
    if (l.duration_ns != first.duration_ns) Report(OptionLoc(where, "duration="), "duration" + tail);
    if (first.key_ops > 0) Report(where, "key-ops works with one load line only (its finished keys are read per client while the load runs)");
  }
  if (lines.size() > 1 && clients > 1000)
    Report(plan_.more_loads_where.back(), "all load lines together may have at most 1000 clients (got " + std::to_string(clients) + ")");
}

void PlanValidator::CheckTargets() {
  for (const auto& s : plan_.timeline) {
    auto* start = std::get_if<StartFault>(&s.action);
    if (!start || !seen_.insert(start->spec.line).second) continue;  // a repetition: its first instance speaks for all
    if (start->alternatives.empty()) CheckFault(start->spec);
    for (const auto& a : start->alternatives) CheckFault(a);
  }
}

void PlanValidator::CheckFault(const FaultSpec& f) {
  const faults::TopologyCheck check(plan_.topology, [this](Loc at, std::string message) { Report(at, std::move(message)); });
  const faults::FaultKind& kind = faults::KindOf(f);
  if (kind.check) {
    kind.check(f, check);
  } else if (!f.target.empty()) {
    if (auto e = check.ServerProblem(f.target)) Report(f.target_where, *e);
  }
}

void PlanValidator::CheckDuration() {
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

Loc PlanValidator::OptionLoc(Loc statement, const std::string& problem) const {
  if (statement.line < 1 || statement.line > static_cast<int>(plan_.source_lines.size())) return statement;
  std::vector<Token> toks;
  Tokenize(plan_.source_lines[statement.line - 1], toks);
  for (const auto& t : toks) {
    auto eq = t.text.find('=');
    if (eq != std::string::npos && eq > 0 && problem.rfind(t.text.substr(0, eq), 0) == 0)
      return {statement.line, t.column};
  }
  return statement;
}

void SortByLine(std::vector<Error>& errors) {
  std::stable_sort(errors.begin(), errors.end(), [](const Error& a, const Error& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
}

}  // namespace sc::scenario
