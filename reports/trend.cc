#include "reports/trend.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "reports/html_util.h"
#include "reports/page.h"
#include "reports/suite.h"
#include "reports/write_reports.h"

namespace sc::reports {

using nlohmann::json;
namespace fs = std::filesystem;

const std::vector<std::string>& TrendFigureNames() {
  static const std::vector<std::string> kNames = {"unavailability.longest", "unavailability.total", "lost",
                                                  "failover.time"};
  return kNames;
}

bool TrendFigureIsDuration(const std::string& figure) { return figure != "lost"; }

TrendSettings DefaultTrendSettings() {
  TrendSettings s;
  for (auto& f : TrendFigureNames()) s.rules[f] = TrendFigureIsDuration(f) ? TrendRule{0.5, 0.5} : TrendRule{0.5, 10};
  return s;
}

namespace {

// "50%" -> 0.5, "0.5" -> 0.5; "500ms" -> 0.5, "2s" -> 2, "10" -> 10.
bool ParseNumber(std::string s, double* out, bool percent_ok, bool duration_ok) {
  double scale = 1;
  auto ends = [&](const std::string& suffix) {
    return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (percent_ok && ends("%")) scale = 0.01, s.pop_back();
  else if (duration_ok && ends("ms")) scale = 0.001, s.resize(s.size() - 2);
  else if (duration_ok && ends("s")) s.pop_back();
  try {
    size_t pos;
    double v = std::stod(s, &pos);
    if (pos != s.size() || v < 0 || !std::isfinite(v)) return false;
    *out = v * scale;
    return true;
  } catch (...) {
    return false;
  }
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const json* FindEntry(const json& suite, const std::string& key) {
  for (const json& e : Arr(suite, "runs"))
    if (SuiteRunKey(e) == key) return &e;
  return nullptr;
}

std::string FormatValue(const std::string& figure, double v) {
  return TrendFigureIsDuration(figure) ? FormatDurationS(v) : FormatNumber(v, 0);
}

std::string RuleText(const std::string& figure, const TrendRule& r) {
  return "+" + FormatNumber(r.ratio * 100, 0) + "% and +" + FormatValue(figure, r.absolute) + " over the median";
}

}  // namespace

bool ParseTrendTolerance(const std::string& spec, TrendSettings* settings, std::string* error) {
  auto eq = spec.find('='), comma = spec.find(',');
  const std::string figure = spec.substr(0, eq);
  const auto& names = TrendFigureNames();
  if (eq == std::string::npos || comma == std::string::npos || comma < eq) {
    *error = "--tolerance wants FIGURE=RATIO,ABSOLUTE (e.g. unavailability.longest=50%,500ms); got '" + spec + "'";
    return false;
  }
  if (std::find(names.begin(), names.end(), figure) == names.end()) {
    *error = "--tolerance: unknown figure '" + figure + "'; the trend judges unavailability.longest, "
             "unavailability.total, lost, failover.time";
    return false;
  }
  TrendRule r;
  if (!ParseNumber(spec.substr(eq + 1, comma - eq - 1), &r.ratio, true, false) ||
      !ParseNumber(spec.substr(comma + 1), &r.absolute, false, TrendFigureIsDuration(figure))) {
    *error = "--tolerance " + spec + ": RATIO is a fraction or a percentage (0.5, 50%), ABSOLUTE a " +
             (TrendFigureIsDuration(figure) ? std::string("duration (500ms, 2s)") : std::string("count"));
    return false;
  }
  settings->rules[figure] = r;
  return true;
}

bool LoadTrendNights(const std::vector<std::string>& args, std::vector<TrendNight>* nights, std::string* error) {
  auto load = [](const fs::path& dir, const std::string& label) {
    TrendNight n;
    n.label = label;
    n.path = dir.string();
    fs::path suite = dir / "suite.json";
    if (!fs::exists(suite)) {
      std::vector<fs::path> below;
      std::error_code ec;
      for (auto& d : fs::directory_iterator(dir, ec))
        if (d.is_directory() && fs::exists(d.path() / "suite.json")) below.push_back(d.path() / "suite.json");
      // (a night's directory holds one suite; the newest is taken if it holds more)
      std::sort(below.begin(), below.end());
      if (!below.empty()) suite = below.back();
    }
    std::string why;
    if (!fs::exists(suite)) n.problem = "no suite.json: the night's suite did not finish or did not run";
    else if (!ReadJsonFile(suite.string(), &n.suite, &why)) n.problem = why;
    else n.path = suite.parent_path().string();
    return n;
  };
  for (auto& a : args) {
    fs::path p(a);
    if (!fs::is_directory(p)) {
      *error = a + ": no such directory (give suite directories, oldest first, or a directory of nights)";
      return false;
    }
    if (fs::exists(p / "suite.json")) {
      nights->push_back(load(p, p.filename().string()));
      continue;
    }
    std::vector<fs::path> subs;
    for (auto& d : fs::directory_iterator(p))
      if (d.is_directory() && d.path().filename().string()[0] != '.') subs.push_back(d.path());  // not .git
    std::sort(subs.begin(), subs.end());
    for (auto& s : subs) nights->push_back(load(s, s.filename().string()));
  }
  if (nights->empty()) {
    *error = "no nights found in the arguments";
    return false;
  }
  return true;
}

json MakeTrend(const std::vector<TrendNight>& nights, const TrendSettings& in_settings) {
  TrendSettings settings = in_settings;
  for (auto& [f, r] : DefaultTrendSettings().rules) settings.rules.emplace(f, r);
  json out = {{"schema_version", 1}};
  json settings_json = {{"window", settings.window}, {"min_history", settings.min_history}, {"rules", json::object()}};
  for (auto& f : TrendFigureNames())
    settings_json["rules"][f] = {{"ratio", settings.rules[f].ratio}, {"absolute", settings.rules[f].absolute},
                                 {"text", RuleText(f, settings.rules[f])}};
  out["settings"] = settings_json;
  out["figures"] = TrendFigureNames();

  json nights_json = json::array();
  std::vector<std::string> keys;  // every run key, in order of first appearance
  std::map<std::string, json> first_entry;
  for (auto& n : nights) {
    nights_json.push_back({{"label", n.label},
                           {"path", n.path},
                           {"created", Str(n.suite, "created")},
                           {"runs", Arr(n.suite, "runs").size()},
                           {"problem", n.problem.empty() ? json(nullptr) : json(n.problem)}});
    for (const json& e : Arr(n.suite, "runs")) {
      std::string k = SuiteRunKey(e);
      if (!first_entry.count(k)) {
        keys.push_back(k);
        first_entry[k] = e;
      }
    }
  }
  out["nights"] = nights_json;

  json scenarios = json::array();
  json regressions = json::array();
  for (auto& key : keys) {
    const json& first = first_entry[key];
    json row = {{"key", key},
                {"scenario", Str(first, "scenario")},
                {"scenario_file", Str(first, "scenario_file")},
                {"architecture", Str(first, "architecture")},
                {"failure_class", Str(first, "failure_class")},
                {"matrix", Get(first, "matrix").is_object() ? Get(first, "matrix") : json::object()}};
    json cells = json::array();
    std::vector<size_t> comparable;  // indices of earlier nights usable for the median
    std::string last_hash;
    bool seen = false;
    for (size_t i = 0; i < nights.size(); ++i) {
      json cell = {{"state", "absent"}, {"figures", json::object()}, {"regressed", json::array()},
                   {"median", json::object()}, {"judged", false}};
      if (!nights[i].problem.empty()) {
        cell["state"] = "night-missing";
        cell["note"] = nights[i].problem;
        cells.push_back(cell);
        continue;
      }
      const json* e = FindEntry(nights[i].suite, key);
      if (!e) {
        if (seen) cell["note"] = "not in this night's suite (scenario removed or not run)";
        cells.push_back(cell);
        continue;
      }
      if (!seen && i > 0) cell["appeared"] = true;
      if (seen && cells.back()["state"] == "absent") cell["reappeared"] = true;
      seen = true;
      const std::string verdict = Str(*e, "verdict", "error");
      cell["verdict"] = verdict;
      cell["run_dir"] = (fs::path(nights[i].path) / Str(*e, "run_dir")).string();
      const std::string hash = Str(*e, "scenario_sha256");
      if (!hash.empty()) {
        cell["sha256"] = hash;
        if (!last_hash.empty() && hash != last_hash) {
          cell["changed"] = true;
          cell["note"] = "scenario file changed (SHA-256 " + last_hash.substr(0, 12) + " → " + hash.substr(0, 12) +
                         "): the nights before are not compared with this one";
          comparable.clear();
        }
        last_hash = hash;
      }
      for (auto& f : TrendFigureNames()) cell["figures"][f] = Get(Get(*e, "figures"), f.c_str());
      if (verdict == "error" || Bool(*e, "cut_short", false)) {
        cell["state"] = "failed";
        cell["note"] = Bool(*e, "cut_short", false) ? "run cut short: not compared" : "run failed: not compared";
        cells.push_back(cell);
        continue;
      }
      cell["state"] = "ok";
      // The rolling window: the last `window` comparable nights before this one.
      std::vector<size_t> window(comparable.end() - std::min<size_t>(comparable.size(), settings.window), comparable.end());
      for (auto& f : TrendFigureNames()) {
        std::vector<double> values;
        for (size_t j : window) {
          const json& v = cells[j]["figures"][f];
          if (v.is_number()) values.push_back(v.get<double>());
        }
        const json& now = cell["figures"][f];
        if (static_cast<int>(values.size()) < settings.min_history || !now.is_number()) continue;
        cell["judged"] = true;
        double median = Median(values);
        cell["median"][f] = median;
        const TrendRule& r = settings.rules[f];
        double v = now.get<double>();
        if (v > median * (1 + r.ratio) && v - median > r.absolute) {
          json reg = {{"figure", f}, {"value", v}, {"median", median}, {"nights", values.size()},
                      {"rule", RuleText(f, r)}};
          cell["regressed"].push_back(reg);
          reg["night"] = nights[i].label;
          reg["night_index"] = i;
          reg["key"] = key;
          reg["scenario"] = row["scenario"];
          reg["architecture"] = row["architecture"];
          reg["failure_class"] = row["failure_class"];
          regressions.push_back(reg);
        }
      }
      // The verdict: fail now, after passing in most of the window.
      int passed = 0;
      for (size_t j : window) passed += cells[j].value("verdict", "") == "pass";
      if (verdict != "pass" && static_cast<int>(window.size()) >= settings.min_history &&
          passed * 2 > static_cast<int>(window.size())) {
        json reg = {{"figure", "verdict"}, {"value", verdict}, {"median", "pass"}, {"nights", window.size()},
                    {"rule", "passed in most of the last nights, " + verdict + " now"}};
        cell["regressed"].push_back(reg);
        reg["night"] = nights[i].label;
        reg["night_index"] = i;
        reg["key"] = key;
        reg["scenario"] = row["scenario"];
        reg["architecture"] = row["architecture"];
        reg["failure_class"] = row["failure_class"];
        regressions.push_back(reg);
      }
      comparable.push_back(i);
      cells.push_back(cell);
    }
    row["nights"] = cells;
    scenarios.push_back(row);
  }
  out["scenarios"] = scenarios;
  out["regressions"] = regressions;
  out["newest_night_regressions"] = 0;
  for (auto& r : regressions)
    if (r["night_index"].get<size_t>() + 1 == nights.size()) out["newest_night_regressions"] = out["newest_night_regressions"].get<int>() + 1;
  return out;
}

int NewestNightRegressions(const json& trend) { return trend.value("newest_night_regressions", 0); }

namespace {

constexpr int kSparkW = 190, kSparkH = 46, kPad = 6;

std::string RowTitle(const json& row) {
  std::string t = Str(row, "architecture") + " / " + Str(row, "failure_class");
  for (auto& [k, v] : Get(row, "matrix").items()) t += " " + k + "=" + Text(v);
  return t;
}

// One sparkline: a point per night on a shared x axis, the line broken where
// a night is not comparable.
std::string Sparkline(const json& row, const std::string& figure, size_t n_nights) {
  const json& cells = Arr(row, "nights");
  double max = 0;
  for (const json& c : cells) {
    const json& v = Get(Get(c, "figures"), figure.c_str());
    if (v.is_number()) max = std::max(max, v.get<double>());
    const json& m = Get(Get(c, "median"), figure.c_str());
    if (m.is_number()) max = std::max(max, m.get<double>());
  }
  if (max <= 0) max = TrendFigureIsDuration(figure) ? 1 : 1;
  const double step = n_nights > 1 ? double(kSparkW - 2 * kPad) / (n_nights - 1) : 0;
  auto x = [&](size_t i) { return kPad + (n_nights > 1 ? step * i : (kSparkW - 2 * kPad) / 2.0); };
  auto y = [&](double v) { return kSparkH - kPad - (kSparkH - 2 * kPad) * v / max; };
  std::string svg;
  Appendf(svg, "<svg class=\"spark\" data-figure=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
          Escape(figure).c_str(), kSparkW, kSparkH, kSparkW, kSparkH);
  Appendf(svg, "<line class=\"base\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", kPad, kSparkH - kPad, kSparkW - kPad,
          kSparkH - kPad);
  // Bands for nights that cannot be compared, dashed lines where the file changed.
  for (size_t i = 0; i < cells.size(); ++i) {
    const std::string state = Str(cells[i], "state");
    const double w = std::max(4.0, step * 0.8);
    if (state == "absent" || state == "night-missing")
      Appendf(svg, "<rect class=\"gap %s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>%s: %s</title></rect>",
              state.c_str(), x(i) - w / 2, 2, w, kSparkH - 4, Escape(state).c_str(),
              Escape(Str(cells[i], "note", state == "absent" ? "scenario not in this night" : "")).c_str());
    if (Bool(cells[i], "changed", false))
      Appendf(svg, "<line class=\"changed\" x1=\"%.1f\" y1=\"2\" x2=\"%.1f\" y2=\"%d\"><title>%s</title></line>",
              x(i) - step / 2, x(i) - step / 2, kSparkH - 2, Escape(Str(cells[i], "note")).c_str());
  }
  // The line through ok nights; broken by anything else.
  std::string path;
  bool pen = false;
  for (size_t i = 0; i < cells.size(); ++i) {
    const json& v = Get(Get(cells[i], "figures"), figure.c_str());
    if (Str(cells[i], "state") != "ok" || !v.is_number() || Bool(cells[i], "changed", false)) pen = false;
    if (Str(cells[i], "state") != "ok" || !v.is_number()) continue;
    Appendf(path, "%s%.1f %.1f ", pen ? "L" : "M", x(i), y(v.get<double>()));
    pen = true;
  }
  if (!path.empty()) Appendf(svg, "<path class=\"line\" d=\"%s\"/>", path.c_str());
  for (size_t i = 0; i < cells.size(); ++i) {
    const json& c = cells[i];
    const std::string state = Str(c, "state");
    const json& v = Get(Get(c, "figures"), figure.c_str());
    if (state == "failed") {
      Appendf(svg, "<text class=\"failed\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">×<title>%s</title></text>", x(i),
              kSparkH - 2, Escape(Str(c, "note")).c_str());
      continue;
    }
    if (state != "ok") continue;
    if (!v.is_number()) {
      Appendf(svg, "<text class=\"nm\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">·<title>not measured</title></text>",
              x(i), kSparkH - 4);
      continue;
    }
    bool regressed = false;
    std::string why;
    for (const json& r : Arr(c, "regressed"))
      if (Str(r, "figure") == figure) {
        regressed = true;
        why = ", regressed: median " + FormatValue(figure, Num(r, "median").value_or(0)) + ", rule " + Str(r, "rule");
      }
    const json& m = Get(Get(c, "median"), figure.c_str());
    std::string title = FormatValue(figure, v.get<double>()) +
                        (m.is_number() ? " (median before: " + FormatValue(figure, m.get<double>()) + ")" : "") + why;
    Appendf(svg, "<circle class=\"%s\" data-night=\"%zu\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"><title>%s</title></circle>",
            regressed ? "pt regressed" : "pt", i, x(i), y(v.get<double>()), regressed ? "4.5" : "2.2",
            Escape(title).c_str());
  }
  svg += "</svg>";
  // The newest value, as text beside the line.
  std::string last = "–";
  for (auto it = cells.rbegin(); it != cells.rend(); ++it) {
    const json& v = Get(Get(*it, "figures"), figure.c_str());
    if (Str(*it, "state") == "ok") {
      last = v.is_number() ? FormatValue(figure, v.get<double>()) : "not measured";
      break;
    }
    if (Str(*it, "state") != "absent") {
      last = Str(*it, "state");
      break;
    }
  }
  return svg + "<span class=\"last\">" + Escape(last) + "</span>";
}

std::string VerdictStrip(const json& row) {
  std::string s = "<span class=\"strip\">";
  size_t i = 0;
  for (const json& c : Arr(row, "nights")) {
    std::string state = Str(c, "state");
    std::string cls = state == "ok" ? "v-" + Str(c, "verdict") : "s-" + state;
    bool regressed = !Arr(c, "regressed").empty();
    Appendf(s, "<i class=\"%s%s\" data-night=\"%zu\" title=\"%s\"></i>", Escape(cls).c_str(),
            regressed ? " regressed" : "", i++,
            Escape(state == "ok" ? Str(c, "verdict") + (regressed ? ", regressed" : "") : state + ": " + Str(c, "note"))
                .c_str());
  }
  return s + "</span>";
}

const char* kTrendCss = R"(<style>
.trend td{vertical-align:middle;padding:4px 8px}
.trend th.fig{font-weight:600;font-size:12px;text-align:left}
.spark .base{stroke:#ccc;stroke-width:1}
.spark .line{fill:none;stroke:#2b6cb0;stroke-width:1.5}
.spark .pt{fill:#2b6cb0}
.spark .pt.regressed{fill:#c53030;stroke:#fff;stroke-width:1}
.spark .gap{fill:#eee}
.spark .gap.night-missing{fill:#fde2e2}
.spark .changed{stroke:#b7791f;stroke-dasharray:3 2;stroke-width:1.5}
.spark .failed{fill:#718096;font-size:14px}
.spark .nm{fill:#a0aec0;font-size:14px}
.last{font-size:12px;color:#333;margin-left:4px;display:inline-block;min-width:4em}
.strip{white-space:nowrap}
.strip i{display:inline-block;width:10px;height:16px;margin-right:1px;border-radius:2px;background:#ddd}
.strip i.v-pass{background:#38a169}.strip i.v-fail{background:#e53e3e}
.strip i.s-failed{background:#718096}.strip i.s-night-missing{background:#fbb6b6}.strip i.s-absent{background:#edf2f7}
.strip i.regressed{outline:2px solid #c53030;outline-offset:1px}
.legend span{margin-right:14px;font-size:13px}
.rowtitle small{color:#666;display:block}
</style>)";

}  // namespace

std::string RenderTrendHtml(const json& trend) {
  const json& nights = Arr(trend, "nights");
  const json& scenarios = Arr(trend, "scenarios");
  std::vector<std::string> figures;
  for (const json& f : Arr(trend, "figures")) figures.push_back(Text(f));
  std::string out = PageStart("sentinel-chaos trend");
  out += kTrendCss;
  Appendf(out, "<header><div><h1>Trend across %zu night(s)</h1><p class=\"meta\">%s → %s</p></div></header>",
          nights.size(), Escape(nights.empty() ? "" : Str(nights.front(), "label")).c_str(),
          Escape(nights.empty() ? "" : Str(nights.back(), "label")).c_str());
  const int newest = NewestNightRegressions(trend);
  Appendf(out, "<p class=\"banner %s\" id=\"newest\">Newest night: %d regression(s); %zu in all nights shown.</p>",
          newest ? "warn" : "ok", newest, Arr(trend, "regressions").size());
  const json& st = Get(trend, "settings");
  out += "<p class=\"legend\"><span>● a night's value</span><span style=\"color:#c53030\">● regressed</span>"
         "<span>× run failed or cut short (not compared)</span><span style=\"background:#eee\">&nbsp;scenario not run&nbsp;</span>"
         "<span style=\"background:#fde2e2\">&nbsp;night without results&nbsp;</span>"
         "<span style=\"color:#b7791f\">┆ scenario file changed (history starts again)</span></p>";
  Appendf(out, "<p class=\"meta\">A night is judged against the median of the same run on the last %d comparable "
               "night(s) before it, once there are at least %d. Regressed when:",
          static_cast<int>(Int(st, "window").value_or(5)), static_cast<int>(Int(st, "min_history").value_or(2)));
  for (auto& f : figures) Appendf(out, " <b>%s</b> %s;", Escape(f).c_str(), Escape(Str(Get(Get(st, "rules"), f.c_str()), "text")).c_str());
  out += " the verdict when it passed in most of those nights and does not now.</p>";

  out += "<section id=\"small-multiples\"><h2>Per scenario</h2><table class=\"trend\"><thead><tr><th>run</th><th>verdict per night</th>";
  for (auto& f : figures) Appendf(out, "<th class=\"fig\">%s</th>", Escape(f).c_str());
  out += "</tr></thead><tbody>";
  for (const json& row : scenarios) {
    Appendf(out, "<tr data-key=\"%s\"><td class=\"rowtitle\">%s<small>%s</small></td><td>%s</td>",
            Escape(RowTitle(row)).c_str(), Escape(RowTitle(row)).c_str(), Escape(Str(row, "scenario")).c_str(),
            VerdictStrip(row).c_str());
    for (auto& f : figures) out += "<td>" + Sparkline(row, f, nights.size()) + "</td>";
    out += "</tr>";
  }
  out += "</tbody></table></section>";

  out += "<section id=\"regressions\"><h2>Regressions</h2>";
  if (Arr(trend, "regressions").empty()) out += "<p>None.</p>";
  else {
    out += "<table><thead><tr><th>night</th><th>run</th><th>figure</th><th>value</th><th>median before</th><th>rule</th></tr></thead><tbody>";
    for (const json& r : Arr(trend, "regressions")) {
      const std::string f = Str(r, "figure");
      auto show = [&](const char* k) {
        const json& v = Get(r, k);
        return v.is_number() ? FormatValue(f, v.get<double>()) : Text(v);
      };
      Appendf(out, "<tr class=\"regression\"><td>%s</td><td>%s / %s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
              Escape(Str(r, "night")).c_str(), Escape(Str(r, "architecture")).c_str(),
              Escape(Str(r, "failure_class")).c_str(), Escape(f).c_str(), Escape(show("value")).c_str(),
              Escape(show("median")).c_str(), Escape(Str(r, "rule")).c_str());
    }
    out += "</tbody></table>";
  }
  out += "</section>";

  // What changed between nights, so nothing is compared silently.
  out += "<section id=\"changes\"><h2>Not compared</h2><ul>";
  int changes = 0;
  for (const json& row : scenarios) {
    size_t i = 0;
    for (const json& c : Arr(row, "nights")) {
      const std::string night = Str(nights[i++], "label");
      std::string what;
      if (Bool(c, "changed", false)) what = Str(c, "note");
      else if (Bool(c, "appeared", false)) what = "first seen this night (new scenario)";
      else if (Bool(c, "reappeared", false)) what = "back after nights without it";
      else if (Str(c, "state") == "failed") what = Str(c, "note");
      else if (Str(c, "state") == "absent" && !Str(c, "note").empty()) what = Str(c, "note");
      if (what.empty()) continue;
      ++changes;
      Appendf(out, "<li data-night=\"%s\">%s: <b>%s</b>: %s</li>", Escape(night).c_str(), Escape(night).c_str(),
              Escape(RowTitle(row)).c_str(), Escape(what).c_str());
    }
  }
  for (const json& n : nights)
    if (!Str(n, "problem").empty()) {
      ++changes;
      Appendf(out, "<li class=\"night-missing\">%s: %s</li>", Escape(Str(n, "label")).c_str(), Escape(Str(n, "problem")).c_str());
    }
  if (!changes) out += "<li>Every run was comparable on every night.</li>";
  out += "</ul></section>";

  out += "<section id=\"nights\"><h2>Nights</h2><table><thead><tr><th>#</th><th>night</th><th>created</th><th>runs</th><th>status</th></tr></thead><tbody>";
  size_t i = 0;
  for (const json& n : nights)
    Appendf(out, "<tr><td>%zu</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>", ++i,
            Escape(Str(n, "label")).c_str(), Escape(Str(n, "created")).c_str(), Escape(Str(n, "runs")).c_str(),
            Escape(Str(n, "problem", "ok")).c_str());
  out += "</tbody></table></section>";
  return out + PageEnd("");
}

int WriteTrend(const std::string& out_dir, const json& trend, std::string* error) {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (!WriteFileAtomically(out_dir + "/trend.json", trend.dump(1) + "\n", error)) return 1;
  if (!WriteFileAtomically(out_dir + "/trend.html", RenderTrendHtml(trend), error)) return 1;
  return 0;
}

}  // namespace sc::reports
