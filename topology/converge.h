// When is the service "up" (and, after faults, "settled")? When exactly one
// redis-server is master, every other one replicates it with its link up, the
// master sees every replica online, every Sentinel names that master and knows
// every replica and every other Sentinel, CKQUORUM is OK where a quorum can
// exist, and (vip=on) the master's host holds the VIP and PING through the VIP
// answers from the client host.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "topology/backend.h"

namespace sc::topology {

// "" when converged; else the first thing still missing, as a sentence
// ("n2: replication link down", "Sentinel on n3 knows 0 of 2 replicas").
std::string WhyNotConverged(const Backend& b);

// The replication part of WhyNotConverged: "" when exactly one redis-server
// is master, every other one replicates it with its link up, and the master
// sees every replica online (Sentinels and the VIP are not looked at).
std::string WhyReplicationNotInSync(const Backend& b);
// The same, setting *master to the master when it returns "".
std::string WhyReplicationNotInSync(const Backend& b, const Node** master);

// Every node (but `skip`) whose redis-server answers ROLE with master within
// 100 ms: several in a split brain, none while no server answers.
std::vector<std::string> MastersNow(const Backend& b, const std::string& skip = "");
// For each Sentinel that answers within 100 ms, the node it names as master
// ("" for an address that is no node of the layout), keyed by its node.
std::map<std::string, std::string> SentinelsMasterNow(const Backend& b);

// Polls WhyNotConverged until it returns "" or `timeout_ms` passes. Returns
// "" or the last reason.
std::string WaitConverged(const Backend& b, int timeout_ms);

// Shortens Sentinel's discovery periods (INFO every 1 s instead of 10 s,
// hellos every 500 ms) so that Sentinels learn replicas and each other in
// about 1.5 s; failure detection and failover keep their configured timings.
// Waits up to 10 s for each Sentinel to answer; throws naming the one that does not.
void TuneSentinelDiscovery(const Backend& b);

// The node whose redis-server reports role master ("" if none or several).
std::string CurrentMaster(const Backend& b);

}  // namespace sc::topology
