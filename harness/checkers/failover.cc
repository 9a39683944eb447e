#include "harness/checkers/failover.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace sc {

void FailoverChecker::OnEvent(const Event& ev) {
  if (ev.type == "sentinel-event") {
    seen_.push_back({ev.at, ev.type, ev.name, ev.node, ev.detail});
  } else if (ev.type == "vip" || ev.type == "became-master") {
    seen_.push_back({ev.at, ev.type, ev.role, ev.node, ev.detail});
  }
}

namespace {

nlohmann::json OrNull(const std::optional<Nanos>& t) {
  return t ? nlohmann::json(*t) : nlohmann::json(nullptr);
}

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// "IP PORT" of the master a Sentinel event is about: Sentinel describes an
// instance as "master NAME IP PORT ..." or "slave|sentinel NAME IP PORT @ MASTERNAME IP PORT".
std::string MasterAddressIn(const std::string& detail) {
  const auto w = Words(detail);
  for (size_t i = 0; i + 3 < w.size(); ++i)
    if (w[i] == "@") return w[i + 2] + " " + w[i + 3];
  if (w.size() >= 4 && w[0] == "master") return w[2] + " " + w[3];
  return "";
}

// "IP PORT" of the instance itself ("slave 10.0.0.2:6379 10.0.0.2 6379 @ ...").
std::string InstanceAddressIn(const std::string& detail) {
  const auto w = Words(detail);
  return w.size() >= 4 ? w[2] + " " + w[3] : "";
}

std::set<std::string> Holders(const std::string& list) {
  std::set<std::string> out;
  std::istringstream in(list);
  for (std::string n; std::getline(in, n, ',');)
    if (!n.empty()) out.insert(n);
  return out;
}

// One distinct switch: the earliest report of it over all Sentinels.
struct Switch {
  Nanos at = 0;
  std::string detail;    // "mymaster OLDIP OLDPORT NEWIP NEWPORT"
  std::string old_addr;  // "IP PORT"
  std::string new_addr;
};

}  // namespace

void FailoverChecker::Finish(const CheckContext& ctx, nlohmann::json& results) {
  std::stable_sort(seen_.begin(), seen_.end(),
                   [](const Seen& a, const Seen& b) { return a.at < b.at; });

  // Server address (IP) -> node name, from the journal's meta (absent in older journals and tests).
  std::map<std::string, std::string> node_of_ip;
  if (ctx.meta.is_object() && ctx.meta.contains("topology") && ctx.meta["topology"].is_object())
    for (const auto& s : ctx.meta["topology"].value("servers", nlohmann::json::array()))
      if (s.is_object() && s.value("address", nlohmann::json()).is_string() && s.value("name", nlohmann::json()).is_string())
        node_of_ip[s["address"].get<std::string>()] = s["name"].get<std::string>();
  auto node_of = [&](const std::string& addr) -> std::string {
    auto it = node_of_ip.find(addr.substr(0, addr.find(' ')));
    return it == node_of_ip.end() ? "" : it->second;
  };

  // The VIP's arrivals: for each "vip" entry, the nodes that hold it now and
  // did not just before (the hook adds it on the new master before, or after,
  // the old master's host drops it: "n1,n2" then "n2" is one move, to n2).
  std::vector<std::set<std::string>> arrived(seen_.size());
  {
    std::set<std::string> before;
    for (size_t j = 0; j < seen_.size(); ++j) {
      if (seen_[j].type != "vip") continue;
      std::set<std::string> now = Holders(seen_[j].node);
      for (const auto& n : now)
        if (!before.count(n)) arrived[j].insert(n);
      before = std::move(now);
    }
  }

  // Every Sentinel reports the same switch: count distinct ones. A report is
  // a new failover when it names a new master other than the current one (the
  // last failover's), and either continues from the current one or was never
  // reported before: a Sentinel reporting an earlier switch late, or catching
  // up from its stale view to the current master, is no new failover.
  std::vector<Switch> switches;
  std::set<std::string> reported;
  for (const Seen& s : seen_) {
    if (s.type != "sentinel-event" || s.name != "+switch-master") continue;
    const auto w = Words(s.detail);
    Switch sw{s.at, s.detail, w.size() >= 3 ? w[1] + " " + w[2] : "", w.size() >= 5 ? w[3] + " " + w[4] : ""};
    bool is_new = true;
    if (!switches.empty()) {
      const Switch& current = switches.back();
      if (sw.detail == current.detail) is_new = false;
      else if (!sw.new_addr.empty() && sw.new_addr == current.new_addr) is_new = false;
      else if (sw.old_addr != current.new_addr && reported.count(sw.detail)) is_new = false;
    }
    reported.insert(sw.detail);
    if (is_new) switches.push_back(std::move(sw));
  }
  nlohmann::json& figures = results["figures"];
  figures["failovers"] = static_cast<int64_t>(switches.size());
  if (!ctx.faults.empty()) {
    Nanos first_fault = ctx.faults.front().start_ns;
    auto it = std::lower_bound(switches.begin(), switches.end(), first_fault,
                               [](const Switch& sw, Nanos t) { return sw.at < t; });
    if (it != switches.end()) figures["failover.time"] = Seconds(it->at - first_fault);
  }

  nlohmann::json list = nlohmann::json::array();
  size_t k = 0;
  for (size_t i = 0; i < ctx.faults.size(); ++i) {
    const FaultRecord& f = ctx.faults[i];
    Nanos next = i + 1 < ctx.faults.size() ? ctx.faults[i + 1].start_ns : INT64_MAX;
    if (next <= f.start_ns) next = INT64_MAX;  // faults starting together share the events
    while (k < seen_.size() && seen_[k].at < f.start_ns) ++k;  // this fault's events start at k
    // The master as of the fault's start (the last by name, if several).
    const std::vector<std::string> masters = ctx.MastersBefore(f.start_ns);
    std::string old_master = masters.empty() ? "" : masters.back();
    // Every distinct +switch-master until the next fault is a failover of its
    // own (a second one follows when the new master is marked down in turn).
    std::vector<const Switch*> fault_switches;
    for (const Switch& sw : switches)
      if (sw.at >= f.start_ns && sw.at < next) fault_switches.push_back(&sw);
    const size_t segments = std::max<size_t>(1, fault_switches.size());
    Nanos from = f.start_ns;  // this failover's events come after this instant (at it for the first)
    for (size_t seg = 0; seg < segments; ++seg) {
      const Switch* sw = seg < fault_switches.size() ? fault_switches[seg] : nullptr;
      // Its interval: the steps up to the switch in (from, switch]; what
      // follows a switch (the VIP move, the first ok write) until the next
      // switch or fault. With a switch, Sentinel's steps are those about the
      // master it replaced, and the promotion is of the master it names.
      const Nanos until = sw ? sw->at : next;
      const Nanos after_until = seg + 1 < fault_switches.size() ? fault_switches[seg + 1]->at : next;
      const std::string master_addr = sw ? sw->old_addr : "";
      const std::string switch_node = sw ? node_of(sw->new_addr) : "";
      auto in_interval = [&](const Seen& s, Nanos end) {
        return s.at <= end && (seg == 0 ? s.at >= from : s.at > from);
      };
      // Each step is the earliest at or after the step it follows.
      auto earliest = [&](const char* name, std::optional<Nanos> not_before,
                          const std::function<bool(const Seen&)>& also) -> std::optional<Nanos> {
        for (size_t j = k; j < seen_.size() && seen_[j].at <= until; ++j) {
          const Seen& s = seen_[j];
          if (s.type != "sentinel-event" || s.name != name || !in_interval(s, until)) continue;
          if (not_before && s.at < *not_before) continue;
          if (!master_addr.empty() && MasterAddressIn(s.detail) != master_addr) continue;
          if (also && !also(s)) continue;
          return s.at;
        }
        return std::nullopt;
      };
      auto latest = [](std::initializer_list<std::optional<Nanos>> steps) {
        std::optional<Nanos> out;
        for (const auto& t : steps)
          if (t && (!out || *t > *out)) out = t;
        return out;
      };
      const auto sdown = earliest("+sdown", std::nullopt,
                                  [](const Seen& s) { return s.detail.rfind("master", 0) == 0; });
      const auto odown = earliest("+odown", sdown, nullptr);
      const auto elected = earliest("+elected-leader", latest({sdown, odown}), nullptr);
      // The promotion: the replica's own "MASTER MODE enabled", of the node the
      // switch names (else of any node but the old master): the last before
      // the switch (a retried failover may have promoted another first).
      std::optional<Nanos> became;
      std::string became_node;
      const auto before_became = latest({sdown, odown, elected});
      for (size_t j = k; j < seen_.size() && seen_[j].at <= until; ++j) {
        const Seen& s = seen_[j];
        if (s.type != "became-master" || !in_interval(s, until)) continue;
        if (before_became && s.at < *before_became) continue;
        if (switch_node.empty() ? s.node == old_master : s.node != switch_node) continue;
        became = s.at;
        became_node = s.node;
        if (!sw) break;  // no switch names the node: the first promotion
      }
      const std::string promoted_addr = sw ? sw->new_addr : "";
      const auto promoted =
          earliest("+promoted-slave", latest({before_became, became}), [&](const Seen& s) {
            return promoted_addr.empty() || s.detail.rfind("slave ", 0) != 0 || InstanceAddressIn(s.detail) == promoted_addr;
          });
      std::optional<Nanos> switched;
      if (sw) switched = sw->at;
      if (!sdown && !odown && !switched) break;

      std::string new_master = !became_node.empty() ? became_node : switch_node;
      if (new_master.empty())  // the first other node to become master in the interval
        for (const RoleInterval& r : ctx.role_intervals) {
          if (r.start_ns >= after_until) break;  // by start
          if (r.role == "master" && r.node != old_master && (seg == 0 ? r.start_ns >= from : r.start_ns > from)) {
            new_master = r.node;
            break;
          }
        }
      // The VIP move: the VIP appearing on the new master (else on any node
      // but the old master), at or after the promotion. The hook on a starved
      // host can move it after the next switch: a move to this failover's new
      // master is its own until a later failover promotes the same node.
      Nanos vip_until = after_until;
      if (!new_master.empty()) {
        vip_until = next;
        for (size_t later = seg + 1; later < fault_switches.size(); ++later)
          if (node_of(fault_switches[later]->new_addr) == new_master) {
            vip_until = fault_switches[later]->at;
            break;
          }
      }
      std::optional<Nanos> vip_moved;
      for (size_t j = k; j < seen_.size() && seen_[j].at < vip_until; ++j) {
        const Seen& s = seen_[j];
        if (s.type != "vip" || !in_interval(s, vip_until)) continue;
        if (became && s.at < *became) continue;
        bool moved = false;
        for (const auto& n : arrived[j])
          if (new_master.empty() ? n != old_master : n == new_master) moved = true;
        if (moved) {
          vip_moved = s.at;
          break;
        }
      }
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
      if (!sw) break;
      from = sw->at;
      if (!new_master.empty()) old_master = new_master;
    }
  }
  results["failovers"] = std::move(list);
}

}  // namespace sc
