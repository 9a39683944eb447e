// The fault catalogue. Each class does one kind of failure.
#pragma once

#include <sys/types.h>

#include <set>

#include "harness/faults/fault.h"

namespace sc::faults {

// SIGKILL / SIGTERM a redis-server or redis-sentinel; Stop starts it again with
// its config and on-disk state (with a supervisor, the supervisor does).
class KillFault : public Fault {
 public:
  using Fault::Fault;
  void Start(topology::Backend& b, const Roles& roles) override;
  void Stop(topology::Backend& b, std::optional<scenario::UpMode>) override;
};

// SIGSTOP the process; Stop sends SIGCONT to the same process.
class PauseFault : public Fault {
 public:
  using Fault::Fault;
  void Start(topology::Backend& b, const Roles& roles) override;
  void Stop(topology::Backend& b, std::optional<scenario::UpMode>) override;

 private:
  pid_t pid_ = 0;
  unsigned long long start_time_ = 0;
};

// A power cut as the peers see it: the host's link goes dead (no packet, no
// RST, no FIN: established connections hang) and every process of the host is
// frozen in its cgroup. Stop as reboot: the frozen processes are killed, the
// VIP is gone, the services start again from disk; as resume: link up, thaw.
class NodeDownFault : public Fault {
 public:
  using Fault::Fault;
  void Start(topology::Backend& b, const Roles& roles) override;
  void Stop(topology::Backend& b, std::optional<scenario::UpMode> mode) override;
  std::string HostNote() const override { return down_ ? "frozen" : ""; }

 private:
  bool down_ = false;
};

// DROP rules between two groups of hosts (one way or both), in every affected
// host's own namespace, in a chain of this fault's own. Also serves
// `cut client from X` (groups {client} | {X}) and `loss X percent=N`.
class PartitionFault : public Fault {
 public:
  using Fault::Fault;
  // Reserves this fault's chain on every host (the targets are not known yet).
  void Prepare(topology::Backend& b) override;
  void Abandon(topology::Backend& b) override;
  void Start(topology::Backend& b, const Roles& roles) override;
  void Stop(topology::Backend& b, std::optional<scenario::UpMode>) override;

 private:
  std::set<std::string> hosts_;  // where rules were added
};

}  // namespace sc::faults
