// A Backend stands a topology up, knows every host, process and address of it,
// and gives faults the primitives they need. It knows nothing of scenarios,
// load or verdicts. The netns backend (netns_backend.h) is the one for a
// single machine; an ssh backend drives real hosts with the same interface.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "topology/firewall.h"
#include "topology/layout.h"
#include "topology/options.h"

namespace sc::topology {

// The machine cannot run the topology (not root, a program missing, subnet
// clash): exit code 3, the message says what to do.
struct EnvironmentError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Service { kRedis, kSentinel };

// A change made ready ahead (tables read, rules built in memory) that Commit
// brings into force on every host it names, as fast as the backend can.
// Until Commit nothing of it holds; destroying it uncommitted changes nothing.
class PreparedChange {
 public:
  virtual ~PreparedChange() = default;
  // Returns once the change holds on every host. REQUIRES: called once.
  // Throws like the unprepared call.
  virtual void Commit() = 0;
};
const char* ToString(Service s);

class Backend {
 public:
  virtual ~Backend() = default;

  // Creates every host and process and returns once the service has converged
  // (see WaitConverged). Throws EnvironmentError or std::runtime_error; on a
  // throw, whatever was made is still recorded in the state for Down().
  virtual void Up() = 0;
  // Removes exactly what Up and the faults made. Safe to call twice.
  virtual void Down() = 0;

  virtual const Layout& layout() const = 0;
  virtual const Options& options() const = 0;
  // Milliseconds the last Up() took, until converged.
  virtual double up_ms() const = 0;

  // Pid of the service on the node, 0 if it does not run.
  virtual pid_t Pid(const std::string& node, Service s) const = 0;
  // Sends a signal to the service's current process. Returns false if none ran.
  virtual bool Signal(const std::string& node, Service s, int sig) = 0;
  // Starts the service again with its config and on-disk state (no-op if it runs).
  virtual void Start(const std::string& node, Service s) = 0;
  // Whether a supervisor restarts crashed services by itself.
  virtual bool Supervised() const = 0;

  // Node power: freeze every process of the node / thaw them / kill them all
  // (it stays "off") / boot its services again from their on-disk state.
  virtual void Freeze(const std::string& node) = 0;
  virtual void Thaw(const std::string& node) = 0;
  virtual void PowerOff(const std::string& node) = 0;
  virtual void Boot(const std::string& node) = 0;

  // Caps every process of the node (those running now and those started
  // later) to `cpus` CPUs' worth of time (0.2 = 20 % of one core) in every
  // period of `period_us` (the longer the period, the longer the stalls once
  // the share is spent); `cpus` <= 0 lifts the cap. Throws EnvironmentError
  // when this host cannot (see CpuLimitProblem). The default: backends that
  // cannot limit CPU. REQUIRES: 1000 <= period_us <= 1000000.
  virtual void SetCpuLimit(const std::string& node, double cpus, int period_us = 100000) {
    (void)node;
    (void)cpus;
    (void)period_us;
    throw EnvironmentError(CpuLimitProblem());
  }
  // Why SetCpuLimit would fail here ("" = it works), known before Up():
  // what to mount or enable, in words a person can act on.
  virtual std::string CpuLimitProblem() const { return "this backend cannot limit a server's CPU"; }

  // The host's data-plane link: down = no packet in or out (not even ARP).
  virtual void SetLinkUp(const std::string& host, bool up) = 0;
  // SetLinkUp in two steps: readied now, in force at Commit (on namespaces:
  // a socket of the switch opened now, one ioctl at Commit). The default
  // does it all at Commit.
  virtual std::unique_ptr<PreparedChange> PrepareSetLinkUp(const std::string& host, bool up);

  // The host's data-plane packet filter. Rules live in a chain of the run's
  // own, one per `tag` (a fault), so that removing one fault's rules never
  // touches another's, nor any rule the harness did not add.
  virtual void AddDropRules(const std::string& host, const std::string& tag, const std::vector<DropRule>& rules) = 0;
  virtual void RemoveDropRules(const std::string& host, const std::string& tag) = 0;
  // The same on several hosts at once: returns once every host's rules hold
  // (or are gone). A backend whose hosts are reached over a network applies
  // them in parallel; the default is one host after the other. Throws after
  // every host was tried, naming those that failed.
  virtual void AddDropRulesOnHosts(const std::string& tag,
                                   const std::map<std::string, std::vector<DropRule>>& rules) {
    for (auto& [host, r] : rules) AddDropRules(host, tag, r);
  }
  virtual void RemoveDropRulesOnHosts(const std::string& tag, const std::set<std::string>& hosts) {
    for (auto& host : hosts) RemoveDropRules(host, tag);
  }
  // Optional, for speed: records `tag`'s chain on `host` in the run's state
  // ahead of time, so that a later AddDropRules has no bookkeeping left to
  // do before the rules hold. ReleaseDropRules forgets a reservation that was
  // never used, or whose rules RemoveDropRules removed: a caller that
  // reserved calls it for every host once all are healed. A backend may
  // ignore both.
  virtual void ReserveDropRules(const std::string& host, const std::string& tag) { (void)host, (void)tag; }
  virtual void ReleaseDropRules(const std::string& host, const std::string& tag) { (void)host, (void)tag; }
  // AddDropRulesOnHosts / RemoveDropRulesOnHosts in two steps: the work is
  // done now, the change comes into force at Commit (on namespaces: one table
  // replace per host). The default does everything at Commit.
  virtual std::unique_ptr<PreparedChange> PrepareAddDropRulesOnHosts(
      const std::string& tag, const std::map<std::string, std::vector<DropRule>>& rules);
  virtual std::unique_ptr<PreparedChange> PrepareRemoveDropRulesOnHosts(const std::string& tag,
                                                                        const std::set<std::string>& hosts);

  // Called first on a thread that should talk over `host`'s network (the
  // load generator's client threads use "client").
  virtual void EnterNetwork(const std::string& host) const = 0;

  // Which node holds the VIP now ("" if none); reads every host's addresses.
  virtual std::string VipHolder() const = 0;

  // A local file where every VIP move is logged as it happens, stamped by
  // whoever moved it (observer/log_tail.h, VipHookLine), or "" if there is
  // none readable from here. Default: none.
  virtual std::string VipHookLog() const { return ""; }
  // Local files of a node's redis-server and Sentinel logs, "" if not local.
  virtual std::string RedisLog(const std::string& node) const { (void)node; return ""; }
  virtual std::string SentinelLog(const std::string& node) const { (void)node; return ""; }
};

}  // namespace sc::topology
