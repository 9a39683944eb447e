// The trend across nights: many suites' suite.json (oldest first) in, one
// trend.json and one self-contained trend.html out (docs/reports.md, "trend").
//
// A run of one night is judged against the rolling median of the same run
// (SuiteRunKey: architecture, failure class, matrix values) on the last N
// comparable nights before it, because single measurements are noisy.
// Nights are never silently compared across a gap: a scenario absent from a
// night, a night whose run failed (verdict "error" or cut short) and a
// scenario file whose SHA-256 changed are each shown as such; a changed file
// starts the scenario's history anew.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sc::reports {

// A figure regressed when  value > median × (1 + ratio)  AND  value − median > absolute
// (absolute in the figure's unit: seconds for durations, a count otherwise).
struct TrendRule {
  double ratio = 0.5;
  double absolute = 0.5;
};

struct TrendSettings {
  int window = 5;       // the median is over at most this many comparable nights before
  int min_history = 2;  // with fewer comparable nights before, a night is not judged
  std::map<std::string, TrendRule> rules;  // per figure; TrendFigureNames() gets the defaults
};

// The figures drawn and judged, in display order: unavailability.longest,
// unavailability.total, lost, failover.time.
const std::vector<std::string>& TrendFigureNames();
bool TrendFigureIsDuration(const std::string& figure);
// Defaults: durations +50 % and +0.5 s; lost +50 % and +10 writes.
TrendSettings DefaultTrendSettings();

// Parses "--tolerance FIGURE=RATIO,ABSOLUTE" values ("unavailability.longest=50%,500ms",
// "lost=1.0,100") into `settings`. Returns false with *error set.
bool ParseTrendTolerance(const std::string& spec, TrendSettings* settings, std::string* error);

// One night: a label (its directory name), where it came from, and its
// suite.json (null when the night has none: `problem` says why).
struct TrendNight {
  std::string label;
  std::string path;
  nlohmann::json suite;
  std::string problem;
};

// Nights from the command line's arguments, oldest first. An argument holding
// suite.json is one night; any other directory is a directory of nights: each
// subdirectory, by name, is a night (its suite.json directly inside or in one
// suite-*/ directory below; a subdirectory without one is a night with a
// problem). Returns false with *error when an argument does not exist.
bool LoadTrendNights(const std::vector<std::string>& args, std::vector<TrendNight>* nights, std::string* error);

// trend.json (schema_version 1). Pure.
nlohmann::json MakeTrend(const std::vector<TrendNight>& nights, const TrendSettings& settings);

// Regressions on the newest night only (what --fail-on-regression counts).
int NewestNightRegressions(const nlohmann::json& trend);

// trend.html: small multiples (a sparkline per scenario and figure), regressed
// nights marked, a verdict strip per scenario, the nights, and a legend.
std::string RenderTrendHtml(const nlohmann::json& trend);

// Writes OUT_DIR/trend.json and OUT_DIR/trend.html. Returns 0, or 1 with *error.
int WriteTrend(const std::string& out_dir, const nlohmann::json& trend, std::string* error);

}  // namespace sc::reports
