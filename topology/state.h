// The run's state file: every resource a run creates is written here BEFORE it
// is created (or, for a pid, the instant it exists), so that `down` removes
// exactly those and `cleanup` can remove what a killed harness left behind.
//
// State files live in /run/sentinel-chaos/<run-id>/state.json (tmpfs: a reboot
// takes the namespaces and the state together).
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sc::topology {

// Where every run keeps its state and control-plane sockets.
std::string StateRoot();  // "/run/sentinel-chaos"

// One resource. `kind` is one of:
//   "netns"   name                       (ip netns del)
//   "cgroup"  path                       (every process in it killed, then rmdir)
//   "process" pid, start_time, what      (SIGKILL if still the same process)
//   "chain"   netns, name                (libiptc: jumps removed, chain flushed and deleted)
//   "dir"     path                       (removed recursively; only under StateRoot or a run dir)
//   "fault"   name, detail               (a fault in force; healed by removing the chains/thawing)
//   "remote"  argv, netns, command, host (a real host's cleanup, run over SSH)
struct Resource {
  std::string kind;
  nlohmann::json data;
};

class RunState {
 public:
  // Creates /run/sentinel-chaos/<run_id>/ and its state.json. Throws on failure.
  static RunState Create(const std::string& run_id, const nlohmann::json& info);
  // Loads an existing state file. Throws std::runtime_error if unreadable.
  static RunState Load(const std::string& run_id);
  // Every run id with a state directory.
  static std::vector<std::string> List();

  const std::string& run_id() const { return run_id_; }
  std::string dir() const;  // /run/sentinel-chaos/<run_id>
  const nlohmann::json& info() const { return info_; }
  void SetInfo(const std::string& key, const nlohmann::json& value);

  // Appends the resource and writes the file (fsync'd rename) before returning.
  void Record(const std::string& kind, const nlohmann::json& data);
  // Changes the data of a resource (the first with kind and data equal).
  void Replace(const std::string& kind, const nlohmann::json& old_data, const nlohmann::json& new_data);
  // Marks a resource as gone (kind and data equal), rewriting the file.
  void Forget(const std::string& kind, const nlohmann::json& data);
  std::vector<Resource> resources() const;

 private:
  RunState(std::string run_id) : run_id_(std::move(run_id)) {}
  void Save() const;
  std::string run_id_;
  nlohmann::json info_;
  std::vector<Resource> resources_;
  mutable std::shared_ptr<std::mutex> mu_ = std::make_shared<std::mutex>();
};

// How many times one cleanup tries a host that cannot be reached over SSH,
// kUnreachableRetryMs apart, before it forgets what the run made there (with a
// line saying what may remain on that host).
constexpr int kUnreachableAttempts = 3;
constexpr int kUnreachableRetryMs = 1000;

// Removes every resource of the run in reverse order of creation, then the
// state directory itself. Never touches anything not in the state file, nor
// a namespace not named sc-<run>-*, nor a directory outside the run's state
// and run directories. What no longer exists (a namespace deleted by hand, a
// process gone) is forgotten; what could not be removed stays in the state
// file for a later attempt; a host unreachable over SSH is tried
// kUnreachableAttempts times, then forgotten: one cleanup is always enough for
// a run whose hosts are gone.
// Returns one line per resource it could not remove or had to forget (empty:
// all gone, and the state directory with them).
std::vector<std::string> TearDown(RunState& state);

// Removes the state directory of a run whose state file cannot be read.
// Returns "" or why not.
std::string RemoveDamagedRun(const std::string& run_id);

}  // namespace sc::topology
