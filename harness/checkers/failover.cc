#include "harness/checkers/failover.h"

#include <algorithm>
#include <map>

namespace sc {

void FailoverChecker::OnEvent(const Event& ev) {
  if (ev.type == "sentinel-event") {
    seen_.push_back({ev.at, ev.type, ev.name, ev.node, ev.detail});
  } else if (ev.type == "vip" || ev.type == "role") {
    seen_.push_back({ev.at, ev.type, ev.role, ev.node, ev.detail});
  }
}

namespace {

nlohmann::json OrNull(const std::optional<Nanos>& t) {
  return t ? nlohmann::json(*t) : nlohmann::json(nullptr);
}

void Earliest(std::optional<Nanos>& slot, Nanos at) {
  if (!slot || at < *slot) slot = at;
}

}  // namespace

void FailoverChecker::Finish(const CheckContext& ctx, nlohmann::json& results) {
  std::stable_sort(seen_.begin(), seen_.end(),
                   [](const Seen& a, const Seen& b) { return a.at < b.at; });

  // Every Sentinel reports the same switch: count distinct ones.
  int64_t failovers = 0;
  std::string last_switch;
  std::vector<Nanos> switches;
  for (const Seen& s : seen_) {
    if (s.type != "sentinel-event" || s.name != "+switch-master") continue;
    if (s.detail != last_switch || last_switch.empty()) {
      ++failovers;
      switches.push_back(s.at);
    }
    last_switch = s.detail;
  }
  nlohmann::json& figures = results["figures"];
  figures["failovers"] = failovers;
  if (!ctx.faults.empty()) {
    Nanos first_fault = ctx.faults.front().start_ns;
    auto it = std::lower_bound(switches.begin(), switches.end(), first_fault);
    if (it != switches.end()) figures["failover.time"] = Seconds(*it - first_fault);
  }

  nlohmann::json list = nlohmann::json::array();
  std::map<std::string, std::string> role;  // node -> role, as of the scan
  std::string vip_holder;
  size_t k = 0;
  for (size_t i = 0; i < ctx.faults.size(); ++i) {
    const FaultRecord& f = ctx.faults[i];
    Nanos next = i + 1 < ctx.faults.size() ? ctx.faults[i + 1].start_ns : INT64_MAX;
    if (next <= f.start_ns) next = INT64_MAX;  // faults starting together share the events
    // State as of the fault's start.
    for (; k < seen_.size() && seen_[k].at < f.start_ns; ++k) {
      if (seen_[k].type == "role") role[seen_[k].node] = seen_[k].name;
      if (seen_[k].type == "vip") vip_holder = seen_[k].node;
    }
    std::string old_master;
    for (const auto& [node, r] : role) {
      if (r == "master") old_master = node;
    }
    std::optional<Nanos> sdown, odown, elected, promoted, switched, vip_moved;
    std::string new_master;
    for (size_t j = k; j < seen_.size() && seen_[j].at < next; ++j) {
      const Seen& s = seen_[j];
      if (s.type == "sentinel-event") {
        if (s.name == "+sdown" && s.detail.rfind("master", 0) == 0) Earliest(sdown, s.at);
        if (s.name == "+odown") Earliest(odown, s.at);
        if (s.name == "+elected-leader") Earliest(elected, s.at);
        if (s.name == "+promoted-slave") Earliest(promoted, s.at);
        if (s.name == "+switch-master") Earliest(switched, s.at);
      } else if (s.type == "vip") {
        if (!vip_moved && !s.node.empty() && s.node != vip_holder) vip_moved = s.at;
      } else if (s.type == "role") {
        if (new_master.empty() && s.name == "master" && s.node != old_master) new_master = s.node;
      }
    }
    if (!sdown && !odown && !switched) continue;
    std::optional<Nanos> first_ok;
    {
      // After the switch, the VIP move and the end of the fault's window.
      Nanos after = std::max({f.start_ns, switched.value_or(f.start_ns),
                              vip_moved.value_or(f.start_ns), f.start_ns + f.ttr_ns.value_or(0)});
      first_ok = ctx.FirstOkWriteAfter(after);
    }
    list.push_back({{"fault_id", f.id},
                    {"fault_start_ns", f.start_ns},
                    {"sdown_ns", OrNull(sdown)},
                    {"odown_ns", OrNull(odown)},
                    {"elected_leader_ns", OrNull(elected)},
                    {"promoted_ns", OrNull(promoted)},
                    {"switch_master_ns", OrNull(switched)},
                    {"vip_moved_ns", OrNull(vip_moved)},
                    {"first_ok_ns", OrNull(first_ok)},
                    {"old_master", old_master.empty() ? nlohmann::json(nullptr) : nlohmann::json(old_master)},
                    {"new_master", new_master.empty() ? nlohmann::json(nullptr) : nlohmann::json(new_master)}});
  }
  results["failovers"] = std::move(list);
}

}  // namespace sc
