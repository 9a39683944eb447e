// A Fault is one failure of the catalogue and its opposite: Start applies it,
// Stop undoes it. Targets are resolved when the fault is armed, just before
// its instant (the master then, not the master when the plan was written;
// the runner arms it again at the instant if the roles changed meanwhile).
// A new kind of failure is a new implementation of this interface, never a
// branch in the runner.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/scenario/plan.h"
#include "topology/backend.h"

namespace sc::faults {

// The options of the statement that stops a fault (`up NAME mode=resume`:
// {"mode": "resume"}); empty for `for`, `stop` and the heal at the end of a run.
using StopOptions = std::map<std::string, std::string>;

// A fault that cannot be applied now (no master to target, process not
// running). The runner records it in the history and goes on.
struct FaultError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Each redis-server's role as the caller last knew it: node -> "master",
// "replica", "down", ... The runner passes the observer's latest view, so
// resolving `master` or `replica` makes no request and never delays a fault.
using Roles = std::map<std::string, std::string>;

// Asks every redis-server for its role now (one request each): for callers
// that have no observer (tests, benchmarks).
Roles AskRoles(const topology::Backend& b);

class Fault {
 public:
  using Clock = std::chrono::steady_clock;

  // `tag` is unique per fault in a run ("F3"): it names the fault's own
  // packet-filter chain.
  Fault(scenario::FaultSpec spec, std::string tag) : spec_(std::move(spec)), tag_(std::move(tag)) {}
  virtual ~Fault() = default;

  // Called ahead of the fault's instant: bookkeeping that Start would
  // otherwise do before the fault holds (recording resources in the state).
  virtual void Prepare(topology::Backend& b) { (void)b; }
  // Undoes Prepare for a fault that is not started after all.
  virtual void Abandon(topology::Backend& b) { (void)b; }

  // A fault comes into force in two steps, so that it does so at its instant
  // and not after the work that leads up to it. The runner calls Arm a few
  // milliseconds before the instant and Start at it.
  //
  // Arm resolves the target(s) against `roles` and does all the work that
  // does not bring the fault into force (reading pids, building packet-filter
  // tables in memory, setting what a Sentinel does once a failover starts),
  // so that Start has only the step that brings it into force left. Arm
  // never brings the fault into force. Throws FaultError (nobody to target
  // now); Start is not called then. The default keeps `roles` for Start.
  virtual void Arm(topology::Backend& b, const Roles& roles) {
    (void)b;
    roles_ = roles;
  }
  // Undoes Arm: Start will not follow (the run was interrupted), or the
  // roles changed before the instant and the fault is armed again.
  virtual void Disarm(topology::Backend& b) {
    (void)b;
    roles_.reset();
  }
  // Applies the fault: what Arm readied, or, when it was not armed, resolves
  // the target(s) (Resolve(), against the roles asked for now) and applies
  // it all. Calls MarkEffect() right after the fault came into force. Throws
  // FaultError.
  virtual void Start(topology::Backend& b) = 0;
  // Arm against `roles` (no request), then Start.
  void Start(topology::Backend& b, const Roles& roles) {
    Arm(b, roles);
    Start(b);
  }
  // Readies Stop (called a few milliseconds before the stop's instant with
  // the same options), so that Stop has only the step that takes the fault
  // out of force left. Never takes it out of force. REQUIRES: Start
  // succeeded. Default: nothing to ready.
  virtual void ArmStop(topology::Backend& b, const StopOptions& options) {
    (void)b;
    (void)options;
  }
  // Undoes it, armed or not. REQUIRES: Start succeeded. Calls MarkEffect()
  // right after the fault went out of force.
  virtual void Stop(topology::Backend& b, const StopOptions& options) = 0;

  // The instant the last Start or Stop took effect: right after the signal
  // was delivered, the last rule committed or removed, the link set down or
  // up, the process started again. What Start/Stop do after it (freezing a
  // node that is already cut off, bookkeeping) does not count. A default
  // time_point when the kind does not mark it.
  Clock::time_point took_effect() const { return took_effect_; }

  // What observers should know of the target host while the fault holds
  // ("frozen" for a node down), "" otherwise.
  virtual std::string HostNote() const { return ""; }

  // Where a fault reports what happens after Start while it holds (a process
  // it watched exited, what it did about it). The runner sets it before
  // Start and journals each note with the fault's name at the instant it is
  // made; it may be called from any thread until Stop returns.
  using Notes = std::function<void(const std::string& target, const std::string& detail)>;
  void SetNotes(Notes notes) { notes_ = std::move(notes); }

  // The spec with every option of its kind set (defaults filled in).
  const scenario::FaultSpec& spec() const { return spec_; }
  // The resolved target, e.g. "n1" or "n1 | n2,n3". Empty before Start.
  const std::string& target() const { return target_; }
  // What was done, for the history: "redis-server pid 1234 SIGKILL".
  const std::string& detail() const { return detail_; }

 protected:
  void MarkEffect() { took_effect_ = Clock::now(); }
  // ResolveTarget against the roles Start was given, else asking now.
  std::string Resolve(const topology::Backend& b, const std::string& word) const;
  // The roles Start was given, else asked now.
  Roles KnownRoles(const topology::Backend& b) const { return roles_ ? *roles_ : AskRoles(b); }

  scenario::FaultSpec spec_;
  std::string tag_;
  std::string target_;
  std::string detail_;
  std::optional<Roles> roles_;
  Clock::time_point took_effect_{};

  void Note(const std::string& target, const std::string& detail) const {
    if (notes_) notes_(target, detail);
  }

 private:
  Notes notes_;
};

// The fault for a spec, made by its kind in the registry (fault_kind.h), with
// the kind's defaults for options the spec lacks. Throws std::logic_error
// for a kind nobody registered.
std::unique_ptr<Fault> MakeFault(const scenario::FaultSpec& spec, const std::string& tag);

// Resolves one target word: "master" (the one node `roles` says is master),
// "replica" (the first other redis-server in server order), "nK", "client".
// Throws FaultError when it names nobody now.
std::string ResolveTarget(const topology::Backend& b, const Roles& roles, const std::string& word);
// The same against the roles asked for now.
std::string ResolveTarget(const topology::Backend& b, const std::string& word);

}  // namespace sc::faults
