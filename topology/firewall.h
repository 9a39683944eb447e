// Packet filtering inside a node's network namespace, through libiptc (the
// legacy x_tables interface; rules show in `iptables-legacy -S` there).
//
// Every rule the harness makes lives in ONE chain per run and namespace,
// jumped to from INPUT and OUTPUT. Healing flushes that chain only; removing
// it takes out the two jumps and the chain. Rules the harness did not add are
// never touched, and the host's own namespace is refused outright.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct xtc_handle;

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

// A change of one namespace's filter table made now and written later: the
// table is read and changed in memory when it is made, and Commit writes it
// in one table replace (a few tens of microseconds), so that the change comes
// into force at the instant Commit is called and not after the reading and
// building. Until Commit the namespace's packets see nothing of it;
// destroying it uncommitted changes nothing. Commit may be called from any
// thread (the table belongs to the namespace the handle was read in). If
// the table changed in between (this process wrote to the namespace since,
// or the kernel refuses the stale table with EAGAIN), Commit makes the same
// change again on a fresh table: slower, never wrong.
class PreparedFilterChange {
 public:
  // Like AddDropRules, made ready.
  static PreparedFilterChange AddDropRules(const std::string& netns, const std::string& chain,
                                           const std::vector<DropRule>& rules);
  // Like RemoveChain, made ready (a missing namespace or chain: Commit does nothing).
  static PreparedFilterChange RemoveChain(const std::string& netns, const std::string& chain);

  PreparedFilterChange(PreparedFilterChange&& o) noexcept;
  PreparedFilterChange& operator=(PreparedFilterChange&& o) noexcept;
  PreparedFilterChange(const PreparedFilterChange&) = delete;
  PreparedFilterChange& operator=(const PreparedFilterChange&) = delete;
  ~PreparedFilterChange();

  // Writes the change. REQUIRES: not committed yet. Throws like AddDropRules.
  void Commit();
  // Whether the last Commit had to make the change again (for tests).
  bool redone() const { return redone_; }

 private:
  PreparedFilterChange() = default;
  std::string netns_;
  std::string chain_;
  std::vector<DropRule> rules_;
  bool remove_ = false;
  bool nothing_ = false;       // RemoveChain of a chain that is not there
  xtc_handle* handle_ = nullptr;
  uint64_t generation_ = 0;    // the namespace's write count when the table was read
  bool redone_ = false;
};

}  // namespace sc::topology
