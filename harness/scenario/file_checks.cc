// Checks that need the whole file: every stop names a fault that has started
// and not stopped yet, with its kind's stop verb; every expectation names a
// known figure with the right unit.
#include <map>
#include <sstream>

#include "harness/faults/fault_kind.h"
#include "harness/scenario/statement_parser.h"
#include "harness/scenario/words.h"

namespace sc::scenario {
namespace {

std::string FormatNumber(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

}  // namespace

void ScenarioParser::CheckStops() {
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
      const faults::FaultKind& k = *faults::FaultKinds().Find(*kinds.begin());
      if (stop->verb != k.stop.word) {
        Report(stop->name_where, Quote(stop->id) + " is " + k.noun + ", not " +
                                     faults::FaultKinds().WhatStopVerbStops(stop->verb) + ": stop it with '" +
                                     k.stop.word + " " + stop->id + "'");
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

void ScenarioParser::CheckFigures() {
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
    // GROUP:FIGURE: one client group's own figure (results.json groups[].figures).
    if (const auto colon = e.figure.find(':'); colon != std::string::npos) {
      const std::string group = e.figure.substr(0, colon), figure = e.figure.substr(colon + 1);
      const auto groups = ClientGroupNames(plan);
      if (!Contains(groups, group)) {
        std::string all;
        for (const auto& g : groups) all += (all.empty() ? "" : ", ") + g;
        Report(at, WithSuggestion("no client group is named " + Quote(group) + " (the load lines make: " + all + ")",
                                  group, groups));
        continue;
      }
      if (!ctx_.is_known_figure || !ctx_.is_known_figure(figure)) {
        Report(at, WithSuggestion("unknown figure " + Quote(figure), figure, ctx_.figure_names));
        continue;
      }
      Expectation plain = e;
      plain.figure = figure;
      CheckUnit(plain, at);
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
void ScenarioParser::CheckUnit(const Expectation& e, Loc at) {
  if (!ctx_.figure_is_duration || e.figure.rfind("ttr.", 0) == 0) return;
  const bool duration = ctx_.figure_is_duration(e.figure);
  if (duration && e.unit.empty() && e.value != 0)
    Report(at, Quote(e.figure) + " is a duration: give the value a unit, e.g. " + FormatNumber(e.value) + "s or " +
                   FormatNumber(e.value) + "ms");
  if (!duration && e.unit == "s")
    Report(at, Quote(e.figure) + " is a count, not a duration: compare it with a number such as 0 or 12");
}

}  // namespace sc::scenario
