// Where everything of one topology lives: names, addresses, namespaces,
// directories, sockets. Computed from the options and the run id alone (pure),
// so that tests and `cleanup` can reason about it without a running system.
#pragma once

#include <string>
#include <vector>

#include "topology/options.h"

namespace sc::topology {

struct Node {
  std::string name;        // "n1" ... ; n1 starts as master
  int index = 0;           // 1-based
  std::string address;     // data-plane address, e.g. 10.213.7.11
  bool redis = false;      // runs redis-server
  bool sentinel = false;   // runs redis-sentinel
  std::string netns;       // network namespace name
  std::string dir;         // configs, data, logs (in the run directory)
  std::string sock_dir;    // control-plane sockets (short path under /run)
  std::string cgroup;      // name of the cgroup holding every process of the node (cgroup.h), "" = none

  std::string redis_socket() const { return sock_dir + "/redis.sock"; }
  std::string sentinel_socket() const { return sock_dir + "/sentinel.sock"; }
  std::string supervisor_socket() const { return sock_dir + "/supervisor.sock"; }
  std::string redis_conf() const { return dir + "/redis.conf"; }
  std::string sentinel_conf() const { return dir + "/sentinel.conf"; }
  std::string supervisor_conf() const { return dir + "/supervisord.conf"; }
  std::string redis_pidfile() const { return sock_dir + "/redis.pid"; }
  std::string sentinel_pidfile() const { return sock_dir + "/sentinel.pid"; }
};

struct Layout {
  std::string run_id;
  std::string run_dir;       // where node dirs, logs and the VIP event log go
  std::string state_dir;     // /run/sentinel-chaos/<run_id>
  std::string prefix;        // "10.213.7" (the /24)
  std::string switch_netns;  // holds the bridge; never attached to the host
  std::string bridge;        // bridge name inside the switch namespace
  std::string iface = "eth0";  // every host's data-plane interface
  std::string chain;         // the run's iptables chain in every namespace
  std::string vip;           // "" when vip=off
  Node client;               // the client host (load generator), no redis
  std::vector<Node> nodes;   // the servers
  std::string vip_log() const { return run_dir + "/vip-events.log"; }

  const Node* Find(const std::string& name) const;  // nodes and "client"
};

// REQUIRES: options valid; prefix like "10.213.7"; run_id of [a-z0-9]{1,8}.
Layout MakeLayout(const Options& o, const std::string& run_id, const std::string& prefix,
                  const std::string& run_dir);

// The Sentinel config, redis config and supervisord config of one node.
std::string RedisConfig(const Options& o, const Layout& l, const Node& n);
std::string SentinelConfig(const Options& o, const Layout& l, const Node& n, const std::string& vip_script);
std::string SupervisorConfig(const Options& o, const Layout& l, const Node& n);
// Environment the VIP hook gets through Sentinel (it runs inside the node's namespace).
std::vector<std::pair<std::string, std::string>> VipHookEnv(const Layout& l, const Node& n);

// Subnets: "10.213.7.0/24" -> "10.213.7". Empty if not a /24.
std::string PrefixOf(const std::string& subnet);
// True if the /24 overlaps any address or (non-default) route of the host.
// `why` names the clashing address or route.
bool ClashesWithHost(const std::string& prefix, std::string* why);
// The first 10.213.X.0/24 that clashes with nothing on the host and is not
// used by another run; "" if none is free.
std::string PickFreePrefix(const std::vector<std::string>& used);

}  // namespace sc::topology
