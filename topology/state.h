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

// Removes every resource of the run in reverse order of creation, then the
// state directory itself. Never touches anything not in the state file.
// Returns one line per resource it removed or failed to remove.
std::vector<std::string> TearDown(RunState& state);

}  // namespace sc::topology
