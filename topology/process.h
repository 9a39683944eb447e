// Starting and ending the processes a topology is made of. Every process is
// started through common/run.h (Boost.Process, no shell), in a given network
// namespace and cgroup, in its own session (so a Ctrl-C of the harness does
// not reach it), and is only ever ended by the pid and start time the harness
// got when it started it.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/run.h"

namespace sc::topology {

struct SpawnSpec {
  std::vector<std::string> argv;            // argv[0] is an absolute path
  std::map<std::string, std::string> env;   // added to a minimal PATH-only environment
  std::string netns;        // "" = stay in the caller's namespace; else /var/run/netns/NAME is joined
  // cgroup.procs files the child writes itself into before exec (Cgroup::procs_files(); v1 has one
  // per hierarchy). Empty = stay in the caller's cgroups.
  std::vector<std::string> cgroup_procs;
  std::string log_file;     // stdout and stderr appended here ("" = /dev/null)
};

// Starts the process and returns its pid. Throws std::runtime_error naming the
// program and the reason when it cannot be started.
pid_t Spawn(const SpawnSpec& spec);

// exit_code is -1 when it did not run, was signalled or timed out; Describe() says which.
using CommandResult = sc::RunResult;
// How long a helper program may take unless told otherwise.
constexpr int kCommandTimeoutMs = 30000;
// Runs a short helper program (ip, redis-cli, ssh ...) to completion, at most
// `timeout_ms` (then it is killed and the result says timed_out). No shell.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& netns = "",
                         int timeout_ms = kCommandTimeoutMs);

// The start time of a process (field 22 of /proc/PID/stat), 0 if it is gone.
// Stored next to a pid so that a recycled pid is never signalled by cleanup.
unsigned long long ProcessStartTime(pid_t pid);
// True if `pid` still runs and has the given start time. A start time of 0
// (what ProcessStartTime says of a zombie or a gone process) matches nothing.
bool IsSameProcess(pid_t pid, unsigned long long start_time);
// The pids of `pid`'s parent, its parent's parent, ... up to (without) pid 1,
// from /proc/PID/stat; empty if `pid` is gone. A run's state records its
// harness's ancestors, so a test can tell the runs it started (directly or
// through `env`, `ip netns exec`, a shell) from a neighbour's.
std::vector<pid_t> ProcessAncestors(pid_t pid);

// Reaps `pid` if it is our child and has exited; returns true if it is gone.
bool ReapIfExited(pid_t pid);

// Sends `sig` to the process, if it is still the same process. Returns false if it was gone.
bool SignalPid(pid_t pid, unsigned long long start_time, int sig);

// SIGKILLs and waits (polling, up to `timeout_ms`) until the process is gone.
void KillAndWait(pid_t pid, unsigned long long start_time, int timeout_ms = 2000);

// Polls `cond` every `interval_ms` until it is true or `timeout_ms` passed.
// Returns whether it became true. The only way this code base waits.
template <typename Cond>
bool WaitFor(Cond cond, int timeout_ms, int interval_ms = 10);

// Moves the calling thread into the network namespace /var/run/netns/NAME.
// Throws std::runtime_error naming the namespace when it cannot.
void JoinNetns(const std::string& netns);

// Runs `fn` on a thread that has joined the network namespace `netns`
// (/var/run/netns/NAME), and waits for it. Exceptions are rethrown here.
void RunInNetns(const std::string& netns, const std::function<void()>& fn);

}  // namespace sc::topology

#include "topology/process_inl.h"
