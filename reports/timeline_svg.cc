#include "reports/timeline_svg.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <vector>

#include "reports/html_util.h"

namespace sc::reports {
namespace {

using nlohmann::json;

constexpr double kLeft = 150;    // lane labels live left of this
constexpr double kPlotW = 1200;  // width of the time axis
constexpr double kWidth = kLeft + kPlotW + 20;
constexpr double kAxisH = 22;
constexpr double kGap = 6;

const char* const kNodePalette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1",
                                    "#76b7b2", "#edc948", "#ff9da7", "#9c755f"};

// Maps the run clock to x. The axis covers 0 .. end_ns.
struct Axis {
  int64_t end_ns;
  double X(int64_t ns) const {
    ns = std::clamp<int64_t>(ns, 0, end_ns);
    return kLeft + static_cast<double>(ns) * kPlotW / static_cast<double>(end_ns);
  }
};

// The latest instant the document mentions: the axis must show all of it.
int64_t RunEndNs(const json& r) {
  int64_t end = Int(Get(r, "run"), "duration_ns").value_or(0);
  auto take = [&end](std::optional<int64_t> v) { if (v) end = std::max(end, *v); };
  const json& tp = Get(r, "throughput");
  take(Int(tp, "bucket_ns").value_or(0) * static_cast<int64_t>(Arr(tp, "buckets").size()));
  for (const json& s : Arr(Get(r, "latency"), "per_second"))
    take(Int(s, "t_s").value_or(0) * 1000000000 + 1000000000);
  for (const json& f : Arr(r, "faults")) { take(Int(f, "start_ns")); take(Int(f, "stop_ns")); }
  for (const json& w : Arr(Get(Get(r, "availability"), "writes"), "windows")) take(Int(w, "end_ns"));
  const json& tl = Get(r, "timeline");
  for (const char* k : {"roles", "sentinel_views", "vip"})
    for (const json& s : Arr(tl, k)) take(Int(s, "end_ns"));
  for (const json& e : Arr(tl, "sentinel_events")) take(Int(e, "at_ns"));
  for (const json& f : Arr(r, "failovers")) take(Int(f, "first_ok_ns"));
  return end > 0 ? end : 1000000000;
}

// Nodes in a stable order: the topology's servers first, then any other name
// the given timeline arrays mention.
std::vector<std::string> NodeOrder(const json& r, const char* flag,
                                   std::initializer_list<std::pair<const char*, const char*>> extra) {
  std::vector<std::string> names;
  auto add = [&names](const std::string& n) {
    if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  for (const json& s : Arr(Get(r, "topology"), "servers"))
    if (Bool(s, flag, std::string(flag) == "redis")) add(Str(s, "name"));
  const json& tl = Get(r, "timeline");
  for (auto [array, key] : extra)
    for (const json& e : Arr(tl, array)) add(Str(e, key));
  return names;
}

class NodeColors {
 public:
  explicit NodeColors(const json& r) {
    for (const json& s : Arr(Get(r, "topology"), "servers")) Of(Str(s, "name"));
  }
  const char* Of(const std::string& node) {
    auto it = index_.find(node);
    if (it == index_.end()) it = index_.emplace(node, static_cast<int>(index_.size())).first;
    return kNodePalette[it->second % 8];
  }

 private:
  std::map<std::string, int> index_;
};

std::string SpanTitle(const std::string& what, int64_t start, int64_t end) {
  return what + " " + FormatInstantNs(start) + " – " + FormatInstantNs(end) + " (" +
         FormatDurationNs(end - start) + ")";
}

// Lays lanes out top to bottom and collects what is drawn behind them.
class TimelineBuilder {
 public:
  explicit TimelineBuilder(const json& r) : r_(r), axis_{RunEndNs(r)}, colors_(r) {}

  std::string Build();

 private:
  void OpenLane(const std::string& id, const std::string& label, double h, const std::string& sub = "");
  void CloseLane(double h);
  void Bar(double x0, double x1, double y, double h, const std::string& cls, const char* fill,
           const std::string& title, const std::string& label);

  void ThroughputLane();
  void FaultsLane();
  void WindowsLane(const char* id, const char* label, const json& windows);
  void RoleLanes();
  void SentinelLanes();
  void VipLane();
  void SplitBrainLane();
  void LatencyLane();
  std::string AxisAndGrid(double bottom) const;
  std::string FailoverLines(double bottom) const;
  std::string FaultShades(double bottom) const;
  std::string HoverData() const;

  const json& r_;
  Axis axis_;
  NodeColors colors_;
  std::string body_;
  double y_ = kAxisH;
  json tp_hover_ = nullptr, lat_hover_ = nullptr;
};

void TimelineBuilder::OpenLane(const std::string& id, const std::string& label, double h,
                               const std::string& sub) {
  y_ += kGap;
  Appendf(body_, "<g class=\"lane\" data-lane=\"%s\" transform=\"translate(0,%.1f)\">", Escape(id).c_str(), y_);
  Appendf(body_, "<rect class=\"lane-bg\" x=\"%.0f\" y=\"0\" width=\"%.0f\" height=\"%.1f\"/>", kLeft, kPlotW, h);
  double ty = sub.empty() ? h / 2 + 4 : h / 2 - 1;
  Appendf(body_, "<text class=\"lane-label\" x=\"%.0f\" y=\"%.1f\">%s</text>", kLeft - 8, ty, Escape(label).c_str());
  if (!sub.empty())
    Appendf(body_, "<text class=\"lane-sub\" x=\"%.0f\" y=\"%.1f\">%s</text>", kLeft - 8, ty + 12, Escape(sub).c_str());
}

void TimelineBuilder::CloseLane(double h) {
  body_ += "</g>";
  y_ += h;
}

void TimelineBuilder::Bar(double x0, double x1, double y, double h, const std::string& cls, const char* fill,
                          const std::string& title, const std::string& label) {
  double w = std::max(x1 - x0, 1.0);
  Appendf(body_, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"", cls.c_str(), x0, y, w, h);
  if (fill) Appendf(body_, " style=\"fill:%s\"", fill);
  Appendf(body_, "><title>%s</title></rect>", Escape(title).c_str());
  if (!label.empty() && w > 7.0 * label.size() + 6)
    Appendf(body_, "<text class=\"bar-label\" x=\"%.1f\" y=\"%.1f\">%s</text>", x0 + 4, y + h / 2 + 4,
            Escape(label).c_str());
}

// Throughput, stacked ok / fail / unknown, in ops/s, binned to at most
// kMaxTimelineColumns columns.
void TimelineBuilder::ThroughputLane() {
  const double h = 110;
  const json& tp = Get(r_, "throughput");
  const json& buckets = Arr(tp, "buckets");
  int64_t bucket_ns = Int(tp, "bucket_ns").value_or(Int(Get(r_, "settings"), "bucket_ns").value_or(0));
  size_t n = buckets.size();
  if (n == 0 || bucket_ns <= 0) {
    OpenLane("throughput", "throughput", 24);
    Appendf(body_, "<text class=\"empty\" x=\"%.0f\" y=\"16\">no throughput recorded</text>", kLeft + 6);
    CloseLane(24);
    return;
  }
  size_t cols = std::min<size_t>(n, kMaxTimelineColumns);
  std::vector<double> ok(cols), fail(cols), unknown(cols);
  double peak = 0;
  for (size_t c = 0; c < cols; ++c) {
    size_t b0 = c * n / cols, b1 = (c + 1) * n / cols;
    double secs = (b1 - b0) * bucket_ns / 1e9;
    for (size_t b = b0; b < b1; ++b) {
      ok[c] += Num(buckets[b], "ok").value_or(0);
      fail[c] += Num(buckets[b], "fail").value_or(0);
      unknown[c] += Num(buckets[b], "unknown").value_or(0);
    }
    ok[c] /= secs; fail[c] /= secs; unknown[c] /= secs;
    peak = std::max(peak, ok[c] + fail[c] + unknown[c]);
  }
  OpenLane("throughput", "throughput", h, "peak " + FormatNumber(peak, 0) + " ops/s");
  std::string paths[3];
  for (size_t c = 0; c < cols; ++c) {
    size_t b0 = c * n / cols, b1 = (c + 1) * n / cols;
    double x0 = axis_.X(b0 * bucket_ns), x1 = axis_.X(b1 * bucket_ns);
    double base = h;
    const double values[3] = {ok[c], fail[c], unknown[c]};
    for (int s = 0; s < 3; ++s) {
      double bh = peak > 0 ? values[s] / peak * (h - 4) : 0;
      if (bh < 0.05) continue;
      double w = x1 - x0 + 0.4;  // overlap the next column: no hairline gaps from anti-aliasing
      Appendf(paths[s], "M%.1f %.1fh%.2fv%.1fh%.2fz", x0, base - bh, w, bh, -w);
      base -= bh;
    }
  }
  const char* cls[3] = {"tp-ok", "tp-fail", "tp-unknown"};
  for (int s = 0; s < 3; ++s)
    if (!paths[s].empty()) Appendf(body_, "<path class=\"%s\" d=\"%s\"/>", cls[s], paths[s].c_str());
  CloseLane(h);

  auto rounded = [](const std::vector<double>& v) {
    json a = json::array();
    for (double x : v) a.push_back(std::llround(x));
    return a;
  };
  tp_hover_ = {{"span", n * bucket_ns / 1e9}, {"ok", rounded(ok)}, {"fail", rounded(fail)},
               {"unknown", rounded(unknown)}};
}

void TimelineBuilder::FaultsLane() {
  const json& faults = Arr(r_, "faults");
  const double row = 16;
  double h = std::max<double>(1, faults.size()) * row;
  OpenLane("faults", "faults", h);
  if (faults.empty())
    Appendf(body_, "<text class=\"empty\" x=\"%.0f\" y=\"12\">no faults</text>", kLeft + 6);
  double y = 0;
  for (const json& f : faults) {
    if (!Int(f, "start_ns")) {  // not applied (results.md): named, no bar
      Appendf(body_, "<text class=\"fault-label\" x=\"%.1f\" y=\"%.1f\">%s</text>", kLeft + 4, y + row - 4,
              Escape(Str(f, "id") + " " + Str(f, "kind") + ": " + Str(f, "detail")).c_str());
      y += row;
      continue;
    }
    int64_t start = Int(f, "start_ns").value_or(0);
    std::optional<int64_t> stop = Int(f, "stop_ns");
    int64_t end = stop.value_or(axis_.end_ns);
    std::string label = Str(f, "id") + " " + Str(f, "kind") + " " + Str(f, "target");
    std::string title = SpanTitle("fault " + label, start, end) + (stop ? "" : ", never stopped") +
                        (Str(f, "detail").empty() ? "" : ": " + Str(f, "detail"));
    double x0 = axis_.X(start), x1 = std::max(axis_.X(end), x0 + 2);
    Appendf(body_, "<g class=\"fault\" data-fault=\"%s\">", Escape(Str(f, "id")).c_str());
    Bar(x0, x1, y + 2, row - 4, "fault-bar", nullptr, title, "");
    bool right = x0 > kLeft + kPlotW * 0.7;
    Appendf(body_, "<text class=\"fault-label\" x=\"%.1f\" y=\"%.1f\"%s>%s</text></g>",
            right ? x0 - 4 : x0 + 4, y + row - 4, right ? " text-anchor=\"end\"" : "", Escape(label).c_str());
    y += row;
  }
  CloseLane(h);
}

// Windows closer than a pixel are merged: a flapping run stays one rect per pixel.
void TimelineBuilder::WindowsLane(const char* id, const char* label, const json& windows) {
  const double h = 16;
  OpenLane(id, label, h);
  struct Merged { double x0, x1; int64_t start, end, total; int count; std::string title; };
  std::vector<Merged> merged;
  for (const json& w : windows) {
    if (!w.is_object()) continue;
    int64_t s = Int(w, "start_ns").value_or(0), e = Int(w, "end_ns").value_or(axis_.end_ns);
    double x0 = axis_.X(s), x1 = std::max(axis_.X(e), x0 + 1.5);
    if (!merged.empty() && x0 <= merged.back().x1 + 0.5) {
      Merged& m = merged.back();
      m.x1 = std::max(m.x1, x1); m.end = std::max(m.end, e); m.total += e - s; ++m.count;
      continue;
    }
    std::string title = SpanTitle("unavailable", s, e) + ": " + Str(w, "failed_ops", "?") + " failed, " +
                        Str(w, "unknown_ops", "?") + " unknown";
    const json& errs = Get(w, "errors");
    if (errs.is_object() && !errs.empty()) {
      title += "; errors";
      for (auto it = errs.begin(); it != errs.end(); ++it) title += " " + it.key() + " " + Text(*it);
    }
    merged.push_back({x0, x1, s, e, e - s, 1, title});
  }
  for (const Merged& m : merged) {
    std::string title = m.count == 1 ? m.title
                                     : std::to_string(m.count) + " windows " + FormatInstantNs(m.start) + " – " +
                                           FormatInstantNs(m.end) + ", " + FormatDurationNs(m.total) + " in all";
    Bar(m.x0, m.x1, 2, h - 4, "window", nullptr, title, FormatDurationNs(m.total));
  }
  if (merged.empty()) Appendf(body_, "<text class=\"empty\" x=\"%.0f\" y=\"12\">none</text>", kLeft + 6);
  CloseLane(h);
}

std::string RoleClass(const std::string& role) {
  for (const char* known : {"master", "replica", "down", "frozen"})
    if (role == known) return std::string("role-") + known;
  if (role == "slave") return "role-replica";
  return "role-other";
}

void TimelineBuilder::RoleLanes() {
  const json& roles = Arr(Get(r_, "timeline"), "roles");
  for (const std::string& node : NodeOrder(r_, "redis", {{"roles", "node"}})) {
    const double h = 18;
    OpenLane("role-" + node, node + " role", h);
    for (const json& s : roles) {
      if (Str(s, "node") != node) continue;
      int64_t start = Int(s, "start_ns").value_or(0), end = Int(s, "end_ns").value_or(axis_.end_ns);
      std::string role = Str(s, "role", "unknown");
      Bar(axis_.X(start), axis_.X(end), 1, h - 2, "seg " + RoleClass(role), nullptr,
          SpanTitle(node + " " + role, start, end), role);
    }
    CloseLane(h);
  }
}

std::string EventClass(const std::string& event) {
  static const std::pair<const char*, const char*> kClasses[] = {
      {"+sdown", "ev-sdown"},          {"+odown", "ev-odown"},           {"+elected-leader", "ev-leader"},
      {"+promoted-slave", "ev-promoted"}, {"+switch-master", "ev-switch"}, {"+tilt", "ev-tilt"},
      {"-sdown", "ev-clear"},          {"-odown", "ev-clear"}};
  for (auto [name, cls] : kClasses)
    if (event == name) return cls;
  return "ev-other";
}

void TimelineBuilder::SentinelLanes() {
  const json& tl = Get(r_, "timeline");
  for (const std::string& s :
       NodeOrder(r_, "sentinel", {{"sentinel_views", "sentinel"}, {"sentinel_events", "sentinel"}})) {
    const double h = 28;
    OpenLane("sentinel-" + s, "sentinel " + s, h, "believes / events");
    for (const json& v : Arr(tl, "sentinel_views")) {
      if (Str(v, "sentinel") != s) continue;
      int64_t start = Int(v, "start_ns").value_or(0), end = Int(v, "end_ns").value_or(axis_.end_ns);
      std::string master = Str(v, "master");
      Bar(axis_.X(start), axis_.X(end), 1, 14, master.empty() ? "seg view-none" : "seg view",
          master.empty() ? nullptr : colors_.Of(master),
          SpanTitle("sentinel " + s + " believes master is " + (master.empty() ? "unknown" : master), start, end),
          master.empty() ? "?" : "→ " + master);
    }
    body_ += "<g class=\"events\">";
    for (const json& e : Arr(tl, "sentinel_events")) {
      if (Str(e, "sentinel") != s) continue;
      int64_t at = Int(e, "at_ns").value_or(0);
      std::string event = Str(e, "event");
      Appendf(body_, "<path class=\"ev %s\" d=\"M%.1f 16l4 5.5l-4 5.5l-4 -5.5z\"><title>%s</title></path>",
              EventClass(event).c_str(), axis_.X(at),
              Escape(FormatInstantNs(at) + " sentinel " + s + " " + event + " " + Str(e, "detail")).c_str());
    }
    body_ += "</g>";
    CloseLane(h);
  }
}

void TimelineBuilder::VipLane() {
  const json& vip = Arr(Get(r_, "timeline"), "vip");
  std::string address = Str(Get(r_, "topology"), "vip");
  if (vip.empty() && address.empty()) return;
  const double h = 18;
  OpenLane("vip", "VIP holder", h, address);
  for (const json& s : vip) {
    int64_t start = Int(s, "start_ns").value_or(0), end = Int(s, "end_ns").value_or(axis_.end_ns);
    std::string node = Str(s, "node");
    Bar(axis_.X(start), axis_.X(end), 1, h - 2, node.empty() ? "seg view-none" : "seg vip",
        node.empty() ? nullptr : colors_.Of(node), SpanTitle("VIP on " + (node.empty() ? "nobody" : node), start, end),
        node.empty() ? "none" : node);
  }
  CloseLane(h);
}

void TimelineBuilder::SplitBrainLane() {
  const double h = 14;
  OpenLane("split-brain", "split brain", h);
  const json& intervals = Arr(Get(r_, "split_brain"), "intervals");
  bool any = false;
  for (const json& i : intervals) {
    int64_t start = Int(i, "start_ns").value_or(0), end = Int(i, "end_ns").value_or(axis_.end_ns);
    if (end <= start) continue;
    std::string masters;
    for (const json& m : Arr(i, "masters")) masters += (masters.empty() ? "" : ", ") + Text(m);
    Bar(axis_.X(start), axis_.X(end), 1, h - 2, "split", nullptr, SpanTitle("masters " + masters, start, end), "");
    any = true;
  }
  if (!any) Appendf(body_, "<text class=\"empty\" x=\"%.0f\" y=\"11\">none</text>", kLeft + 6);
  CloseLane(h);
}

// Latency percentiles per second on a log scale; each column keeps the worst
// value of the seconds it covers, and seconds without ok ops break the line.
void TimelineBuilder::LatencyLane() {
  const double h = 120;
  const json& per_second = Arr(Get(r_, "latency"), "per_second");
  int64_t seconds = 0;
  for (const json& s : per_second) seconds = std::max(seconds, Int(s, "t_s").value_or(0) + 1);
  if (seconds == 0) {
    OpenLane("latency", "latency", 24);
    Appendf(body_, "<text class=\"empty\" x=\"%.0f\" y=\"16\">no latency recorded</text>", kLeft + 6);
    CloseLane(24);
    return;
  }
  static const char* const kKeys[] = {"p50_ns", "p90_ns", "p99_ns", "max_ns"};
  static const char* const kClasses[] = {"lat-p50", "lat-p90", "lat-p99", "lat-max"};
  size_t cols = std::min<size_t>(seconds, kMaxTimelineColumns);
  std::vector<std::array<double, 4>> worst(cols, {0, 0, 0, 0});
  std::vector<double> count(cols, 0);
  double peak = 1e7;
  for (const json& s : per_second) {
    int64_t t = Int(s, "t_s").value_or(-1);
    if (t < 0 || Num(s, "count").value_or(0) <= 0) continue;
    size_t c = std::min<size_t>(static_cast<size_t>(t) * cols / seconds, cols - 1);
    count[c] += Num(s, "count").value_or(0);
    for (int k = 0; k < 4; ++k) {
      worst[c][k] = std::max(worst[c][k], Num(s, kKeys[k]).value_or(0));
      peak = std::max(peak, worst[c][k]);
    }
  }
  const double lo = 5, hi = std::ceil(std::log10(peak));  // 10^5 ns = 0.1 ms
  auto y = [&](double ns) { return h - (std::log10(std::max(ns, 1e5)) - lo) / (hi - lo) * (h - 4); };
  OpenLane("latency", "latency", h, "p50 p90 p99 max");
  for (double d = lo; d <= hi; d += 1) {
    Appendf(body_, "<line class=\"lat-grid\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>", kLeft,
            kLeft + kPlotW, y(std::pow(10, d)), y(std::pow(10, d)));
    double label_y = d == lo ? y(std::pow(10, d)) - 2 : y(std::pow(10, d)) + 9;
    Appendf(body_, "<text class=\"lat-tick\" x=\"%.0f\" y=\"%.1f\">%s</text>", kLeft + 3, label_y,
            FormatDurationS(std::pow(10, d) / 1e9).c_str());
  }
  for (int k = 0; k < 4; ++k) {
    std::string d;
    bool pen_down = false;
    for (size_t c = 0; c < cols; ++c) {
      if (count[c] <= 0) { pen_down = false; continue; }
      double x = axis_.X(static_cast<int64_t>((c + 0.5) * seconds / cols * 1e9));
      Appendf(d, "%c%.1f %.1f", pen_down ? 'L' : 'M', x, y(worst[c][k]));
      pen_down = true;
    }
    if (!d.empty()) Appendf(body_, "<path class=\"%s\" d=\"%s\"/>", kClasses[k], d.c_str());
  }
  CloseLane(h);
  json p50 = json::array(), p99 = json::array(), mx = json::array();
  for (size_t c = 0; c < cols; ++c) {
    p50.push_back(std::round(worst[c][0] / 1e4) / 100);
    p99.push_back(std::round(worst[c][2] / 1e4) / 100);
    mx.push_back(std::round(worst[c][3] / 1e4) / 100);
  }
  lat_hover_ = {{"span", seconds}, {"p50", p50}, {"p99", p99}, {"max", mx}};
}

std::string TickLabel(double t, double step) {
  char buf[32];
  if (step < 1) std::snprintf(buf, sizeof buf, "%.1f s", t);
  else if (step >= 60 || t >= 600) std::snprintf(buf, sizeof buf, "%d:%02d", int(t) / 60, int(t) % 60);
  else std::snprintf(buf, sizeof buf, "%.0f s", t);
  return buf;
}

std::string TimelineBuilder::AxisAndGrid(double bottom) const {
  static const double kSteps[] = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200};
  double end_s = axis_.end_ns / 1e9, step = kSteps[0];
  for (double s : kSteps) {
    step = s;
    if (end_s / s <= 12) break;
  }
  std::string out = "<g class=\"axis\">";
  for (int i = 0; i * step <= end_s + 1e-9; ++i) {
    double x = axis_.X(static_cast<int64_t>(i * step * 1e9));
    std::string label = TickLabel(i * step, step);
    Appendf(out, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.1f\"/>", x, x, kAxisH - 4, bottom);
    Appendf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%.0f\">%s</text>", x, kAxisH - 8, label.c_str());
    Appendf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">%s</text>", x, bottom + 14, label.c_str());
  }
  return out + "</g>";
}

std::string TimelineBuilder::FaultShades(double bottom) const {
  std::string out;
  for (const json& f : Arr(r_, "faults")) {
    if (!Int(f, "start_ns")) continue;  // not applied: never in force
    double x0 = axis_.X(Int(f, "start_ns").value_or(0));
    double x1 = std::max(axis_.X(Int(f, "stop_ns").value_or(axis_.end_ns)), x0 + 2);
    Appendf(out, "<rect class=\"fault-shade\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%.1f\"/>", x0, kAxisH,
            x1 - x0, bottom - kAxisH);
  }
  return out;
}

std::string TimelineBuilder::FailoverLines(double bottom) const {
  std::string out;
  for (const json& f : Arr(r_, "failovers")) {
    std::optional<int64_t> at = Int(f, "switch_master_ns");
    if (!at) continue;
    double x = axis_.X(*at);
    Appendf(out, "<line class=\"failover-line\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.1f\"/>", x, x, kAxisH,
            bottom);
  }
  return out;
}

std::string TimelineBuilder::HoverData() const {
  json d = {{"left", kLeft}, {"plot", kPlotW}, {"t_end", axis_.end_ns / 1e9}, {"tp", tp_hover_}, {"lat", lat_hover_}};
  return d.dump();  // numbers only: safe inside a <script> element
}

std::string TimelineBuilder::Build() {
  ThroughputLane();
  FaultsLane();
  WindowsLane("unavailability", "write unavailability", Arr(Get(Get(r_, "availability"), "writes"), "windows"));
  if (Get(Get(r_, "availability"), "reads").is_object())
    WindowsLane("read-unavailability", "read unavailability", Arr(Get(Get(r_, "availability"), "reads"), "windows"));
  RoleLanes();
  SentinelLanes();
  VipLane();
  SplitBrainLane();
  LatencyLane();
  double bottom = y_ + kGap;
  double height = bottom + 20;
  std::string out;
  out.reserve(body_.size() + 4096);
  Appendf(out,
          "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
          "data-end-ns=\"%lld\" role=\"img\" aria-label=\"run timeline\">",
          kWidth, height, static_cast<long long>(axis_.end_ns));
  out += FaultShades(bottom) + AxisAndGrid(bottom) + body_ + FailoverLines(bottom);
  Appendf(out, "<line id=\"cursor\" x1=\"0\" x2=\"0\" y1=\"%.0f\" y2=\"%.1f\" visibility=\"hidden\"/>", kAxisH,
          bottom);
  out += "</svg>\n<script type=\"application/json\" id=\"timeline-data\">" + HoverData() + "</script>\n";
  return out;
}

}  // namespace

std::string RenderTimelineSvg(const json& results) { return TimelineBuilder(results).Build(); }

}  // namespace sc::reports
