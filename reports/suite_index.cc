// HtmlSuiteIndex: index.html of a suite, one function per section.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "reports/html_util.h"
#include "reports/page.h"
#include "reports/renderer.h"
#include "reports/suite.h"

namespace sc::reports {
namespace {

using nlohmann::json;

const char* const kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f"};

std::string VerdictClass(const json& entry) {
  std::string v = Str(entry, "verdict");
  if (Bool(entry, "cut_short", false)) return "v-other";
  return v == "pass" ? "v-pass" : v == "fail" ? "v-fail" : "v-other";
}

std::string Longest(const json& entry) {
  std::optional<double> s = Num(Get(entry, "figures"), "unavailability.longest");
  return s ? FormatDurationS(*s) : "–";
}

// 137831 -> "137,831".
std::string Grouped(double v) {
  std::string digits = FormatNumber(v, 0), out;
  if (digits.find_first_not_of("0123456789") != std::string::npos) return digits;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string Lost(const json& entry) {
  std::optional<double> n = Num(Get(entry, "figures"), "lost");
  return n ? Grouped(*n) : "–";
}

// What was measured, on a severity scale (the legend explains it):
// -1 not measured, 0 none, 1 brief/few, 2 noticeable, 3 serious, 4 severe.
int UnavailabilitySeverity(const json& entry) {
  std::optional<double> s = Num(Get(entry, "figures"), "unavailability.longest");
  if (!s) return -1;
  return *s <= 0 ? 0 : *s < 1 ? 1 : *s < 5 ? 2 : *s < 15 ? 3 : 4;
}

int LossSeverity(const json& entry) {
  std::optional<double> n = Num(Get(entry, "figures"), "lost");
  if (!n) return -1;
  return *n <= 0 ? 0 : *n < 10 ? 1 : *n < 1000 ? 2 : *n < 100000 ? 3 : 4;
}

int Severity(const json& entry) { return std::max(UnavailabilitySeverity(entry), LossSeverity(entry)); }

std::string SevClass(int severity) { return severity < 0 ? "sev-na" : "sev-" + std::to_string(severity); }

// Worst first: by severity, then longest unavailability, then lost writes.
bool WorseFirst(const json* a, const json* b) {
  if (Severity(*a) != Severity(*b)) return Severity(*a) > Severity(*b);
  double la = Num(Get(*a, "figures"), "unavailability.longest").value_or(-1);
  double lb = Num(Get(*b, "figures"), "unavailability.longest").value_or(-1);
  if (la != lb) return la > lb;
  return Num(Get(*a, "figures"), "lost").value_or(-1) > Num(Get(*b, "figures"), "lost").value_or(-1);
}

std::string VerdictBadge(const json& entry) {
  std::string v = Str(entry, "verdict", "error");
  if (Bool(entry, "cut_short", false)) v += ", cut short";
  return "<span class=\"badge " + VerdictClass(entry) + "\">" + Escape(v) + "</span>";
}

const char* kSeverityCss = R"CSS(<style>
.matrix { width: 100%; table-layout: fixed; border-collapse: separate; border-spacing: 3px; }
.matrix th { font-size: 13px; white-space: normal; word-break: break-word; text-align: left; vertical-align: bottom; }
.matrix th.rowhead { width: 16%; font-weight: 600; } .matrix td { min-width: 0; vertical-align: top; padding: 0; }
.run { display: block; padding: 4px 6px; margin: 0 0 3px; border-radius: 5px; text-decoration: none; font-size: 12px; color: #1a1a1a; border-left: 0; }
.run .fig { display: inline-block; padding: 0 4px; border-radius: 3px; font-weight: 600; color: #1a1a1a; }
.run .fig.sev-4 { color: #fff; } .run.sev-4 .fig { box-shadow: 0 0 0 1px rgba(255,255,255,.6); }
.badge { display: inline-block; font-size: 10px; padding: 0 5px; border-radius: 8px; margin-left: 3px; vertical-align: 1px; }
.badge.v-pass { background: #2e7d32; color: #fff; } .badge.v-fail { background: #c62828; color: #fff; } .badge.v-other { background: #666; color: #fff; }
.sev-na { background: #eeeeee; } .sev-0 { background: #d9f0d3; } .sev-1 { background: #fff3b0; }
.sev-2 { background: #fdd49e; } .sev-3 { background: #fc8d59; } .sev-4 { background: #b2182b; color: #fff !important; }
.run.sev-4 .base { color: #f3d0d0; } td.num.sev-4 { color: #fff; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 12px; margin: 6px 0 10px; }
.legend span.chip { display: inline-block; padding: 1px 6px; border-radius: 3px; margin-right: 2px; }
</style>)CSS";

std::string Legend() {
  std::string out = "<div class=\"legend\" id=\"legend\"><div><b>Longest write unavailability</b><br>";
  const char* u[] = {"none", "&lt; 1 s", "1–5 s", "5–15 s", "≥ 15 s"};
  const char* l[] = {"none", "1–9", "10–999", "1,000–99,999", "≥ 100,000"};
  for (int i = 0; i < 5; ++i) Appendf(out, "<span class=\"chip sev-%d\">%s</span>", i, u[i]);
  out += "</div><div><b>Lost acknowledged writes</b><br>";
  for (int i = 0; i < 5; ++i) Appendf(out, "<span class=\"chip sev-%d\">%s</span>", i, l[i]);
  out += "</div><div><b>Cell colour</b><br>the worse of the two · <span class=\"chip sev-na\">not measured</span></div>"
         "<div><b>Verdict</b> (the scenario's expectations)<br><span class=\"badge v-pass\">pass</span>"
         "<span class=\"badge v-fail\">fail</span><span class=\"badge v-other\">error / cut short</span></div></div>";
  return out;
}

std::string MatrixText(const json& matrix, const std::string& skip = "") {
  std::string out;
  if (!matrix.is_object()) return out;
  for (auto it = matrix.begin(); it != matrix.end(); ++it)
    if (it.key() != skip) out += (out.empty() ? "" : " ") + it.key() + "=" + Text(*it);
  return out;
}

std::string ReportHref(const json& entry) {
  std::string dir = Str(entry, "run_dir", ".");
  return EscapeHref(dir + (dir.empty() || dir.back() == '/' ? "" : "/") + "report.html");
}

// Ordered, distinct, in order of first appearance.
std::vector<std::string> Distinct(const json& runs, const char* key) {
  std::vector<std::string> out;
  for (const json& r : runs) {
    std::string v = Str(r, key, "unknown");
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
  return out;
}

std::vector<std::string> Architectures(const json& runs) {
  std::vector<std::string> out = {"single", "sentinel1", "sentinel2", "sentinel3"};
  for (const std::string& a : Distinct(runs, "architecture"))
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  return out;
}

class SuiteIndexBuilder {
 public:
  SuiteIndexBuilder(const json& suite, const json& baseline) : suite_(suite), baseline_(baseline) {}
  std::string Build() const;

 private:
  std::string Header() const;
  std::string RegressionsSection() const;
  std::string MatrixSection() const;
  std::string RunLink(const json& entry, bool show_matrix) const;
  std::string SweepSections() const;
  std::string SweepSection(const std::string& option) const;
  std::string Plot(const std::string& option, const std::vector<std::string>& values,
                   const std::map<std::string, std::map<std::string, const json*>>& series, const char* figure,
                   const char* title) const;
  std::string RunsSection() const;
  std::string ClientsSection() const;
  const json* Base(const json& entry) const {
    return baseline_.is_object() ? FindBaselineEntry(baseline_, entry) : nullptr;
  }

  const json& suite_;
  const json& baseline_;
  const json& runs() const { return Arr(suite_, "runs"); }
};

std::string SuiteIndexBuilder::Header() const {
  size_t pass = 0, fail = 0;
  for (const json& r : runs()) {
    pass += Str(r, "verdict") == "pass";
    fail += Str(r, "verdict") == "fail";
  }
  std::string out = "<header><div>";
  Appendf(out, "<h1>%s</h1>", Escape(Str(suite_, "name", "sentinel-chaos suite")).c_str());
  Appendf(out, "<p class=\"meta\">%s · %zu runs: %zu pass, %zu fail, %zu other</p>",
          Escape(Str(suite_, "created", "")).c_str(), runs().size(), pass, fail, runs().size() - pass - fail);
  if (baseline_.is_object())
    Appendf(out, "<p class=\"meta\" id=\"baseline\">compared with baseline %s %s</p>",
            Escape(Str(baseline_, "name", "")).c_str(), Escape(Str(baseline_, "created", "")).c_str());
  if (!Str(suite_, "rerun").empty()) Appendf(out, "<pre>%s</pre>", Escape(Str(suite_, "rerun")).c_str());
  return out + "</div></header>";
}

std::string SuiteIndexBuilder::RegressionsSection() const {
  if (!baseline_.is_object()) return "";
  std::string rows;
  size_t unmatched = 0;
  for (const json& r : runs()) {
    const json* base = Base(r);
    if (!base) {
      ++unmatched;
      continue;
    }
    std::string figures;
    for (const Regression& g : CompareToBaseline(r, *base))
      Appendf(figures, "<li>%s %s → <span class=\"regress\">%s</span> <span class=\"base\">(%s)</span></li>",
              Escape(g.figure).c_str(), Escape(g.baseline).c_str(), Escape(g.current).c_str(), Escape(g.rule).c_str());
    if (figures.empty()) continue;
    std::string name = Str(r, "architecture") + " / " + Str(r, "failure_class") + " " + MatrixText(Get(r, "matrix"));
    Appendf(rows, "<tr><td><a href=\"%s\">%s</a></td><td><ul class=\"regressions\">%s</ul></td></tr>",
            ReportHref(r).c_str(), Escape(name).c_str(), figures.c_str());
  }
  std::string out = "<section id=\"regressions\"><h2>Regressions against the baseline</h2>";
  if (unmatched > 0)
    Appendf(out, "<p class=\"meta\">%zu runs have no counterpart in the baseline.</p>", unmatched);
  if (rows.empty()) return out + "<p class=\"empty\">None: no figure crossed its threshold.</p></section>";
  return out + "<table><tr><th>run</th><th>regressed figures (baseline → now)</th></tr>" + rows + "</table></section>";
}

std::string SuiteIndexBuilder::RunLink(const json& entry, bool show_matrix) const {
  std::string out;
  const json* base = Base(entry);
  bool regressed = base && !CompareToBaseline(entry, *base).empty();
  const int sev = Severity(entry);
  Appendf(out, "<a class=\"run %s\" data-severity=\"%d\" data-verdict=\"%s\" href=\"%s\" title=\"%s\">",
          SevClass(sev).c_str(), sev, Escape(Str(entry, "verdict", "error")).c_str(), ReportHref(entry).c_str(),
          Escape(Str(entry, "scenario") + " (" + Str(entry, "verdict") + ")").c_str());
  Appendf(out, "<span class=\"fig %s\">%s</span> · <span class=\"fig %s\">%s lost</span>%s",
          SevClass(UnavailabilitySeverity(entry)).c_str(), Escape(Longest(entry)).c_str(),
          SevClass(LossSeverity(entry)).c_str(), Escape(Lost(entry)).c_str(), VerdictBadge(entry).c_str());
  if (show_matrix && !MatrixText(Get(entry, "matrix")).empty())
    Appendf(out, "<br><span class=\"base\">%s</span>", Escape(MatrixText(Get(entry, "matrix"))).c_str());
  if (base)
    Appendf(out, "<br><span class=\"base\">baseline %s · %s lost</span>", Escape(Longest(*base)).c_str(),
            Escape(Lost(*base)).c_str());
  if (regressed) out += " <span class=\"regress\">▲ regression</span>";
  return out + "</a>";
}

std::string SuiteIndexBuilder::MatrixSection() const {
  std::vector<std::string> archs = Architectures(runs()), classes = Distinct(runs(), "failure_class");
  std::string out = "<section id=\"matrix\"><h2>Failure classes × architectures</h2>";
  if (runs().empty()) return out + "<p class=\"empty\">This suite has no runs.</p></section>";
  // Rows: failure classes, the most damaging first; columns: the architectures.
  std::map<std::string, int> worst;
  for (const json& r : runs()) {
    int& w = worst.emplace(Str(r, "failure_class", "unknown"), -1).first->second;
    w = std::max(w, Severity(r));
  }
  std::stable_sort(classes.begin(), classes.end(), [&](const std::string& a, const std::string& b) { return worst[a] > worst[b]; });
  out += "<p class=\"meta\">Each cell: longest write unavailability · lost acknowledged writes, coloured by how bad "
         "they were (the worse of the two colours the cell); the badge is the verdict of the scenario's expectations. "
         "Rows are sorted worst first. Click a cell for the run's report.</p>" + Legend();
  out += "<table class=\"matrix\"><tr><th class=\"rowhead\"></th>";
  for (const std::string& a : archs) Appendf(out, "<th data-architecture=\"%s\">%s</th>", Escape(a).c_str(), Escape(a).c_str());
  out += "</tr>";
  for (const std::string& c : classes) {
    Appendf(out, "<tr data-failure-class=\"%s\"><th class=\"rowhead\">%s</th>", Escape(c).c_str(), Escape(c).c_str());
    for (const std::string& a : archs) {
      std::vector<const json*> cell;
      for (const json& r : runs())
        if (Str(r, "architecture", "unknown") == a && Str(r, "failure_class", "unknown") == c) cell.push_back(&r);
      std::stable_sort(cell.begin(), cell.end(), WorseFirst);
      Appendf(out, "<td data-architecture=\"%s\">", Escape(a).c_str());
      for (const json* r : cell) out += RunLink(*r, true);
      out += "</td>";
    }
    out += "</tr>";
  }
  return out + "</table></section>";
}

// "500ms" -> 0.5, "2s" -> 2, "3" -> 3; nullopt when not a number.
std::optional<double> SortValue(const std::string& v) {
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (end == v.c_str()) return std::nullopt;
  std::string unit(end);
  if (unit.empty() || unit == "s") return d;
  if (unit == "ms") return d / 1e3;
  if (unit == "m") return d * 60;
  return std::nullopt;
}

std::vector<std::string> SweptOptions(const json& runs) {
  std::map<std::string, std::set<std::string>> values;
  std::vector<std::string> order;
  for (const json& r : runs) {
    const json& m = Get(r, "matrix");
    if (!m.is_object()) continue;
    for (auto it = m.begin(); it != m.end(); ++it) {
      if (!values.count(it.key())) order.push_back(it.key());
      values[it.key()].insert(Text(*it));
    }
  }
  std::vector<std::string> swept;
  for (const std::string& k : order)
    if (values[k].size() > 1) swept.push_back(k);
  return swept;
}

std::string SuiteIndexBuilder::SweepSections() const {
  std::string out;
  for (const std::string& option : SweptOptions(runs())) out += SweepSection(option);
  return out;
}

std::string SuiteIndexBuilder::SweepSection(const std::string& option) const {
  std::vector<std::string> values;
  std::map<std::string, std::map<std::string, const json*>> series;  // series -> value -> entry
  for (const json& r : runs()) {
    const json& v = Get(Get(r, "matrix"), option.c_str());
    if (v.is_null()) continue;
    std::string value = Text(v);
    if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
    std::string name = Str(r, "architecture") + " / " + Str(r, "failure_class");
    std::string rest = MatrixText(Get(r, "matrix"), option);
    series[rest.empty() ? name : name + " / " + rest][value] = &r;
  }
  bool numeric = std::all_of(values.begin(), values.end(), [](const std::string& v) { return SortValue(v).has_value(); });
  if (numeric)
    std::stable_sort(values.begin(), values.end(),
                     [](const std::string& a, const std::string& b) { return *SortValue(a) < *SortValue(b); });
  std::string out;
  Appendf(out, "<section class=\"sweep\" data-option=\"%s\"><h2>Sweep over %s</h2>", Escape(option).c_str(),
          Escape(option).c_str());
  out += "<table><tr><th>series</th>";
  for (const std::string& v : values) Appendf(out, "<th>%s = %s</th>", Escape(option).c_str(), Escape(v).c_str());
  out += "</tr>";
  for (const auto& [name, points] : series) {
    Appendf(out, "<tr><th>%s</th>", Escape(name).c_str());
    for (const std::string& v : values) {
      auto it = points.find(v);
      out += "<td>" + (it == points.end() ? std::string("–") : RunLink(*it->second, false)) + "</td>";
    }
    out += "</tr>";
  }
  out += "</table><div class=\"plots\">";
  out += Plot(option, values, series, "unavailability.longest", "longest unavailability (s)");
  out += Plot(option, values, series, "lost", "lost writes");
  return out + "</div></section>";
}

// A line per series over the swept values (evenly spaced, in sorted order).
std::string SuiteIndexBuilder::Plot(const std::string& option, const std::vector<std::string>& values,
                                    const std::map<std::string, std::map<std::string, const json*>>& series,
                                    const char* figure, const char* title) const {
  const double w = 560, h = 260, left = 56, right = 16, top = 26, bottom = 60;
  double peak = 0;
  for (const auto& [name, points] : series)
    for (const auto& [v, e] : points) peak = std::max(peak, Num(Get(*e, "figures"), figure).value_or(0));
  peak = peak > 0 ? peak * 1.1 : 1;
  auto X = [&](size_t i) { return left + (values.size() == 1 ? 0.5 : double(i) / (values.size() - 1)) * (w - left - right); };
  auto Y = [&](double v) { return top + (1 - v / peak) * (h - top - bottom); };
  std::string out;
  Appendf(out, "<svg class=\"plot\" data-figure=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\">",
          figure, w, h + 18.0 * series.size(), w);
  Appendf(out, "<text x=\"%.0f\" y=\"16\" font-weight=\"600\">%s</text>", left, title);
  for (int i = 0; i <= 4; ++i) {
    double v = peak * i / 4;
    Appendf(out, "<line class=\"gridline\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>", left, w - right, Y(v), Y(v));
    Appendf(out, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s</text>", left - 6, Y(v) + 4,
            FormatNumber(v, v < 10 ? 2 : 0).c_str());
  }
  for (size_t i = 0; i < values.size(); ++i)
    Appendf(out, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>", X(i), h - bottom + 16,
            Escape(values[i]).c_str());
  Appendf(out, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" fill=\"#667085\">%s</text>", (left + w - right) / 2,
          h - bottom + 34, Escape(option).c_str());
  size_t k = 0;
  for (const auto& [name, points] : series) {
    const char* color = kPalette[k % 8];
    std::string d;
    for (size_t i = 0; i < values.size(); ++i) {
      auto it = points.find(values[i]);
      if (it == points.end()) continue;
      std::optional<double> v = Num(Get(*it->second, "figures"), figure);
      if (!v) continue;
      Appendf(d, "%c%.1f %.1f", d.empty() ? 'M' : 'L', X(i), Y(*v));
      Appendf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s</title></circle>", X(i), Y(*v),
              color, Escape(name + ", " + option + " = " + values[i] + ": " + FormatNumber(*v)).c_str());
    }
    if (!d.empty()) Appendf(out, "<path d=\"%s\" stroke=\"%s\"/>", d.c_str(), color);
    double ly = h - 8 + 18.0 * k;
    Appendf(out, "<rect x=\"%.0f\" y=\"%.1f\" width=\"12\" height=\"4\" fill=\"%s\"/><text x=\"%.0f\" y=\"%.1f\">%s</text>",
            left, ly - 4, color, left + 18, ly, Escape(name).c_str());
    ++k;
  }
  return out + "</svg>";
}

std::string SuiteIndexBuilder::RunsSection() const {
  std::string out = "<section id=\"runs\"><h2>All runs, worst first</h2>";
  if (runs().empty()) return out + "<p class=\"empty\">No runs.</p></section>";
  out += "<table><tr><th>run</th><th>architecture</th><th>failure class</th><th>options</th><th>verdict</th>"
         "<th>longest</th><th>total</th><th>lost</th><th>TTR</th><th>p99</th>";
  if (baseline_.is_object()) out += "<th>baseline longest</th><th>baseline lost</th><th>regressions</th>";
  out += "</tr>";
  std::vector<const json*> sorted;
  for (const json& r : runs()) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(), WorseFirst);
  for (const json* rp : sorted) {
    const json& r = *rp;
    const json& f = Get(r, "figures");
    auto secs = [&f](const char* k) { auto v = Num(f, k); return v ? FormatDurationS(*v) : std::string("–"); };
    std::string verdict = Str(r, "verdict") + (Bool(r, "cut_short", false) ? " (cut short)" : "");
    Appendf(out, "<tr><td><a href=\"%s\">%s</a></td><td>%s</td><td>%s</td><td>%s</td>", ReportHref(r).c_str(),
            Escape(Str(r, "scenario", Str(r, "run_dir"))).c_str(), Escape(Str(r, "architecture")).c_str(),
            Escape(Str(r, "failure_class")).c_str(), Escape(MatrixText(Get(r, "matrix"))).c_str());
    Appendf(out, "<td><span class=\"pill %s\">%s</span></td>", VerdictClass(r).c_str(), Escape(verdict).c_str());
    Appendf(out, "<td class=\"num %s\">%s</td><td class=\"num\">%s</td><td class=\"num %s\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>",
            SevClass(UnavailabilitySeverity(r)).c_str(), Escape(Longest(r)).c_str(), secs("unavailability.total").c_str(),
            SevClass(LossSeverity(r)).c_str(), Escape(Lost(r)).c_str(),
            secs("ttr").c_str(), secs("latency.p99").c_str());
    if (baseline_.is_object()) {
      const json* base = Base(r);
      std::string regressions;
      if (base)
        for (const Regression& g : CompareToBaseline(r, *base)) regressions += (regressions.empty() ? "" : ", ") + g.figure;
      Appendf(out, "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"regress\">%s</td>",
              base ? Escape(Longest(*base)).c_str() : "no baseline", base ? Escape(Lost(*base)).c_str() : "",
              Escape(regressions).c_str());
    }
    out += "</tr>";
  }
  return out + "</table></section>";
}

// Library x failure: one row per client group (library/profile, in the
// order the suite first shows them), one column per failure class; a cell
// lists every run of that class that drove the group, worst first: its
// longest window and lost writes, coloured as in the matrix, and when it
// first wrote to the new master after the switch.
std::string SuiteIndexBuilder::ClientsSection() const {
  std::vector<std::string> names, classes;
  for (const json& r : runs()) {
    const json& groups = Get(r, "groups");
    if (!groups.is_array() || groups.empty()) continue;
    const std::string c = Str(r, "failure_class", "unknown");
    if (std::find(classes.begin(), classes.end(), c) == classes.end()) classes.push_back(c);
    for (const json& g : groups)
      if (std::find(names.begin(), names.end(), Str(g, "name")) == names.end()) names.push_back(Str(g, "name"));
  }
  if (names.empty()) return "";
  std::string out = "<section id=\"clients\"><h2>Client libraries × failure</h2>";
  out += "<p class=\"meta\">What each client group saw (docs/client-drivers.md): longest write unavailability · "
         "lost acknowledged writes of that group's clients, and how long after Sentinel's +switch-master the "
         "library first wrote successfully to the new master. Click a cell for the run's report.</p>";
  out += "<table class=\"matrix clients\"><tr><th class=\"rowhead\">library / profile</th>";
  for (const std::string& c : classes) Appendf(out, "<th data-failure-class=\"%s\">%s</th>", Escape(c).c_str(), Escape(c).c_str());
  out += "</tr>";
  for (const std::string& n : names) {
    Appendf(out, "<tr data-client-group=\"%s\"><th class=\"rowhead\">%s</th>", Escape(n).c_str(), Escape(n).c_str());
    for (const std::string& c : classes) {
      // This group's figures in each run of the class, as a run-like entry.
      std::vector<std::pair<json, const json*>> cell;
      for (const json& r : runs()) {
        if (Str(r, "failure_class", "unknown") != c || !Get(r, "groups").is_array()) continue;
        for (const json& g : Arr(r, "groups"))
          if (Str(g, "name") == n) cell.push_back({json{{"figures", Get(g, "figures")}}, &r});
      }
      std::stable_sort(cell.begin(), cell.end(), [](const auto& a, const auto& b) { return WorseFirst(&a.first, &b.first); });
      Appendf(out, "<td data-failure-class=\"%s\">", Escape(c).c_str());
      if (cell.empty()) out += "–";
      for (const auto& [g, r] : cell) {
        const int sev = Severity(g);
        Appendf(out, "<a class=\"run %s\" data-severity=\"%d\" href=\"%s\" title=\"%s\">", SevClass(sev).c_str(), sev,
                ReportHref(*r).c_str(), Escape(Str(*r, "scenario") + " " + MatrixText(Get(*r, "matrix"))).c_str());
        Appendf(out, "<span class=\"fig %s\">%s</span> · <span class=\"fig %s\">%s lost</span>",
                SevClass(UnavailabilitySeverity(g)).c_str(), Escape(Longest(g)).c_str(),
                SevClass(LossSeverity(g)).c_str(), Escape(Lost(g)).c_str());
        if (std::optional<double> f = Num(Get(g, "figures"), "first_ok_after_switch"))
          Appendf(out, "<br><span class=\"base\">new master +%s</span>", Escape(FormatDurationS(*f)).c_str());
        out += "</a>";
      }
      out += "</td>";
    }
    out += "</tr>";
  }
  return out + "</table></section>";
}

std::string SuiteIndexBuilder::Build() const {
  std::string out = PageStart(Str(suite_, "name", "sentinel-chaos suite"));
  if (!suite_.is_object())
    return out + "<p class=\"banner warn\">The suite document is empty or not an object.</p>" + PageEnd("");
  out += kSeverityCss;
  out += Header() + RegressionsSection() + MatrixSection() + ClientsSection() + SweepSections() + RunsSection();
  return out + PageEnd("");
}

}  // namespace

std::string HtmlSuiteIndex::Render(const json& suite) const {
  try {
    return SuiteIndexBuilder(suite, baseline_).Build();
  } catch (const std::exception& e) {
    return PageStart("sentinel-chaos suite") + "<p class=\"banner warn\">The index could not be rendered: " +
           Escape(e.what()) + "</p>" + PageEnd("");
  }
}

}  // namespace sc::reports
