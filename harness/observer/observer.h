// Watches the topology over the control plane (unix sockets, which faults
// never cut) and appends what it sees to the journal, on the run clock:
//
//   "role"            per redis-server, only on change: role "master" |
//                     "replica" (detail = node name of its master, or
//                     "ip:port" if unknown) | "down" (connect refused, socket
//                     gone) | "frozen" (no answer in time and the runner marked
//                     the node frozen) | "unknown" (no answer in time, or an
//                     error reply; detail says why).
//   "sentinel-view"   per Sentinel, only on change: master = node name that
//                     `SENTINEL get-master-addr-by-name` returns ("ip:port" if
//                     it maps to no node; "" if the Sentinel knows no master
//                     or does not answer, detail then says which).
//   "sentinel-event"  every message a Sentinel publishes (PSUBSCRIBE *):
//                     name = channel (+sdown, +odown, +switch-master ...),
//                     detail = message. `at` is the instant Sentinel logged it
//                     (its own log line, ms stamp + 0.5 ms: error <= 0.5 ms),
//                     source "sentinel-log", value = how much later the message
//                     arrived (ns); without a readable log line, `at` is the
//                     arrival and source "pubsub".
//   "became-master"   a redis-server executed REPLICAOF NO ONE: its own log line
//                     "MASTER MODE enabled" (at = its stamp + 0.5 ms, source
//                     "redis-log", detail = the line's message). Read every poll.
//
// Every poll uses a connect and a command timeout, so a frozen process never
// blocks the observer; each watched endpoint has its own thread so a frozen
// one does not delay the others. Lost connections are re-opened. Observer
// threads block SIGPIPE for themselves; nothing process-wide is changed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness/history/history.h"

namespace sc::observer {

struct NodeInfo {
  std::string name;                  // "n1"
  std::string redis_unix_socket;     // empty: no redis-server watched on this node
  std::string sentinel_unix_socket;  // empty: no Sentinel on this node
  // Data-plane address redis and Sentinel report for this node's redis-server:
  // "10.213.4.11" (any port) or "127.0.0.1:7001" (that port only).
  std::string address;
  // Local log files of the node's redis-server and Sentinel ("" = none or not
  // readable from here, as on real hosts): the exact instants come from them.
  std::string redis_log;
  std::string sentinel_log;
};

struct ObserverSettings {
  std::chrono::milliseconds poll_interval{50};
  // Connect and command timeout of every poll; also bounds how long Stop() waits.
  std::chrono::milliseconds timeout{100};
};

class Observer {
 public:
  // REQUIRES: clock and journal outlive this.
  Observer(std::vector<NodeInfo> nodes, std::string master_name, std::string password,
           const RunClock& clock, JournalWriter& journal, ObserverSettings settings = {});
  ~Observer();  // Stop().
  Observer(const Observer&) = delete;
  Observer& operator=(const Observer&) = delete;

  // Starts one thread per redis-server and two per Sentinel. Call once.
  void Start();
  // Stops and joins every thread; returns within about `timeout` + 50 ms.
  // Idempotent.
  void Stop();

  // A runner's note on a node: "frozen" while it holds the node's processes
  // stopped (timeouts are then recorded as "frozen"), "" to clear.
  void SetNodeNote(const std::string& node, const std::string& note);

  // The node name for an address redis or Sentinel reported, or "ip:port".
  std::string NodeFor(const std::string& ip, int port) const;

  // Each redis-server's role as of its latest poll (node -> "master",
  // "replica", "down", "frozen", "unknown"), without asking anybody: at most
  // one poll interval old. A poll that got no answer in time (and the node
  // is not marked frozen) keeps the role the node last answered: a server
  // slow to answer on a busy machine is still what it was. Nodes not polled
  // yet are absent.
  std::map<std::string, std::string> Roles() const;
  // Blocks until every watched redis-server has been polled once (Roles()
  // holds each), or `timeout` has passed; returns whether they all were.
  // The runner calls it before the load starts, so that a fault at 0 s can
  // resolve `master` like any later one.
  bool WaitUntilPolled(std::chrono::milliseconds timeout) const;

 private:
  void WatchRole(const NodeInfo& node);
  void WatchSentinelView(const NodeInfo& node);
  void WatchSentinelEvents(const NodeInfo& node);
  // Sleeps `d` or until Stop(); false once stopping.
  bool Wait(std::chrono::milliseconds d);
  std::string Note(const std::string& node) const;
  void Record(Event ev);

  const std::vector<NodeInfo> nodes_;
  const std::string master_name_;
  const std::string password_;
  const RunClock& clock_;
  JournalWriter& journal_;
  const ObserverSettings settings_;

  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable stop_cv_;
  mutable std::mutex notes_mu_;
  std::map<std::string, std::string> notes_;
  std::map<std::string, std::string> roles_;  // guarded by notes_mu_
  std::vector<std::thread> threads_;
};

}  // namespace sc::observer
