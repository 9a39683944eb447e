#include "harness/checkers/failover.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace sc {

void FailoverChecker::OnEvent(const Event& ev) {
  if (ev.type == "sentinel-event") {
    seen_.push_back({ev.at, ev.type, ev.name, ev.node, ev.detail});
  } else if (ev.type == "vip" || ev.type == "role" || ev.type == "became-master") {
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
  std::vector<std::string> switch_details;
  for (const Seen& s : seen_) {
    if (s.type != "sentinel-event" || s.name != "+switch-master") continue;
    if (s.detail != last_switch || last_switch.empty()) {
      ++failovers;
      switches.push_back(s.at);
      switch_details.push_back(s.detail);
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
    // Every distinct +switch-master until the next fault is a failover of its
    // own (a second one follows when the new master is marked down in turn).
    std::vector<Nanos> fault_switches;
    std::vector<std::string> old_addresses;  // "IP PORT" of the master each switch replaced
    for (size_t w = 0; w < switches.size(); ++w)
      if (switches[w] >= f.start_ns && switches[w] < next) {
        fault_switches.push_back(switches[w]);
        std::istringstream words(switch_details[w]);  // "mymaster OLDIP OLDPORT NEWIP NEWPORT"
        std::string name, ip, port;
        words >> name >> ip >> port;
        old_addresses.push_back(ip + " " + port);
      }
    const size_t segments = std::max<size_t>(1, fault_switches.size());
    Nanos from = f.start_ns;  // this failover's events come after this instant
    std::string holder_before = vip_holder;
    for (size_t seg = 0; seg < segments; ++seg) {
      const bool has_switch = seg < fault_switches.size();
      // Steps up to the switch: (from, switch]; what follows it: until the next switch or fault.
      const Nanos until = has_switch ? fault_switches[seg] : next;
      const Nanos after_until = seg + 1 < fault_switches.size() ? fault_switches[seg + 1] : next;
      std::optional<Nanos> sdown, odown, elected, promoted, became, switched, vip_moved;
      std::string new_master, became_node;
      for (size_t j = k; j < seen_.size() && seen_[j].at < after_until; ++j) {
        const Seen& s = seen_[j];
        if (s.at < from || (seg > 0 && s.at == from)) continue;
        const bool before_switch = s.at <= until;
        // With several switches, a step belongs to the failover of the master it names
        // (a Sentinel can report the previous switch a second late).
        const bool about_this_master =
            !has_switch || fault_switches.size() < 2 || s.detail.find(old_addresses[seg]) != std::string::npos;
        if (s.type == "sentinel-event" && before_switch && about_this_master) {
          if (s.name == "+sdown" && s.detail.rfind("master", 0) == 0) Earliest(sdown, s.at);
          if (s.name == "+odown") Earliest(odown, s.at);
          if (s.name == "+elected-leader") Earliest(elected, s.at);
          if (s.name == "+promoted-slave") Earliest(promoted, s.at);
        } else if (s.type == "became-master" && before_switch) {
          if (!became && s.node != old_master) {
            became = s.at;
            became_node = s.node;
          }
        } else if (s.type == "vip") {
          if (!vip_moved && !s.node.empty() && s.node != holder_before) vip_moved = s.at;
        } else if (s.type == "role") {
          if (new_master.empty() && s.name == "master" && s.node != old_master) new_master = s.node;
        }
      }
      if (has_switch) switched = fault_switches[seg];
      if (!became_node.empty()) new_master = became_node;
      if (!sdown && !odown && !switched) break;
      std::optional<Nanos> first_ok;
      {
        // After the switch, the VIP move and the end of the fault's window.
        Nanos after = std::max({from, switched.value_or(from), vip_moved.value_or(from),
                                seg == 0 ? f.start_ns + f.ttr_ns.value_or(0) : from});
        first_ok = ctx.FirstOkWriteAfter(after);
      }
      list.push_back({{"fault_id", f.id},
                      {"fault_start_ns", f.start_ns},
                      {"sdown_ns", OrNull(sdown)},
                      {"odown_ns", OrNull(odown)},
                      {"elected_leader_ns", OrNull(elected)},
                      {"became_master_ns", OrNull(became)},
                      {"promoted_ns", OrNull(promoted)},
                      {"switch_master_ns", OrNull(switched)},
                      {"vip_moved_ns", OrNull(vip_moved)},
                      {"first_ok_ns", OrNull(first_ok)},
                      {"old_master", old_master.empty() ? nlohmann::json(nullptr) : nlohmann::json(old_master)},
                      {"new_master", new_master.empty() ? nlohmann::json(nullptr) : nlohmann::json(new_master)}});
      if (!has_switch) break;
      from = fault_switches[seg];
      if (!new_master.empty()) old_master = new_master;
      if (vip_moved) {
        for (size_t j = k; j < seen_.size() && seen_[j].at <= *vip_moved; ++j)
          if (seen_[j].type == "vip") holder_before = seen_[j].node;
      }
    }
  }
  results["failovers"] = std::move(list);
}

}  // namespace sc
