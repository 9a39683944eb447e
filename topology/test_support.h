// Helpers for tests that stand real topologies up: a snapshot of everything
// the host must still look like afterwards.
#pragma once

#include <string>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "topology/process.h"
#include "topology/session.h"
#include "topology/state.h"

namespace sc::topology::testing {

// Where the snapshot reads the host's network and rule sets from.
inline std::vector<std::vector<std::string>> HostSnapshotSources() {
  return {{"/usr/sbin/ip", "-o", "link"}, {"/usr/sbin/ip", "-o", "addr"}, {"/usr/sbin/ip", "-o", "route"},
          {"/usr/sbin/iptables-legacy-save"}, {"/usr/sbin/iptables-nft-save"}};
}

// What this process's runs left behind: state dirs of runs whose harness is
// gone (StaleRuns) and that this process started (it is among the harness's
// recorded ancestors: directly, or through env, ip netns exec, a shell), their
// sc-* network namespaces, and sc-<run id>-* namespaces of no run at all. Neighbours'
// runs are not this test's doing: a test beside this one may SIGKILL its
// harness on purpose and clean up after it. Read twice 200 ms apart, keeping
// what both saw, so a run being created or torn down (state before
// namespaces, namespaces before state) is not taken for a leftover.
// Namespaces of no run already there at this process's first call are
// not listed (an earlier process's leak, not this test's).
inline std::string RunLeftovers() {
  const pid_t self = getpid();
  auto once = [self] {
    std::vector<std::string> out;
    const auto stale = StaleRuns(false);
    const auto runs = RunState::List();
    std::vector<std::string> mine;  // stale runs this process started
    for (auto& id : stale) {
      nlohmann::json info;
      try {
        info = RunState::Load(id).info();
      } catch (...) {
        continue;  // torn down meanwhile
      }
      if (!info.is_object()) continue;  // being written
      bool ours = info.value("harness_pid", 0) == self;
      if (info.contains("harness_ancestors") && info["harness_ancestors"].is_array())
        for (auto& a : info["harness_ancestors"]) ours |= a.is_number() && a.get<pid_t>() == self;
      if (!ours) continue;
      mine.push_back(id);
      out.push_back("state dir of a run whose harness is gone: " + id);
    }
    std::error_code ec;
    for (auto& e : std::filesystem::directory_iterator("/run/netns", ec)) {
      const std::string name = e.path().filename();
      if (name.rfind("sc-", 0) != 0) continue;
      const std::string id = name.substr(3, name.find('-', 3) - 3);
      // A run's id is 6 hex digits (netns_backend.cc's RandomId); test
      // fixtures name their own namespaces otherwise (ssh_test's "VMs": sc-ss<pid>-n1).
      const bool run_id = id.size() == 6 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
      if (std::find(mine.begin(), mine.end(), id) != mine.end())
        out.push_back("namespace of a run whose harness is gone: " + name);
      else if (run_id && std::find(runs.begin(), runs.end(), id) == runs.end())
        out.push_back("namespace of no run: " + name);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  auto first = once();
  usleep(200000);
  auto second = once();
  static const std::vector<std::string> baseline = first;
  std::string s;
  for (auto& l : first)
    if (std::find(second.begin(), second.end(), l) != second.end() &&
        (l.rfind("namespace of no run: ", 0) != 0 || std::find(baseline.begin(), baseline.end(), l) == baseline.end()))
      s += l + "\n";
  return s;
}

// The host's interfaces, addresses, routes, legacy and nft rule sets, and the
// runs' leftovers (namespaces and state dirs, RunLeftovers), as text. Compare
// before and after a test. Throws std::runtime_error if a source cannot be
// read (a missing tool, a failing one): a snapshot that silently left a rule
// set out would prove nothing about it.
inline std::string HostSnapshot(const std::vector<std::vector<std::string>>& sources = HostSnapshotSources()) {
  std::string s;
  for (auto& argv : sources) {
    if (access(argv[0].c_str(), X_OK) != 0)
      throw std::runtime_error("host snapshot: " + argv[0] + " is missing, so the host cannot be proven untouched");
    auto r = RunCommand(argv);
    if (r.exit_code != 0)
      throw std::runtime_error("host snapshot: " + argv[0] + " failed (" + r.Describe() + "): " + r.output);
    // Save files carry a timestamp comment and packet counters: drop both.
    std::string kept, line;
    std::istringstream in(r.output);
    while (std::getline(in, line))
      if (line.rfind("#", 0) != 0) kept += line.substr(0, line.find(" [")) + "\n";
    s += kept;
  }
  return s + RunLeftovers();
}

// The runs (state dirs) whose harness was process `pid`. Tests run in
// parallel, so they look only at their own runs, never at the whole list.
inline std::vector<std::string> RunsOf(pid_t pid) {
  std::vector<std::string> out;
  for (auto& id : RunState::List()) {
    try {
      if (RunState::Load(id).info().value("harness_pid", 0) == pid) out.push_back(id);
    } catch (...) {
    }
  }
  return out;
}

}  // namespace sc::topology::testing
