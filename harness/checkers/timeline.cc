#include "harness/checkers/timeline.h"

#include <algorithm>

namespace sc {

nlohmann::json IntervalsToJson(const std::vector<Interval>& intervals, const char* key_name, const char* value_name) {
  nlohmann::json list = nlohmann::json::array();
  for (const Interval& i : intervals) {
    nlohmann::json j = {{"start_ns", i.start_ns}, {"end_ns", i.end_ns}};
    j[key_name] = i.key;
    if (value_name != nullptr) j[value_name] = i.value;
    list.push_back(std::move(j));
  }
  return list;
}

void TimelineChecker::OnEvent(const Event& ev) {
  if (ev.type == "sentinel-view") {
    views_.push_back({ev.at, ev.node, ev.master});
  } else if (ev.type == "vip") {
    // One holder at a time: the key is the VIP, the value its holder.
    vip_.push_back({ev.at, "vip", ev.node});
  } else if (ev.type == "sentinel-event") {
    sentinel_events_.push_back(ev);
  }
}

void TimelineChecker::Finish(const CheckContext& ctx, nlohmann::json& results) {
  nlohmann::json vip = nlohmann::json::array();
  for (auto& j : IntervalsToJson(ChangesToIntervals(vip_, ctx.end_ns), "vip", "node")) {
    j.erase("vip");
    vip.push_back(std::move(j));
  }
  nlohmann::json roles = nlohmann::json::array();
  for (const RoleInterval& r : ctx.role_intervals)
    roles.push_back({{"node", r.node}, {"role", r.role}, {"start_ns", r.start_ns}, {"end_ns", r.end_ns}});
  std::stable_sort(sentinel_events_.begin(), sentinel_events_.end(),
                   [](const Event& a, const Event& b) { return a.at < b.at; });
  nlohmann::json events = nlohmann::json::array();
  for (const Event& e : sentinel_events_) {
    events.push_back({{"at_ns", e.at}, {"sentinel", e.node}, {"event", e.name}, {"detail", e.detail}});
  }
  results["timeline"] = {
      {"roles", std::move(roles)},
      {"sentinel_views", IntervalsToJson(ChangesToIntervals(views_, ctx.end_ns), "sentinel", "master")},
      {"vip", std::move(vip)},
      {"sentinel_events", std::move(events)}};
}

}  // namespace sc
