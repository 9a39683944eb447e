// Packet filtering inside a node's network namespace, through libiptc (the
// legacy x_tables interface; rules show in `iptables-legacy -S` there).
//
// Every rule the harness makes lives in ONE chain per run and namespace,
// jumped to from INPUT and OUTPUT. Healing flushes that chain only; removing
// it takes out the two jumps and the chain. Rules the harness did not add are
// never touched, and the host's own namespace is refused outright.
#pragma once

#include <string>
#include <vector>

namespace sc::topology {

// One DROP rule. Empty fields match anything. A rule with `in_iface` only
// matches incoming packets, one with `out_iface` only outgoing ones.
struct DropRule {
  std::string src;        // dotted IPv4 address (/32)
  std::string dst;
  std::string in_iface;
  std::string out_iface;
  int percent = 100;      // < 100: drop only that share of packets (statistic match)
};

// REQUIRES: netns names a namespace under /var/run/netns (never "").
// Appends DROP rules to the chain, creating it and its jumps from INPUT and
// OUTPUT (position 0) if missing, in one commit.
void AddDropRules(const std::string& netns, const std::string& chain, const std::vector<DropRule>& rules);
// Removes the jumps, the rules and the chain. A missing namespace or chain is not an error.
void RemoveChain(const std::string& netns, const std::string& chain);

}  // namespace sc::topology
