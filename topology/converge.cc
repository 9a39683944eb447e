#include "topology/converge.h"

#include <map>

#include "topology/control.h"
#include "topology/process.h"

namespace sc::topology {
namespace {

std::string Role(const Backend& b, const Node& n, std::string* info_out) {
  Reply r = Ask(n.redis_socket(), {"INFO", "replication"}, b.options().requirepass);
  if (!r.ok) return "";
  if (info_out) *info_out = r.text;
  return InfoField(r.text, "role");
}

}  // namespace

std::string CurrentMaster(const Backend& b) {
  std::string master;
  for (auto& n : b.layout().nodes) {
    if (!n.redis || Role(b, n, nullptr) != "master") continue;
    if (!master.empty()) return "";
    master = n.name;
  }
  return master;
}

std::vector<std::string> MastersNow(const Backend& b, const std::string& skip) {
  std::vector<std::string> masters;
  for (auto& n : b.layout().nodes) {
    if (!n.redis || n.name == skip) continue;
    auto r = Ask(n.redis_socket(), {"ROLE"}, b.options().requirepass, 100);
    if (r.ok && !r.items.empty() && r.items[0] == "master") masters.push_back(n.name);
  }
  return masters;
}

std::map<std::string, std::string> SentinelsMasterNow(const Backend& b) {
  std::map<std::string, std::string> named;
  const Layout& l = b.layout();
  for (auto& n : l.nodes) {
    if (!n.sentinel) continue;
    auto r = Ask(n.sentinel_socket(), {"SENTINEL", "get-master-addr-by-name", b.options().master_name}, "", 100);
    if (!r.ok || r.items.size() != 2) continue;
    named[n.name] = "";
    for (auto& m : l.nodes)
      if (m.address == r.items[0]) named[n.name] = m.name;
  }
  return named;
}

std::string WhyReplicationNotInSync(const Backend& b) {
  const Node* master = nullptr;
  return WhyReplicationNotInSync(b, &master);
}

std::string WhyReplicationNotInSync(const Backend& b, const Node** master_out) {
  const Layout& l = b.layout();
  const Node* master = nullptr;
  int replicas = 0;
  for (auto& n : l.nodes) {
    if (!n.redis) continue;
    std::string info;
    std::string role = Role(b, n, &info);
    if (role.empty()) return n.name + ": redis-server does not answer";
    if (role == "master") {
      if (master) return "two masters: " + master->name + " and " + n.name;
      master = &n;
      continue;
    }
    ++replicas;
    if (InfoField(info, "master_link_status") != "up") return n.name + ": replication link is not up";
  }
  if (!master) return "no redis-server is master";
  for (auto& n : l.nodes) {
    if (!n.redis || &n == master) continue;
    std::string info;
    Role(b, n, &info);
    if (InfoField(info, "master_host") != master->address)
      return n.name + " replicates " + InfoField(info, "master_host") + ", not the master " + master->name;
  }
  std::string minfo;
  Role(b, *master, &minfo);
  if (InfoField(minfo, "connected_slaves") != std::to_string(replicas))
    return "master " + master->name + " sees " + InfoField(minfo, "connected_slaves") + " of " +
           std::to_string(replicas) + " replicas";
  for (int i = 0; i < replicas; ++i)
    if (InfoField(minfo, "slave" + std::to_string(i)).find("state=online") == std::string::npos)
      return "master " + master->name + ": a replica is not online yet";
  *master_out = master;
  return "";
}

std::string WhyNotConverged(const Backend& b) {
  const Layout& l = b.layout();
  const Options& o = b.options();
  const Node* master = nullptr;
  if (std::string why = WhyReplicationNotInSync(b, &master); !why.empty()) return why;
  int replicas = 0;
  for (auto& n : l.nodes) replicas += n.redis && &n != master ? 1 : 0;

  const int sentinels = o.Sentinels();
  for (auto& n : l.nodes) {
    if (!n.sentinel) continue;
    Reply m = Ask(n.sentinel_socket(), {"SENTINEL", "master", o.master_name});
    if (!m.ok) return "Sentinel on " + n.name + " does not answer (" + m.text + ")";
    if (PairField(m.items, "ip") != master->address)
      return "Sentinel on " + n.name + " believes the master is " + PairField(m.items, "ip");
    if (PairField(m.items, "flags") != "master")
      return "Sentinel on " + n.name + " flags the master " + PairField(m.items, "flags");
    if (PairField(m.items, "num-slaves") != std::to_string(replicas))
      return "Sentinel on " + n.name + " knows " + PairField(m.items, "num-slaves") + " of " +
             std::to_string(replicas) + " replicas";
    if (PairField(m.items, "num-other-sentinels") != std::to_string(sentinels - 1))
      return "Sentinel on " + n.name + " knows " + PairField(m.items, "num-other-sentinels") + " of " +
             std::to_string(sentinels - 1) + " other Sentinels";
    Reply slaves = Ask(n.sentinel_socket(), {"SENTINEL", "replicas", o.master_name});
    for (size_t i = 0; i + 1 < slaves.items.size(); i += 2)
      if (slaves.items[i] == "flags" && slaves.items[i + 1] != "slave")
        return "Sentinel on " + n.name + " flags a replica " + slaves.items[i + 1];
    if (o.EffectiveQuorum() <= sentinels) {
      Reply q = Ask(n.sentinel_socket(), {"SENTINEL", "CKQUORUM", o.master_name});
      if (!q.ok) return "Sentinel on " + n.name + ": " + q.text;
    }
  }
  if (o.vip) {
    std::string holder = b.VipHolder();
    if (holder != master->name) return "the VIP is on " + (holder.empty() ? "no host" : holder) + ", not on master " + master->name;
    Reply ping;
    auto ask = [&] { ping = AskTcp(l.vip, o.port, {"PING"}, o.requirepass); };
    // On real hosts the harness machine is the client host: no namespace to enter.
    if (l.client.netns.empty()) ask();
    else RunInNetns(l.client.netns, ask);
    if (!ping.ok) return "PING through the VIP from the client host fails: " + ping.text;
  }
  return "";
}

void TuneSentinelDiscovery(const Backend& b) {
  for (auto& n : b.layout().nodes) {
    if (!n.sentinel) continue;
    bool ok = WaitFor([&] {
      return Ask(n.sentinel_socket(), {"SENTINEL", "DEBUG", "info-period", "1000", "publish-period", "500"}).ok;
    }, 10000, 5);
    if (!ok) throw std::runtime_error("Sentinel on " + n.name + " did not start: see its sentinel.log");
  }
}

std::string WaitConverged(const Backend& b, int timeout_ms) {
  std::string why;
  WaitFor([&] { return (why = WhyNotConverged(b)).empty(); }, timeout_ms, 20);
  return why;
}

}  // namespace sc::topology
