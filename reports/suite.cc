#include "reports/suite.h"

#include "reports/html_util.h"

namespace sc::reports {

using nlohmann::json;

namespace {

// Figures with a fallback from the results' sections, for runs whose
// checkers did not fill `figures`.
json FigureOrFallback(const json& results, const std::string& name) {
  const json& figures = Get(results, "figures");
  const json& v = Get(figures, name.c_str());
  if (v.is_number()) return v;
  const json& writes = Get(Get(results, "availability"), "writes");
  auto seconds = [](std::optional<int64_t> ns) { return ns ? json(*ns / 1e9) : json(nullptr); };
  if (name == "unavailability.longest") return seconds(Int(writes, "longest_ns"));
  if (name == "unavailability.total") return seconds(Int(writes, "total_ns"));
  if (name == "unavailability.count") return Get(writes, "count").is_number() ? Get(writes, "count") : json(nullptr);
  if (name == "split_brain") return seconds(Int(Get(results, "split_brain"), "total_ns"));
  if (name == "latency.p99") return seconds(Int(Get(Get(results, "latency"), "overall"), "p99_ns"));
  for (const char* k : {"lost", "unexpected", "recovered"}) {
    const json& c = Get(Get(results, "data_loss"), k);
    if (name == k && c.is_number()) return c;
  }
  return nullptr;
}

json ExpectationSummary(const json& e) {
  json out = json::object();
  for (const char* k : {"text", "figure", "op", "expected", "measured", "unit", "passed", "line"})
    out[k] = Get(e, k);
  return out;
}

bool SecondsRegressed(double base, double cur) { return cur > base * 1.2 && cur - base > 0.2; }

}  // namespace

const std::vector<std::string>& SuiteFigureNames() {
  static const std::vector<std::string> kNames = {
      "unavailability.longest", "unavailability.total", "unavailability.count", "ttr", "failover.time",
      "lost", "unexpected", "recovered", "split_brain", "latency.p99", "failovers"};
  return kNames;
}

json MakeSuiteEntry(const json& run_results, const std::string& run_dir_rel, const std::string& failure_class,
                    const json& matrix_values) {
  const json& scenario = Get(run_results, "scenario");
  const json& run = Get(run_results, "run");
  json entry = {
      {"run_dir", run_dir_rel},
      {"scenario", Str(scenario, "name")},
      {"scenario_file", Str(scenario, "file")},
      {"scenario_sha256", Str(scenario, "file_sha256").empty() ? json(nullptr) : json(Str(scenario, "file_sha256"))},
      {"architecture", Str(Get(run_results, "topology"), "kind", "unknown")},
      {"failure_class", failure_class},
      {"matrix", matrix_values.is_object() ? matrix_values : json::object()},
      {"verdict", Str(run, "verdict", "error")},
      {"cut_short", Bool(run, "cut_short", false)},
      {"seed", Get(scenario, "seed")},
      {"duration_s", Int(run, "duration_ns") ? json(*Int(run, "duration_ns") / 1e9) : json(nullptr)},
  };
  json figures = json::object();
  for (const std::string& name : SuiteFigureNames()) figures[name] = FigureOrFallback(run_results, name);
  entry["figures"] = figures;
  json expectations = json::array();
  for (const json& e : Arr(run_results, "expectations")) expectations.push_back(ExpectationSummary(e));
  entry["expectations"] = expectations;
  // Client groups (several load lines, or a client library): each group's own
  // figures, for the suite index's "library x failure" table.
  if (const json& groups = Get(run_results, "groups"); groups.is_array() && !groups.empty()) {
    json list = json::array();
    for (const json& g : groups) {
      const json& gf = Get(g, "figures");
      json item = {{"name", Str(g, "name")},
                   {"client", Str(g, "client")},
                   {"profile", Str(g, "profile")},
                   {"library", Str(Get(g, "info"), "library")},
                   {"version", Str(Get(g, "info"), "version")}};
      json figures = json::object();
      for (const char* k : {"unavailability.longest", "unavailability.count", "lost", "acknowledged"})
        figures[k] = Get(gf, k).is_number() ? Get(gf, k) : json(nullptr);
      // When the library first wrote to the new master, after the first switch.
      json follow = nullptr;
      for (const json& f : Arr(g, "failovers")) {
        std::optional<int64_t> sw = Int(f, "switch_master_ns"), ok = Int(f, "first_ok_ns");
        if (sw && ok) {
          follow = (*ok - *sw) / 1e9;
          break;
        }
      }
      figures["first_ok_after_switch"] = follow;
      item["figures"] = figures;
      list.push_back(item);
    }
    entry["groups"] = list;
  }
  return entry;
}

json MakeSuiteDocument(const std::string& name, const std::string& created, const std::vector<json>& entries) {
  return {{"schema_version", 1}, {"name", name}, {"created", created}, {"runs", entries}};
}

std::string SuiteRunKey(const json& entry) {
  const json& matrix = Get(entry, "matrix");
  return Str(entry, "architecture") + "\x1f" + Str(entry, "failure_class") + "\x1f" +
         (matrix.is_object() ? matrix.dump() : "{}");
}

const json* FindBaselineEntry(const json& baseline_suite, const json& entry) {
  std::string key = SuiteRunKey(entry);
  for (const json& b : Arr(baseline_suite, "runs"))
    if (SuiteRunKey(b) == key) return &b;
  return nullptr;
}

std::vector<Regression> CompareToBaseline(const json& entry, const json& baseline_entry) {
  std::vector<Regression> out;
  const json& cur = Get(entry, "figures");
  const json& base = Get(baseline_entry, "figures");
  for (const char* name : {"unavailability.longest", "unavailability.total", "ttr", "failover.time", "split_brain"}) {
    std::optional<double> b = Num(base, name), c = Num(cur, name);
    if (b && c && SecondsRegressed(*b, *c))
      out.push_back({name, FormatDurationS(*b), FormatDurationS(*c), "+20% and +0.2 s"});
  }
  for (const char* name : {"lost", "unexpected"}) {
    std::optional<double> b = Num(base, name), c = Num(cur, name);
    if (b && c && *c > *b) out.push_back({name, FormatNumber(*b), FormatNumber(*c), "any increase"});
  }
  std::string bv = Str(baseline_entry, "verdict"), cv = Str(entry, "verdict");
  if (bv == "pass" && cv != "pass") out.push_back({"verdict", bv, cv, "pass became " + cv});
  return out;
}

}  // namespace sc::reports
