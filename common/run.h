// The one way this program runs other programs (ip, iptables-save, arping,
// supervisord, ssh, redis-server, chromium in tests, ...). Built on
// Boost.Process 1.74 (header-only); its pitfalls on 1.74 and how they are
// avoided here (platform-facts.md):
//   - child::wait_for can block for the whole timeout and swaps the SIGCHLD
//     handler: never used; running() is polled with a short sleep.
//   - exit_code() cannot tell "killed by 9" from "exit(9)": native_exit_code()
//     with WIFSIGNALED is used.
//   - terminate() / a failed exec can leave a zombie: the pid is reaped here.
//   - search_path needs boost_filesystem: every program is an absolute path.
// Child-side set-up (setsid, setns, joining a cgroup, the death signal) is a
// Boost.Process exec-setup extension (on_exec_setup), async-signal-safe only.
//
// No shell is ever involved: argv[0] is an absolute path and argv is passed as is.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace sc {

// What the child does between fork and exec.
struct ChildSetup {
  std::string netns;        // "" = stay; else /var/run/netns/NAME is joined (opened in the parent)
  // cgroup.procs files the child writes itself into (topology/cgroup.h procs_files(); v1 has one
  // per hierarchy). Empty = stay in the caller's cgroups.
  std::vector<std::string> cgroup_procs;
  bool new_session = true;  // setsid(): a Ctrl-C of the harness does not reach it; a timeout kills its group
  bool die_with_parent = false;  // PR_SET_PDEATHSIG SIGKILL (test helpers)
  bool keep_stdio = false;       // Start(): stdin/stdout/stderr stay the harness's own (a child command)
};

struct Program {
  std::vector<std::string> argv;           // argv[0] is an absolute path
  std::map<std::string, std::string> env;  // added to a minimal PATH-only environment
  bool inherit_environment = false;        // the harness's own environment instead (plus `env`)
  ChildSetup setup;
  bool stderr_apart = false;  // Run(): stderr into RunResult::errors instead of `output`
};

struct RunResult {
  bool started = false;    // false: it could not be started (`error` says why)
  bool timed_out = false;  // it ran longer than its timeout and was SIGKILLed (with its process group)
  int exit_code = -1;      // the code it exited with; -1 when it did not exit by itself
  int signal = 0;          // the signal that ended it (0 if none)
  std::string output;      // stdout and stderr together (stdout only with Program::stderr_apart)
  std::string errors;      // stderr, with Program::stderr_apart
  std::string error;       // why it could not start
  bool ok() const { return started && !timed_out && signal == 0 && exit_code == 0; }
  // "exited with 2", "killed by signal 9", "timed out after 5000 ms", "could not start: ..."
  std::string Describe() const;
};

// Runs the program to completion, at most `timeout` (then it and its process
// group are SIGKILLed and reaped). `input` is written to its stdin (empty: /dev/null).
// Never throws for the program's sake; a broken argv (not absolute) throws std::logic_error.
RunResult Run(const Program& program, std::chrono::milliseconds timeout, const std::string& input = "");

// Starts a long-lived program, its stdout and stderr appended to `log_file`
// ("" = /dev/null), stdin /dev/null. Returns its pid; the caller owns it
// (reap with waitpid or topology::ReapIfExited). Throws std::runtime_error
// naming the program and the reason when it cannot be started (a missing
// namespace or cgroup, a failed exec).
pid_t Start(const Program& program, const std::string& log_file = "");

// Starts a long-lived program with a pipe to its stdin and one from its
// stdout (stderr appended to `stderr_log`, "" = /dev/null): a channel to a
// helper. The caller owns pid and both descriptors (close-on-exec).
struct PipedChild {
  pid_t pid = -1;
  int to_child = -1;    // write end of its stdin
  int from_child = -1;  // read end of its stdout
};
PipedChild StartPiped(const Program& program, const std::string& stderr_log = "");

}  // namespace sc
