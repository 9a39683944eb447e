#include "harness/checkers/timeline.h"

#include <algorithm>
#include <map>

namespace sc {

nlohmann::json ChangesToIntervals(std::vector<TimelineChecker::Change> changes, Nanos end,
                                  const char* key_name, const char* value_name) {
  std::stable_sort(changes.begin(), changes.end(),
                   [](const auto& a, const auto& b) { return a.at < b.at; });
  struct Open {
    Nanos start;
    std::string value;
  };
  std::map<std::string, Open> open;
  std::vector<std::tuple<Nanos, Nanos, std::string, std::string>> out;  // start, end, key, value
  auto emit = [&](const std::string& key, const Open& o, Nanos until) {
    if (!o.value.empty()) out.emplace_back(o.start, std::max(until, o.start), key, o.value);
  };
  for (const auto& c : changes) {
    auto it = open.find(c.key);
    if (it != open.end()) {
      if (it->second.value == c.value) continue;  // no change
      emit(c.key, it->second, c.at);
      it->second = Open{c.at, c.value};
    } else {
      open.emplace(c.key, Open{c.at, c.value});
    }
  }
  for (const auto& [key, o] : open) emit(key, o, end);
  std::sort(out.begin(), out.end());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [s, e, key, value] : out) {
    nlohmann::json j = {{"start_ns", s}, {"end_ns", e}};
    j[key_name] = key;
    if (value_name != nullptr) j[value_name] = value;
    list.push_back(std::move(j));
  }
  return list;
}

void TimelineChecker::OnEvent(const Event& ev) {
  if (ev.type == "role") {
    roles_.push_back({ev.at, ev.node, ev.role});
  } else if (ev.type == "sentinel-view") {
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
  for (auto& j : ChangesToIntervals(vip_, ctx.end_ns, "vip", "node")) {
    j.erase("vip");
    vip.push_back(std::move(j));
  }
  std::stable_sort(sentinel_events_.begin(), sentinel_events_.end(),
                   [](const Event& a, const Event& b) { return a.at < b.at; });
  nlohmann::json events = nlohmann::json::array();
  for (const Event& e : sentinel_events_) {
    events.push_back({{"at_ns", e.at}, {"sentinel", e.node}, {"event", e.name}, {"detail", e.detail}});
  }
  results["timeline"] = {
      {"roles", ChangesToIntervals(roles_, ctx.end_ns, "node", "role")},
      {"sentinel_views", ChangesToIntervals(views_, ctx.end_ns, "sentinel", "master")},
      {"vip", std::move(vip)},
      {"sentinel_events", std::move(events)}};
}

}  // namespace sc
