// Opening a topology for a run or for `up`, and finding it again later
// (status, down) from its state file.
#pragma once

#include <memory>
#include <string>

#include "topology/netns_backend.h"
#include "topology/ssh_backend.h"
#include "topology/state.h"

namespace sc::topology {

struct Session {
  std::unique_ptr<RunState> state;
  std::unique_ptr<Backend> backend;
};

// Checks the environment, allocates a run (id, subnet, state) and builds the
// backend; does not start anything yet (call backend->Up()). `run_dir` ""
// means a directory inside the state dir (removed with it). `inventory` ""
// means the netns backend on this machine; else the SSH backend on its hosts.
Session OpenSession(const Options& o, const std::string& run_dir, const std::string& inventory = "");
// Rebuilds the backend of a run from its state file.
Session ReopenSession(const std::string& run_id);
// Every run that can be removed: its harness is gone and it was not kept by `up`
// (or every run when `all`).
std::vector<std::string> StaleRuns(bool all);

}  // namespace sc::topology
