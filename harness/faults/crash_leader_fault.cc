// crash leader: the Sentinel that leads a failover dies in the middle of it.
// Every Sentinel is told `SENTINEL SIMULATE-FAILURE crash-after-election` (or
// crash-after-promotion), then the master's redis-server is SIGKILLed; the
// Sentinel elected to fail it over exits as soon as it has won the vote (or
// has promoted the replica). A watcher sees which Sentinel exited, notes it in
// the history, and clears the flag on the others so that the next leader
// (after about 2 x failover-timeout) can finish. `restart NAME` / `for T`
// clears every flag and starts the crashed Sentinel(s) and the killed
// redis-server again. Redis's own tests do the same (tests/sentinel/tests/
// 05-manual.tcl, the crash-after-election / crash-after-promotion cases).
#include <signal.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "harness/faults/fault.h"
#include "harness/faults/fault_kind.h"
#include "topology/control.h"
#include "topology/converge.h"
#include "topology/process.h"

namespace sc::faults {
namespace {

constexpr int kAskTimeoutMs = 500;

class CrashLeaderFault : public Fault {
 public:
  using Fault::Fault;
  ~CrashLeaderFault() override { StopWatching(); }

  // Sets the flag on every Sentinel and reads the master's pid: a flag alone
  // does nothing until a failover starts, and none is due before the kill.
  void Arm(topology::Backend& b, const Roles& roles) override {
    Disarm(b);
    Fault::Arm(b, roles);
    const std::string flag = "crash-after-" + spec_.Option("after");
    target_ = Resolve(b, "master");
    for (const auto& n : b.layout().nodes) {
      if (!n.sentinel || b.Pid(n.name, topology::Service::kSentinel) == 0) continue;
      auto r = topology::Ask(n.sentinel_socket(), {"SENTINEL", "SIMULATE-FAILURE", flag}, "", kAskTimeoutMs);
      if (!r.ok) {
        armed_ = true;
        Disarm(b);
        throw FaultError("the Sentinel on " + n.name + " refused SENTINEL SIMULATE-FAILURE " + flag + ": " + r.text);
      }
      sentinels_.push_back({n.name, n.sentinel_socket(), false});
    }
    armed_ = true;
    if (sentinels_.size() < 2) {
      Disarm(b);
      throw FaultError("fewer than two Sentinels run: none could finish the failover");
    }
    pid_ = b.Pid(target_, topology::Service::kRedis);
    if (pid_ == 0) {
      Disarm(b);
      throw FaultError("no redis-server runs on " + target_ + " to kill");
    }
  }

  // Clears the flags Arm set.
  void Disarm(topology::Backend& b) override {
    if (armed_) ClearFlags(b, "");
    armed_ = false;
    sentinels_.clear();
    Fault::Disarm(b);
  }

  void Start(topology::Backend& b) override {
    if (!armed_) Arm(b, KnownRoles(b));
    const std::string flag = "crash-after-" + spec_.Option("after");
    const pid_t pid = pid_;
    if (!b.Signal(target_, topology::Service::kRedis, SIGKILL)) {  // the backend checks the process again
      Disarm(b);
      throw FaultError("no redis-server runs on " + target_ + " to kill");
    }
    MarkEffect();  // the master is killed: the failover the leader will not finish starts here
    armed_ = false;  // started: the flags are the fault's now (Stop clears them)
    std::string names;
    for (const auto& s : sentinels_) names += (names.empty() ? "" : ", ") + s.node;
    detail_ = "SIMULATE-FAILURE " + flag + " on the Sentinels of " + names + "; redis-server pid " +
              std::to_string(pid) + " on " + target_ + " SIGKILL";
    watcher_ = std::thread([this, &b] { Watch(b); });
  }

  void Stop(topology::Backend& b, const StopOptions&) override {
    StopWatching();
    ClearFlags(b, "");
    std::string restarted;
    for (const auto& s : sentinels_) {
      if (!s.crashed) continue;
      b.Start(s.node, topology::Service::kSentinel);
      restarted += "the Sentinel on " + s.node + ", ";
    }
    topology::WaitFor([&] { return b.Pid(target_, topology::Service::kRedis) == 0 || b.Supervised(); }, 5000, 2);
    b.Start(target_, topology::Service::kRedis);
    MarkEffect();
    restarted += "redis-server on " + target_;
    detail_ = (crashed_.empty() ? "no Sentinel crashed" : "crashed: the Sentinel on " + crashed_) +
              (b.Supervised() ? "; restarts left to supervisord" : "; started again: " + restarted);
  }

 private:
  struct Watched {
    std::string node;
    std::string socket;
    bool crashed;
  };

  // Polls the Sentinels' processes until Stop; the first exit clears the
  // flag on those still running.
  void Watch(topology::Backend& b) {
    const auto t0 = took_effect();  // the kill
    while (!stop_) {
      bool any = false;
      for (auto& s : sentinels_) {
        if (s.crashed || b.Pid(s.node, topology::Service::kSentinel) != 0) continue;
        s.crashed = any = true;
        const double after_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        char when[32];
        snprintf(when, sizeof when, "%.2f", after_s);
        {
          std::lock_guard<std::mutex> lock(mu_);
          crashed_ += (crashed_.empty() ? "" : ", ") + s.node;
        }
        Note(s.node, "the Sentinel on " + s.node + " exited (crash-after-" + spec_.Option("after") + "), " + when +
                         " s after the master was killed");
      }
      if (any) {
        std::string cleared = ClearFlags(b, "");
        if (!cleared.empty()) Note("", "SIMULATE-FAILURE cleared on the Sentinels of " + cleared + " so that one can finish");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  // Clears the flag on every Sentinel still running; returns their names.
  std::string ClearFlags(topology::Backend& b, std::string names) {
    for (const auto& n : b.layout().nodes) {
      if (!n.sentinel) continue;
      bool crashed = false;
      for (const auto& s : sentinels_)
        if (s.node == n.name) crashed = s.crashed;
      if (crashed || b.Pid(n.name, topology::Service::kSentinel) == 0) continue;
      // An old Sentinel that knows no "none" resets its flags before it
      // complains about the word, so an error reply still clears them.
      topology::Ask(n.sentinel_socket(), {"SENTINEL", "SIMULATE-FAILURE", "none"}, "", kAskTimeoutMs);
      names += (names.empty() ? "" : ", ") + n.name;
    }
    return names;
  }

  void StopWatching() {
    stop_ = true;
    if (watcher_.joinable()) watcher_.join();
  }

  std::vector<Watched> sentinels_;
  bool armed_ = false;  // flags set by Arm, Start not done yet
  pid_t pid_ = 0;       // the master's redis-server, found when armed
  std::atomic<bool> stop_{false};
  std::thread watcher_;
  std::mutex mu_;
  std::string crashed_;
};

void Check(const scenario::FaultSpec& f, const TopologyCheck& c) {
  const int sentinels = c.topology().Sentinels();
  if (sentinels < 2)
    c.Report(f.where, c.TopologyName() + " runs " + (sentinels == 0 ? std::string("no Sentinel") : "one Sentinel") +
                          ": 'crash leader' needs another Sentinel to finish the failover");
}

}  // namespace

FaultKind CrashLeaderFaultKind() {
  FaultKind k;
  k.keyword = "crash";
  k.noun = "a leader crash";
  k.usage = "crash leader";
  k.description =
      "every Sentinel set to crash once elected failover leader (SENTINEL SIMULATE-FAILURE crash-after-election) or "
      "once it has promoted the replica (crash-after-promotion), then the master killed: the leader dies "
      "mid-failover, its server is noted in the history, the others are cleared so the next leader (about 2 x "
      "failover-timeout later) finishes; restart starts the crashed Sentinels and the killed redis-server again";
  k.example = "at 5s crash leader after=election as lc";
  k.syntax = [](FaultWords& w, scenario::FaultSpec&) {
    w.TakeOneOf({"leader"}, "expected 'leader' after 'crash', e.g. crash leader after=election", "who");
  };
  FaultOption after = ChoiceOption("after", {"election", "promotion"}, "", "when the elected leader crashes");
  after.missing = "'crash leader' needs after=election or after=promotion (when the elected leader crashes)";
  k.options = {after};
  k.stop = {"restart", {}};
  k.describe = [](const scenario::FaultSpec& f) { return "Sentinel leader crash after " + f.Option("after"); };
  k.check = Check;
  k.make = [](const scenario::FaultSpec& f, const std::string& tag) { return std::make_unique<CrashLeaderFault>(f, tag); };
  return k;
}

}  // namespace sc::faults
