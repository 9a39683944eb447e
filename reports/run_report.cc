// HtmlRunReport: report.html of one run, one function per section.
#include <algorithm>
#include <cstdint>

#include "reports/html_util.h"
#include "reports/page.h"
#include "reports/renderer.h"
#include "reports/timeline_svg.h"
#include "reports/topology_svg.h"

namespace sc::reports {
namespace {

using nlohmann::json;

constexpr size_t kLostShown = 100;
constexpr size_t kWindowsShown = 50;

std::string VerdictClass(const std::string& verdict) {
  if (verdict == "pass") return "v-pass";
  if (verdict == "fail") return "v-fail";
  return "v-other";
}

// A figure in seconds from results.figures, else from a fallback in ns.
std::string SecondsFigure(const json& r, const char* figure, std::optional<int64_t> fallback_ns) {
  std::optional<double> s = Num(Get(r, "figures"), figure);
  if (s) return FormatDurationS(*s);
  return FormatOptNs(fallback_ns);
}

std::string CountFigure(const json& r, const char* figure, const json& section, const char* key) {
  std::optional<double> v = Num(Get(r, "figures"), figure);
  if (!v) v = Num(section, key);
  return v ? FormatNumber(*v, 0) : "–";
}

// "1 window", "3 windows", "– windows".
std::string Plural(const std::string& count, const std::string& noun) {
  return count + " " + noun + (count == "1" ? "" : "s");
}

std::string Card(const std::string& title, const std::string& value, const std::string& sub,
                 const std::string& figure) {
  std::string out;
  Appendf(out, "<div class=\"card\" data-figure=\"%s\"><div class=\"card-title\">%s</div>", figure.c_str(),
          Escape(title).c_str());
  Appendf(out, "<div class=\"card-value\">%s</div><div class=\"card-sub\">%s</div></div>", Escape(value).c_str(),
          Escape(sub).c_str());
  return out;
}

std::string HeaderSection(const json& r) {
  const json& scenario = Get(r, "scenario");
  const json& run = Get(r, "run");
  std::string verdict = Str(run, "verdict", "unknown");
  std::string name = Str(scenario, "name", "unnamed scenario");
  std::string out = "<header>";
  Appendf(out, "<div class=\"verdict %s\" id=\"verdict\">%s</div>", VerdictClass(verdict).c_str(),
          Escape(verdict).c_str());
  Appendf(out, "<div><h1>%s</h1>", Escape(name).c_str());
  if (!Str(scenario, "description").empty())
    Appendf(out, "<p class=\"desc\">%s</p>", Escape(Str(scenario, "description")).c_str());
  Appendf(out, "<p class=\"meta\">%s · %s · started %s · ran %s</p></div></header>",
          Escape(Str(scenario, "file", "no scenario file")).c_str(),
          Escape(Str(Get(r, "topology"), "kind", "unknown topology")).c_str(),
          Escape(Str(run, "wall_start", "?")).c_str(), FormatOptNs(Int(run, "duration_ns")).c_str());
  if (Bool(run, "cut_short", false)) {
    out += "<p class=\"banner warn\" id=\"cut-short\">This run was cut short: the figures cover only the part "
           "that ran";
    if (auto ends = Int(run, "ends_ns"))
      Appendf(out, ", which ends at <b id=\"cut-short-at\">%s</b> on the run clock", FormatOptNs(ends).c_str());
    out += ".";
    if (!Str(run, "error").empty()) Appendf(out, " <span class=\"why\">%s</span>", Escape(Str(run, "error")).c_str());
    out += "</p>";
  }
  const json& settle = Get(r, "settle");
  if (settle.is_object() && !Bool(settle, "settled", true))
    Appendf(out, "<p class=\"banner warn\">The topology did not settle before the final read%s%s.</p>",
            Str(settle, "reason").empty() ? "" : ": ", Escape(Str(settle, "reason")).c_str());
  return out;
}

std::string ExpectationsSection(const json& r) {
  const json& expectations = Arr(r, "expectations");
  std::string out = "<section id=\"expectations\"><h2>Expectations</h2>";
  if (expectations.empty()) return out + "<p class=\"empty\">The scenario states no expectations.</p></section>";
  out += "<table><tr><th></th><th>expectation</th><th>measured</th><th>expected</th><th>line</th></tr>";
  for (const json& e : expectations) {
    std::string unit = Str(e, "unit");
    bool measured = Get(e, "measured").is_number();
    bool passed = Bool(e, "passed", false);
    const char* status = passed ? "pass" : measured ? "fail" : "not measured";
    Appendf(out, "<tr class=\"exp %s\"><td><span class=\"pill %s\">%s</span></td><td><code>%s</code></td>",
            passed ? "exp-pass" : "exp-fail", passed ? "v-pass" : "v-fail", status,
            Escape(Str(e, "text", Str(e, "figure"))).c_str());
    Appendf(out, "<td class=\"num\">%s</td><td class=\"num\">%s %s</td><td class=\"num\">%s</td></tr>",
            Escape(FormatFigure(Get(e, "measured"), unit)).c_str(), Escape(Str(e, "op")).c_str(),
            Escape(FormatFigure(Get(e, "expected"), unit)).c_str(), Escape(Str(e, "line")).c_str());
  }
  return out + "</table></section>";
}

std::string KeyFiguresSection(const json& r) {
  const json& writes = Get(Get(r, "availability"), "writes");
  const json& loss = Get(r, "data_loss");
  const json& overall = Get(Get(r, "latency"), "overall");
  const json& split = Get(r, "split_brain");
  std::string out = "<section id=\"figures\"><h2>Key figures</h2><div class=\"cards\">";
  out += Card("longest unavailability", SecondsFigure(r, "unavailability.longest", Int(writes, "longest_ns")),
              Plural(CountFigure(r, "unavailability.count", writes, "count"), "window"), "unavailability.longest");
  out += Card("total unavailability", SecondsFigure(r, "unavailability.total", Int(writes, "total_ns")),
              "writes, system-wide", "unavailability.total");
  std::optional<int64_t> worst_ttr;
  for (const json& f : Arr(r, "faults"))
    if (auto t = Int(f, "ttr_ns")) worst_ttr = std::max(worst_ttr.value_or(0), *t);
  out += Card("time to recover", SecondsFigure(r, "ttr", worst_ttr), "worst fault (each below)", "ttr");
  out += Card("lost writes", CountFigure(r, "lost", loss, "lost"),
              "unexpected " + CountFigure(r, "unexpected", loss, "unexpected") + " · recovered " +
                  CountFigure(r, "recovered", loss, "recovered"),
              "lost");
  out += Card("p99 latency", SecondsFigure(r, "latency.p99", Int(overall, "p99_ns")),
              "p50 " + FormatOptNs(Int(overall, "p50_ns")) + " · max " + FormatOptNs(Int(overall, "max_ns")),
              "latency.p99");
  out += Card("split brain", SecondsFigure(r, "split_brain", Int(split, "total_ns")),
              Plural(std::to_string(Arr(split, "intervals").size()), "interval"), "split_brain");
  out += Card("failovers", std::to_string(Arr(r, "failovers").size()),
              "failover time " + SecondsFigure(r, "failover.time", std::nullopt), "failovers");
  return out + "</div></section>";
}

std::string FaultsSection(const json& r) {
  const json& faults = Arr(r, "faults");
  std::string out = "<section id=\"faults\"><h2>Faults and time to recover</h2>";
  if (faults.empty()) return out + "<p class=\"empty\">No fault was injected.</p></section>";
  out += "<table><tr><th>id</th><th>kind</th><th>target</th><th>detail</th><th>start</th><th>stop</th>"
         "<th>TTR</th></tr>";
  for (const json& f : faults) {
    std::optional<int64_t> stop = Int(f, "stop_ns");
    Appendf(out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>", Escape(Str(f, "id")).c_str(),
            Escape(Str(f, "kind")).c_str(), Escape(Str(f, "target")).c_str(), Escape(Str(f, "detail")).c_str());
    Appendf(out, "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>",
            Int(f, "start_ns") ? FormatInstantNs(*Int(f, "start_ns")).c_str() : "not applied",
            stop ? FormatInstantNs(*stop).c_str() : Int(f, "start_ns") ? "not stopped" : "",
            FormatOptNs(Int(f, "ttr_ns")).c_str());
  }
  return out + "</table></section>";
}

std::string TimelineSection(const json& r) {
  std::string out =
      "<section id=\"timeline-section\"><h2>Timeline</h2>"
      "<div class=\"toolbar\"><span id=\"readout\">hover the timeline for values</span>"
      "<span class=\"zoom\">zoom <button data-zoom=\"1\">1×</button><button data-zoom=\"2\">2×</button>"
      "<button data-zoom=\"4\">4×</button></span></div><div class=\"scroll\" id=\"timeline-scroll\">";
  out += RenderTimelineSvg(r);
  out += "</div>";
  out += "<div class=\"legend\">"
         "<span><i class=\"sw tp-ok\"></i>ok</span><span><i class=\"sw tp-fail\"></i>fail</span>"
         "<span><i class=\"sw tp-unknown\"></i>unknown</span><span><i class=\"sw fault-sw\"></i>fault</span>"
         "<span><i class=\"sw window-sw\"></i>unavailable</span><span><i class=\"sw role-master\"></i>master</span>"
         "<span><i class=\"sw role-replica\"></i>replica</span><span><i class=\"sw role-down\"></i>down</span>"
         "<span><i class=\"sw role-frozen\"></i>frozen</span>"
         "<span><i class=\"mk ev-sdown\"></i>+sdown</span><span><i class=\"mk ev-odown\"></i>+odown</span>"
         "<span><i class=\"mk ev-leader\"></i>+elected-leader</span><span><i class=\"mk ev-promoted\"></i>"
         "+promoted-slave</span><span><i class=\"mk ev-switch\"></i>+switch-master</span>"
         "<span><i class=\"mk ev-other\"></i>other event</span>"
         "<span><i class=\"ln lat-p50\"></i>p50</span><span><i class=\"ln lat-p90\"></i>p90</span>"
         "<span><i class=\"ln lat-p99\"></i>p99</span><span><i class=\"ln lat-max\"></i>max</span>"
         "<span>Sentinel and VIP lanes are coloured by node; dashed lines mark +switch-master.</span></div>";
  return out + "</section>";
}

struct AnatomyPart {
  const char* name;
  const char* cls;
  std::optional<int64_t> ms;  // absent: not observed
};

// Splits a failover at its instants; an unobserved instant leaves its part
// out and the next part starts from the last instant that was seen.
std::vector<AnatomyPart> Anatomy(const json& f, int64_t* total_ns) {
  static const std::pair<const char*, const char*> kParts[] = {
      {"detection", "odown_ns"},          {"election", "elected_leader_ns"},
      {"promotion", "became_master_ns"},  // the replica's own log: it is master
      {"Sentinel notices", "promoted_ns"},  // +promoted-slave, at Sentinel's next INFO poll
      {"switch", "switch_master_ns"},     {"VIP move", "vip_moved_ns"},
      {"client reconnection", "first_ok_ns"}};
  static const char* const kClasses[] = {"an-detect", "an-elect", "an-promote", "an-notice",
                                         "an-switch", "an-vip",   "an-client"};
  constexpr int kCount = sizeof(kClasses) / sizeof(kClasses[0]);
  std::optional<int64_t> prev = Int(f, "fault_start_ns");
  if (!prev) prev = Int(f, "sdown_ns");
  int64_t start = prev.value_or(0), end = start;
  std::vector<AnatomyPart> parts;
  for (int i = 0; i < kCount; ++i) {
    std::optional<int64_t> at = Int(f, kParts[i].second);
    if (!at || !prev) {
      parts.push_back({kParts[i].first, kClasses[i], std::nullopt});
      continue;
    }
    int64_t d = std::max<int64_t>(0, *at - *prev);
    parts.push_back({kParts[i].first, kClasses[i], d});
    prev = std::max(*prev, *at);
    end = *prev;
  }
  *total_ns = end - start;
  return parts;
}

std::string AnatomySection(const json& r) {
  const json& failovers = Arr(r, "failovers");
  std::string out = "<section id=\"anatomy\"><h2>Failover anatomy</h2>";
  if (failovers.empty()) return out + "<p class=\"empty\">No failover happened in this run.</p></section>";
  int64_t widest = 1;
  for (const json& f : failovers) {
    int64_t total = 0;
    Anatomy(f, &total);
    widest = std::max(widest, total);
  }
  for (const json& f : failovers) {
    int64_t total = 0;
    std::vector<AnatomyPart> parts = Anatomy(f, &total);
    Appendf(out, "<div class=\"failover\"><h3>%s → new master %s: %s</h3>",
            Escape("fault " + Str(f, "fault_id", "?")).c_str(), Escape(Str(f, "new_master", "?")).c_str(),
            FormatDurationNs(total).c_str());
    Appendf(out, "<div class=\"anatomy-bar\" style=\"width:%.1f%%\">", 100.0 * total / widest);
    for (const AnatomyPart& p : parts) {
      if (!p.ms || *p.ms == 0 || total == 0) continue;
      Appendf(out, "<span class=\"%s\" style=\"width:%.2f%%\" title=\"%s %s\">%s</span>", p.cls,
              100.0 * *p.ms / total, p.name, FormatDurationNs(*p.ms).c_str(), FormatDurationNs(*p.ms).c_str());
    }
    out += "</div><table class=\"anatomy-table\"><tr>";
    for (const AnatomyPart& p : parts) Appendf(out, "<th><i class=\"sw %s\"></i>%s</th>", p.cls, p.name);
    out += "</tr><tr>";
    for (const AnatomyPart& p : parts)
      Appendf(out, "<td class=\"num\">%s</td>",
              p.ms ? (FormatNumber(*p.ms / 1e6, 1) + " ms").c_str() : "not observed");
    out += "</tr></table><p class=\"meta\">instants:";
    for (const char* k : {"fault_start_ns", "sdown_ns", "odown_ns", "elected_leader_ns", "became_master_ns",
                          "promoted_ns", "switch_master_ns", "vip_moved_ns", "first_ok_ns"}) {
      std::optional<int64_t> at = Int(f, k);
      std::string name(k, std::string(k).size() - 3);
      Appendf(out, " %s %s;", name.c_str(), at ? FormatInstantNs(*at).c_str() : "–");
    }
    out += "</p></div>";
  }
  return out + "</section>";
}

std::string WindowsSection(const json& r) {
  const json& windows = Arr(Get(Get(r, "availability"), "writes"), "windows");
  std::string out = "<section id=\"windows\"><h2>Write unavailability windows</h2>";
  if (windows.empty()) return out + "<p class=\"empty\">No unavailability window.</p></section>";
  out += "<table><tr><th>start</th><th>end</th><th>duration</th><th>failed</th><th>unknown</th><th>errors</th></tr>";
  for (size_t i = 0; i < windows.size() && i < kWindowsShown; ++i) {
    const json& w = windows[i];
    std::string errors;
    const json& errs = Get(w, "errors");
    if (errs.is_object())
      for (auto it = errs.begin(); it != errs.end(); ++it) errors += it.key() + " " + Text(*it) + "  ";
    std::optional<int64_t> end = Int(w, "end_ns");
    Appendf(out, "<tr><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>",
            FormatInstantNs(Int(w, "start_ns").value_or(0)).c_str(), end ? FormatInstantNs(*end).c_str() : "open",
            FormatOptNs(Int(w, "duration_ns")).c_str());
    Appendf(out, "<td class=\"num\">%s</td><td class=\"num\">%s</td><td>%s</td></tr>",
            Escape(Str(w, "failed_ops", "–")).c_str(), Escape(Str(w, "unknown_ops", "–")).c_str(),
            Escape(errors).c_str());
  }
  out += "</table>";
  if (windows.size() > kWindowsShown)
    Appendf(out, "<p class=\"meta\">and %zu more windows.</p>", windows.size() - kWindowsShown);
  return out + "</section>";
}

// One row per client group (one per `load` line): its windows drawn on the
// run's time axis, its longest window, lost writes and first ok write after
// each failover (docs/client-drivers.md).
std::string ClientGroupsSection(const json& r) {
  const json& groups = Arr(r, "groups");
  if (groups.empty()) return "";
  const double end_ns = std::max<double>(1, static_cast<double>(Int(Get(r, "run"), "duration_ns").value_or(1)));
  std::string out = "<section id=\"client-groups\"><h2>Client libraries</h2>";
  out += "<p class=\"meta\">Each load line is a client group with its own discovery, timeouts and retries; "
         "red bars are its write unavailability windows on the run's time axis, grey marks the faults.</p>";
  out += "<table><tr><th>group</th><th>library</th><th>windows on the timeline</th><th>longest window</th>"
         "<th>acknowledged</th><th>lost</th><th>first ok write after the fault</th><th>settings</th></tr>";
  for (const json& g : groups) {
    const json& info = Get(g, "info");
    const json& figures = Get(g, "figures");
    std::string svg = "<svg class=\"group-lane\" viewBox=\"0 0 1000 14\" width=\"300\" height=\"14\" preserveAspectRatio=\"none\">";
    for (const json& f : Arr(r, "faults")) {
      double a = static_cast<double>(Int(f, "start_ns").value_or(0)) / end_ns * 1000;
      double b = static_cast<double>(Int(f, "stop_ns").value_or(static_cast<int64_t>(end_ns))) / end_ns * 1000;
      Appendf(svg, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"14\" fill=\"#ddd\"/>", a, std::max(1.0, b - a));
    }
    for (const json& w : Arr(Get(Get(g, "availability"), "writes"), "windows")) {
      double a = static_cast<double>(Int(w, "start_ns").value_or(0)) / end_ns * 1000;
      double b = static_cast<double>(Int(w, "end_ns").value_or(static_cast<int64_t>(end_ns))) / end_ns * 1000;
      Appendf(svg, "<rect x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"10\" fill=\"#c0392b\"/>", a, std::max(2.0, b - a));
    }
    svg += "</svg>";
    std::string first_ok;
    for (const json& f : Arr(g, "failovers")) {
      auto ok = Int(f, "first_ok_ns");
      auto start = Int(f, "fault_start_ns");
      first_ok += (first_ok.empty() ? "" : ", ") + (ok && start ? "+" + FormatDurationNs(*ok - *start) : std::string("never"));
    }
    std::string settings;
    const json& set = Get(info, "settings");
    if (set.is_object())
      for (auto it = set.begin(); it != set.end(); ++it) settings += it.key() + "=" + Text(*it) + " ";
    std::optional<double> longest = Num(figures, "unavailability.longest");
    std::optional<double> lost = Num(figures, "lost");
    Appendf(out, "<tr data-group=\"%s\"><td>%s</td><td>%s %s</td><td>%s</td><td class=\"num\">%s</td>",
            Escape(Str(g, "name")).c_str(), Escape(Str(g, "name")).c_str(), Escape(Str(info, "library")).c_str(),
            Escape(Str(info, "version")).c_str(), svg.c_str(), longest ? FormatDurationS(*longest).c_str() : "none");
    Appendf(out, "<td class=\"num\">%s</td><td class=\"num\">%s</td><td>%s</td><td>%s</td></tr>",
            Escape(Str(figures, "acknowledged", "–")).c_str(), lost ? FormatNumber(*lost, 0).c_str() : "–",
            Escape(first_ok.empty() ? "–" : first_ok).c_str(),
            Escape(settings.empty() ? (Str(g, "profile") == "defaults" ? "library defaults" : "") : settings).c_str());
  }
  return out + "</table></section>";
}

std::string DataLossSection(const json& r) {
  const json& loss = Get(r, "data_loss");
  std::string out = "<section id=\"data-loss\"><h2>Data loss</h2>";
  if (!loss.is_object()) return out + "<p class=\"empty\">No data-loss check in this run.</p></section>";
  out += "<table class=\"counts\"><tr>";
  for (const char* k : {"attempted", "acknowledged", "lost", "unexpected", "recovered"})
    Appendf(out, "<th>%s</th>", k);
  out += "</tr><tr>";
  for (const char* k : {"attempted", "acknowledged", "lost", "unexpected", "recovered"})
    Appendf(out, "<td class=\"num%s\">%s</td>", std::string(k) == "lost" && Num(loss, k).value_or(0) > 0 ? " bad" : "",
            Escape(Str(loss, k, "–")).c_str());
  out += "</tr></table>";
  const json& counter = Get(loss, "counter");
  if (counter.is_object())
    Appendf(out, "<p>Counter: %s acknowledged increments of %s attempted, final value %s, %s lost increments.</p>",
            Escape(Str(counter, "acknowledged_increments", "?")).c_str(),
            Escape(Str(counter, "attempted_increments", "?")).c_str(), Escape(Str(counter, "final_value", "?")).c_str(),
            Escape(Str(counter, "lost_increments", "?")).c_str());
  const json& div = Get(r, "divergence");
  if (div.is_object())
    Appendf(out, "<p>Replicas diverging from the master at the final read: %s.</p>",
            Escape(Str(div, "diverged", "?")).c_str());
  const json& lost = Arr(loss, "lost_elements");
  if (!lost.empty()) {
    out += "<table id=\"lost-elements\"><tr><th>value</th><th>acknowledged at</th><th>by server</th></tr>";
    for (size_t i = 0; i < lost.size() && i < kLostShown; ++i)
      Appendf(out, "<tr><td><code>%s</code></td><td class=\"num\">%s</td><td>%s</td></tr>",
              Escape(Str(lost[i], "value")).c_str(), FormatInstantNs(Int(lost[i], "acked_ns").value_or(0)).c_str(),
              Escape(Str(lost[i], "server")).c_str());
    out += "</table>";
  }
  size_t total_lost = std::max<size_t>(lost.size(), static_cast<size_t>(std::max(0.0, Num(loss, "lost").value_or(0))));
  size_t shown = std::min(lost.size(), kLostShown);
  if (total_lost > shown) Appendf(out, "<p class=\"meta\" id=\"lost-rest\">and %zu more lost elements.</p>", total_lost - shown);
  return out + "</section>";
}

// Settings as a person writes them: "duration_ns 20000000000" shows as
// "duration 20s", "down-after 1000ms" as "down-after 1s".
std::string KeyValueTable(const json& object) {
  std::string out = "<table class=\"kv\">";
  auto ends = [](const std::string& s, const std::string& suffix) {
    return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  for (auto it = object.begin(); it != object.end(); ++it) {
    std::string key = it.key(), value = Text(*it);
    if (ends(key, "_ns") && it->is_number_integer()) {
      key.resize(key.size() - 3);
      value = FormatSettingNs(it->get<int64_t>());
    } else if (it->is_string() && ends(value, "ms") && value.find_first_not_of("0123456789") == value.size() - 2) {
      try {
        value = FormatSettingNs(std::stoll(value) * 1000000);
      } catch (...) {
      }
    }
    std::replace(key.begin(), key.end(), '_', ' ');
    Appendf(out, "<tr><th>%s</th><td>%s</td></tr>", Escape(key).c_str(), Escape(value).c_str());
  }
  return out + "</table>";
}

std::string TopologySection(const json& r) {
  const json& topo = Get(r, "topology");
  const json& scenario = Get(r, "scenario");
  std::string out = "<section id=\"topology-section\"><h2>Topology and configuration</h2><div class=\"two\">";
  out += "<div>" + RenderTopologySvg(r) + "</div><div>";
  Appendf(out, "<p>architecture <b>%s</b> · redis %s · seed %s</p>", Escape(Str(topo, "kind", "?")).c_str(),
          Escape(Str(topo, "redis_version", "?")).c_str(), Escape(Str(scenario, "seed", "?")).c_str());
  if (Get(topo, "options").is_object()) out += "<h3>options</h3>" + KeyValueTable(Get(topo, "options"));
  if (Get(r, "load").is_object()) out += "<h3>load</h3>" + KeyValueTable(Get(r, "load"));
  if (Get(r, "settings").is_object()) out += "<h3>checker settings</h3>" + KeyValueTable(Get(r, "settings"));
  out += "</div></div><h3>Rerun</h3>";
  std::string rerun = Str(Get(r, "run"), "rerun");
  Appendf(out, "<pre id=\"rerun\">%s</pre>", rerun.empty() ? "(not recorded)" : Escape(rerun).c_str());
  return out + "</section>";
}

const char kScript[] = R"JS(
(function () {
  var svg = document.getElementById('timeline');
  var dataEl = document.getElementById('timeline-data');
  if (!svg || !dataEl) return;
  var d = JSON.parse(dataEl.textContent);
  var cursor = document.getElementById('cursor');
  var readout = document.getElementById('readout');
  function at(series, span, t) {
    if (!series || !series.length || !span) return null;
    var i = Math.floor(t / span * series.length);
    return i >= 0 && i < series.length ? i : null;
  }
  svg.addEventListener('mousemove', function (e) {
    var p = svg.createSVGPoint(); p.x = e.clientX; p.y = e.clientY;
    var q = p.matrixTransform(svg.getScreenCTM().inverse());
    if (q.x < d.left || q.x > d.left + d.plot) { cursor.setAttribute('visibility', 'hidden'); return; }
    var t = (q.x - d.left) / d.plot * d.t_end;
    cursor.setAttribute('x1', q.x); cursor.setAttribute('x2', q.x); cursor.setAttribute('visibility', 'visible');
    var text = 't = ' + t.toFixed(2) + ' s';
    var i = d.tp ? at(d.tp.ok, d.tp.span, t) : null;
    if (i !== null) text += '  |  ok ' + d.tp.ok[i] + '/s  fail ' + d.tp.fail[i] + '/s  unknown ' + d.tp.unknown[i] + '/s';
    var j = d.lat ? at(d.lat.p99, d.lat.span, t) : null;
    if (j !== null) text += '  |  p50 ' + d.lat.p50[j] + ' ms  p99 ' + d.lat.p99[j] + ' ms  max ' + d.lat.max[j] + ' ms';
    readout.textContent = text;
  });
  svg.addEventListener('mouseleave', function () { cursor.setAttribute('visibility', 'hidden'); });
  var buttons = document.querySelectorAll('button[data-zoom]');
  for (var k = 0; k < buttons.length; k++) {
    buttons[k].addEventListener('click', function () { svg.style.width = (100 * this.getAttribute('data-zoom')) + '%'; });
  }
  svg.setAttribute('data-ready', '1');
})();
)JS";

std::string RenderRun(const json& r) {
  std::string title = "sentinel-chaos: " + Str(Get(r, "scenario"), "name", "run report");
  std::string out = PageStart(title);
  if (!r.is_object()) {
    out += "<p class=\"banner warn\">The results document is empty or not an object: nothing to report.</p>";
    return out + PageEnd("");
  }
  out += HeaderSection(r) + ExpectationsSection(r) + KeyFiguresSection(r) + TimelineSection(r) +
         AnatomySection(r) + ClientGroupsSection(r) + FaultsSection(r) + WindowsSection(r) + DataLossSection(r) +
         TopologySection(r);
  return out + PageEnd(kScript);
}

}  // namespace

std::string HtmlRunReport::Render(const json& results) const {
  try {
    return RenderRun(results);
  } catch (const std::exception& e) {
    return PageStart("sentinel-chaos: run report") + "<p class=\"banner warn\">The report could not be rendered: " +
           Escape(e.what()) + "</p>" + PageEnd("");
  }
}

}  // namespace sc::reports
