// Helpers for tests that stand real topologies up: a snapshot of everything
// the host must still look like afterwards.
#pragma once

#include <string>

#include <unistd.h>

#include <sstream>
#include <vector>

#include "topology/process.h"
#include "topology/state.h"

namespace sc::topology::testing {

// The host's interfaces, addresses, routes, legacy and nft rule sets, and the
// namespaces and state dirs, as text. Compare before and after a test.
inline std::string HostSnapshot() {
  std::string s;
  for (auto argv : std::vector<std::vector<std::string>>{
           {"/usr/sbin/ip", "-o", "link"}, {"/usr/sbin/ip", "-o", "addr"}, {"/usr/sbin/ip", "-o", "route"},
           {"/usr/sbin/iptables-legacy-save"}, {"/usr/sbin/iptables-nft-save"}})
    if (access(argv[0].c_str(), X_OK) == 0) {
      std::string out = RunCommand(argv).output;
      // Save files carry a timestamp comment and packet counters: drop both.
      std::string kept, line;
      std::istringstream in(out);
      while (std::getline(in, line))
        if (line.rfind("#", 0) != 0) kept += line.substr(0, line.find(" [")) + "\n";
      s += kept;
    }
  return s;
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
