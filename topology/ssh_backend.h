// The real-hosts backend: servers that already exist (VMs, machines), driven
// over SSH. The same scenario files run unchanged.
//
// Each server needs: sshd reachable over a management address, redis-server,
// redis-sentinel, iproute2, iptables and arping installed, and a data-plane
// interface with the address the inventory gives. The harness machine is the
// client host (the load comes from here).
//
// Control plane: one SSH master connection per server (started and ended by
// pid) multiplexes every command and forwards the server's redis and Sentinel
// unix sockets to local ones, so observation works as with namespaces and is
// never cut by a data-plane fault. Partitions: a chain of the run's own per
// fault in each server's iptables (jumped to from INPUT and OUTPUT), never a
// flush of anything else. Node down: every service SIGSTOPped and the data
// interface set down (the management link stays, as a BMC would).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "topology/backend.h"
#include "topology/state.h"

namespace sc::topology {

struct SshHost {
  std::string name;        // "n1"...; n1 starts as master
  std::string ssh;         // "root@192.168.121.11"
  int ssh_port = 22;
  std::string address;     // data-plane address
  std::string iface = "eth1";
};

// An inventory file:
//   {"hosts": [{"name": "n1", "ssh": "root@10.0.0.11", "address": "192.168.56.11", "iface": "eth1"}, ...],
//    "vip": "192.168.56.100", "prefix_len": 24, "identity": "~/.ssh/id_ed25519",
//    "remote_dir": "/var/tmp/sentinel-chaos", "client_address": "192.168.56.1", "client_netns": ""}
// `ssh` must reach the host on a management network: `up` refuses an
// inventory whose SSH address is on the data interface `iface` (the one node
// down sets down and partitions cut), saying what to change.
// `client_netns` is for tests only: run SSH and the load from that namespace.
struct SshInventory {
  std::vector<SshHost> hosts;
  std::string vip;
  int prefix_len = 24;
  std::string identity;
  std::string remote_dir = "/var/tmp/sentinel-chaos";
  std::string client_netns;
  // The harness machine's address on the data network (what the hosts see
  // the load come from); "" = the source address of its route to n1.
  std::string client_address;
  nlohmann::json ToJson() const;
};
// Errors name the file and what is wrong; appended to `errors`.
SshInventory LoadInventory(const std::string& path, std::vector<std::string>& errors);
SshInventory InventoryFromJson(const nlohmann::json& j, const std::string& where, std::vector<std::string>& errors);

// `cleanup --inventory`: on every host of the inventory, removes what runs
// whose local state is gone left there. A run is found by either of its
// traces on the host: its directory in remote_dir or a chain SC-<run>-* (a
// chain can outlive the directory: hosts sharing remote_dir). For each:
// its remote shells are ended first and waited for (so nothing the harness
// sent lands after the sweep), then its services (by pidfile, pid AND start
// time: never a stranger), its chains, its directory; then, if no run is
// left on the host, the inventory's VIP on `iface` and the data interface
// set up again. Runs named in `keep` (live or kept by `up`) are left alone,
// and so is the VIP while any run remains. Every run not in `keep` is swept:
// runs of another harness machine on the same hosts too.
// Returns one line per host it could not reach or clean, and appends what it
// removed to `removed`.
std::vector<std::string> SweepHosts(const SshInventory& inv, const std::vector<std::string>& keep,
                                    std::vector<std::string>& removed);

class SshBackend : public Backend {
 public:
  // REQUIRES: the inventory has at least as many hosts as the topology needs.
  SshBackend(Options options, SshInventory inventory, std::string run_id, std::string run_dir, RunState& state);
  ~SshBackend() override;

  void Up() override;
  void Down() override;
  const Layout& layout() const override { return layout_; }
  const Options& options() const override { return options_; }
  double up_ms() const override { return up_ms_; }

  pid_t Pid(const std::string& node, Service s) const override;
  bool Signal(const std::string& node, Service s, int sig) override;
  void Start(const std::string& node, Service s) override;
  bool Supervised() const override { return false; }

  void Freeze(const std::string& node) override;
  void Thaw(const std::string& node) override;
  void PowerOff(const std::string& node) override;
  void Boot(const std::string& node) override;
  void SetLinkUp(const std::string& host, bool up) override;
  void AddDropRules(const std::string& host, const std::string& tag, const std::vector<DropRule>& rules) override;
  void RemoveDropRules(const std::string& host, const std::string& tag) override;
  // Every host at once (one thread per host, each on its own channel), each
  // host's rules in one iptables-restore: the fault holds once the slowest
  // host has answered.
  void AddDropRulesOnHosts(const std::string& tag, const std::map<std::string, std::vector<DropRule>>& rules) override;
  void RemoveDropRulesOnHosts(const std::string& tag, const std::set<std::string>& hosts) override;
  // Ahead of a fault: its chain and jumps, empty, on the host (one round trip
  // before the fault's instant rather than in it).
  void ReserveDropRules(const std::string& host, const std::string& tag) override;
  void ReleaseDropRules(const std::string& host, const std::string& tag) override;
  void EnterNetwork(const std::string& host) const override;
  std::string VipHolder() const override;

  // Runs a shell command on the host: one round trip on a persistent remote
  // shell over the host's master connection (channel 0 for actions, 1 for
  // polling, so that a poll never delays a fault), or, when that channel
  // cannot be had, one ssh process. At most `timeout_ms`.
  struct Result {
    int exit_code = -1;
    std::string output;  // stdout and stderr; says why when it did not run
  };
  Result Remote(const std::string& host, const std::string& command, int channel = 0,
                int timeout_ms = 30000) const;

 private:
  const SshHost& HostNamed(const std::string& name) const;
  std::vector<std::string> SshArgs(const SshHost& h, bool via_master) const;
  std::string RemoteDir(const Node& n) const;
  Node RemoteView(const Node& n) const;  // the node with its paths as they are on the host
  void StartMaster(const Node& n);
  void StartService(const Node& n, Service s);
  std::string PidCommand(const Node& n, Service s) const;

  void CheckNetworks(const Node& n);   // the management path is not the data interface
  void FindClientAddress();
  // The command that adds `rules` on `host` ("" for the client: nothing is made there).
  std::string DropRulesCommand(const std::string& host, const std::string& tag, const std::vector<DropRule>& rules);
  // Runs commands[i].second on host commands[i].first, all at once.
  void OnEachHost(const std::vector<std::pair<std::string, std::string>>& commands, std::vector<Result>& results) const;
  class Channel;
  Channel* ChannelTo(const std::string& host, int channel) const;
  void CloseChannels();

  Options options_;
  SshInventory inv_;
  mutable std::mutex channels_mu_;
  mutable std::map<std::string, std::unique_ptr<Channel>> channels_;
  std::mutex reserved_mu_;
  std::set<std::pair<std::string, std::string>> reserved_;  // (host, tag): chain made ahead, not yet used
  Layout layout_;
  RunState& state_;
  double up_ms_ = 0;
};

}  // namespace sc::topology
