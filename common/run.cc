#include "common/run.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/env.hpp>
#include <boost/process/environment.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace sc {
namespace bp = boost::process;

std::string RunResult::Describe() const {
  if (!started) return "could not start: " + error;
  if (timed_out) return "timed out (killed)";
  if (signal != 0) return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  return "exited with " + std::to_string(exit_code);
}

namespace {

// Descriptors the parent opens for the child; all close-on-exec in the parent.
struct Fds {
  static constexpr int kMaxCgroups = 8;
  int netns = -1, in = -1, out = -1, err = -1;
  int cgroups[kMaxCgroups] = {-1, -1, -1, -1, -1, -1, -1, -1};
  void CloseAll() {
    for (int* fd : {&netns, &in, &out, &err})
      if (*fd >= 0) {
        close(*fd);
        *fd = -1;
      }
    for (int& fd : cgroups)
      if (fd >= 0) {
        close(fd);
        fd = -1;
      }
  }
};

// The exec-setup extension: runs in the child between fork and exec, so only
// async-signal-safe calls. On failure it reports through Boost.Process's own
// error pipe (exec.set_error) and exits; the parent then sees the error and
// reaps the child in on_error.
struct ChildSide : bp::extend::handler {
  const Fds* fds;
  ChildSetup setup;
  pid_t parent;

  template <class Exec>
  void on_exec_setup(Exec& exec) const {
    if (setup.die_with_parent) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
    }
    if (setup.new_session) setsid();
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    for (int fd : fds->cgroups)
      if (fd >= 0 && write(fd, "0", 1) < 0) {  // "0" moves the writer itself
        exec.set_error(std::error_code(errno, std::system_category()), "cannot join the cgroup");
        _exit(126);
      }
    if (fds->netns >= 0 && setns(fds->netns, CLONE_NEWNET) != 0) {
      exec.set_error(std::error_code(errno, std::system_category()), "cannot enter the network namespace");
      _exit(125);
    }
    if (!setup.keep_stdio) {
    int devnull_in = fds->in >= 0 ? fds->in : open("/dev/null", O_RDONLY);
    int out = fds->out >= 0 ? fds->out : open("/dev/null", O_WRONLY);
    int err = fds->err >= 0 ? fds->err : out;
    dup2(devnull_in, 0);
    dup2(out, 1);
    dup2(err, 2);
    }
    // Every descriptor the harness holds without close-on-exec would leak
    // into the child (and keep pipes open): close them. Boost.Process's own
    // error pipe is close-on-exec and stays.
    for (int fd = 3; fd < 1024; ++fd) {
      int flags = fcntl(fd, F_GETFD);
      if (flags >= 0 && !(flags & FD_CLOEXEC)) close(fd);
    }
  }

  template <class Exec>
  void on_error(Exec& exec, const std::error_code&) const {
    // A failed start leaves the forked child unreaped (1.74): reap it here.
    if (exec.pid > 0) {
      int status;
      while (waitpid(exec.pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }
};

void OpenSetupFds(const Program& p, Fds& fds) {
  if (p.argv.empty() || p.argv[0].empty() || p.argv[0][0] != '/')
    throw std::logic_error("internal: program path must be absolute: " + (p.argv.empty() ? "" : p.argv[0]));
  if (!p.setup.netns.empty()) {
    fds.netns = open(("/var/run/netns/" + p.setup.netns).c_str(), O_RDONLY | O_CLOEXEC);
    if (fds.netns < 0)
      throw std::runtime_error("network namespace " + p.setup.netns + " is missing: " + strerror(errno));
  }
  if (p.setup.cgroup_procs.size() > static_cast<size_t>(Fds::kMaxCgroups)) {
    fds.CloseAll();
    throw std::logic_error("internal: too many cgroups for one process");
  }
  for (size_t i = 0; i < p.setup.cgroup_procs.size(); ++i) {
    fds.cgroups[i] = open(p.setup.cgroup_procs[i].c_str(), O_WRONLY | O_CLOEXEC);
    if (fds.cgroups[i] < 0) {
      int e = errno;
      fds.CloseAll();
      throw std::runtime_error("cannot join cgroup " + p.setup.cgroup_procs[i] + ": " + strerror(e));
    }
  }
}

// Starts the program; fds.in/out/err are the child's 0/1/2 (-1 = /dev/null).
// Closes every descriptor in `fds`. Returns the pid or throws std::runtime_error.
pid_t Launch(const Program& p, Fds& fds) {
  bp::environment env;  // empty: only what is set below
  if (p.inherit_environment)
    for (char** e = environ; *e; ++e) {
      std::string kv = *e;
      auto eq = kv.find('=');
      if (eq != std::string::npos && eq > 0) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  else
    env["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
  for (auto& [k, v] : p.env) env[k] = v;
  std::vector<std::string> args(p.argv.begin() + 1, p.argv.end());
  ChildSide side;
  side.fds = &fds;
  side.setup = p.setup;
  side.parent = getpid();
  std::error_code ec;
  pid_t pid = -1;
  {
    bp::child c(bp::exe = p.argv[0], bp::args = args, env, side, ec);
    if (!ec) {
      pid = c.id();
      c.detach();  // the caller owns the pid from here
    }
  }
  fds.CloseAll();
  if (ec) throw std::runtime_error("cannot start " + p.argv[0] + ": " + ec.message());
  return pid;
}

// True once the child has exited; it stays a zombie (WNOWAIT) until reaped.
bool HasExited(pid_t pid) {
  siginfo_t info{};
  if (waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0) return errno == ECHILD;
  return info.si_pid == pid;
}

}  // namespace

pid_t Start(const Program& program, const std::string& log_file) {
  Fds fds;
  OpenSetupFds(program, fds);
  if (!log_file.empty()) {
    fds.out = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fds.out < 0) {
      int e = errno;
      fds.CloseAll();
      throw std::runtime_error("cannot open " + log_file + " for " + program.argv[0] + ": " + strerror(e));
    }
  }
  return Launch(program, fds);
}

PipedChild StartPiped(const Program& program, const std::string& stderr_log) {
  Fds fds;
  OpenSetupFds(program, fds);
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) {
    fds.CloseAll();
    throw std::runtime_error("pipe failed: " + std::string(strerror(errno)));
  }
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    fds.CloseAll();
    throw std::runtime_error("pipe failed: " + std::string(strerror(errno)));
  }
  fds.in = in[0];
  fds.out = out[1];
  if (!stderr_log.empty()) fds.err = open(stderr_log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fds.err < 0) fds.err = open("/dev/null", O_WRONLY | O_CLOEXEC);
  PipedChild c;
  try {
    c.pid = Launch(program, fds);
  } catch (...) {
    close(in[1]);
    close(out[0]);
    throw;
  }
  c.to_child = in[1];
  c.from_child = out[0];
  return c;
}

RunResult Run(const Program& program, std::chrono::milliseconds timeout, const std::string& input) {
  RunResult r;
  Fds fds;
  int out[2] = {-1, -1}, in[2] = {-1, -1}, err[2] = {-1, -1};
  try {
    OpenSetupFds(program, fds);
  } catch (const std::logic_error&) {
    throw;
  } catch (const std::exception& e) {
    r.error = e.what();
    return r;
  }
  if (pipe2(out, O_CLOEXEC) != 0 || (!input.empty() && pipe2(in, O_CLOEXEC) != 0) ||
      (program.stderr_apart && pipe2(err, O_CLOEXEC) != 0)) {
    r.error = std::string("pipe failed: ") + strerror(errno);
    for (int fd : {out[0], out[1], in[0], in[1], err[0], err[1]})
      if (fd >= 0) close(fd);
    fds.CloseAll();
    return r;
  }
  fds.out = out[1];
  fds.in = in[0];
  fds.err = err[1];
  pid_t pid;
  try {
    pid = Launch(program, fds);
  } catch (const std::exception& e) {
    close(out[0]);
    if (in[1] >= 0) close(in[1]);
    if (err[0] >= 0) close(err[0]);
    r.error = e.what();
    return r;
  }
  r.started = true;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t written = 0;
  int to_child = in[1];
  if (to_child >= 0) fcntl(to_child, F_SETFL, O_NONBLOCK);
  int from_child = out[0], from_child_err = err[0];
  int status = 0;
  bool exited = false;
  // Read its output until EOF (or the deadline), then reap it. A grandchild
  // that keeps the pipe open past the child's exit is cut at the deadline too.
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    if (!exited) exited = HasExited(pid);
    if (from_child < 0 && to_child < 0 && from_child_err < 0) {
      if (exited) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    pollfd pf[3];
    int n = 0;
    if (from_child >= 0) pf[n++] = {from_child, POLLIN, 0};
    if (from_child_err >= 0) pf[n++] = {from_child_err, POLLIN, 0};
    if (to_child >= 0) pf[n++] = {to_child, POLLOUT, 0};
    // Wake at least every 20 ms to notice an exit whose grandchildren hold the pipe.
    int rc = poll(pf, n, static_cast<int>(std::min<long>(left.count(), exited ? 20 : 50)));
    if (rc < 0 && errno != EINTR) break;
    if (rc <= 0) {
      if (exited && rc == 0) {
        // Exited and quiet: give a grandchild holding the pipe no more time.
        break;
      }
      continue;
    }
    for (int i = 0; i < n; ++i) {
      if ((pf[i].fd == from_child || pf[i].fd == from_child_err) && (pf[i].revents & (POLLIN | POLLHUP | POLLERR))) {
        int& fd = pf[i].fd == from_child ? from_child : from_child_err;
        char buf[8192];
        ssize_t k = read(fd, buf, sizeof buf);
        if (k > 0) (fd == from_child ? r.output : r.errors).append(buf, k);
        else if (k == 0 || (errno != EINTR && errno != EAGAIN)) {
          close(fd);
          fd = -1;
        }
      } else if (pf[i].fd == to_child && (pf[i].revents & (POLLOUT | POLLERR | POLLHUP))) {
        ssize_t k = (pf[i].revents & POLLOUT) ? write(to_child, input.data() + written, input.size() - written) : -1;
        if (k > 0) written += k;
        if (k < 0 && errno == EAGAIN) continue;
        if (k < 0 || written == input.size()) {
          close(to_child);
          to_child = -1;
        }
      }
    }
  }
  for (int fd : {from_child, from_child_err, to_child})
    if (fd >= 0) close(fd);
  if (!exited) exited = HasExited(pid);
  // Until it is reaped its pid (and so its group id) cannot be reused: the
  // group is certainly its own when signalled here.
  if (!exited) {
    r.timed_out = true;
    kill(pid, SIGKILL);
  }
  if (program.setup.new_session) kill(-pid, SIGKILL);  // its group: helpers it left behind
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && !r.timed_out) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

}  // namespace sc
