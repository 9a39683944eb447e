// A Fault is one failure of the catalogue and its opposite: Start applies it,
// Stop undoes it. Targets are resolved when the fault starts (the master then,
// not the master when the plan was written). A new kind of failure is a new
// implementation of this interface, never a branch in the runner.
#pragma once

#include <functional>
#include <map>
#include <memory>
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

class Fault {
 public:
  // `tag` is unique per fault in a run ("F3"): it names the fault's own
  // packet-filter chain.
  Fault(scenario::FaultSpec spec, std::string tag) : spec_(std::move(spec)), tag_(std::move(tag)) {}
  virtual ~Fault() = default;

  // Resolves the target(s) and applies the fault. Throws FaultError.
  virtual void Start(topology::Backend& b) = 0;
  // Undoes it. REQUIRES: Start succeeded.
  virtual void Stop(topology::Backend& b, const StopOptions& options) = 0;

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
  scenario::FaultSpec spec_;
  std::string tag_;
  std::string target_;
  std::string detail_;

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

// Resolves one target word on the live topology: "master" (the node whose
// redis reports master now), "replica" (the first replica in server order),
// "nK", "client". Throws FaultError when it names nobody now.
std::string ResolveTarget(const topology::Backend& b, const std::string& word);

}  // namespace sc::faults
