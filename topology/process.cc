#include "topology/process.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace sc::topology {
namespace {

std::vector<char*> CStrings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void ExecChild(const std::vector<char*>& argv, const std::vector<char*>& envp, int netns_fd,
                            const std::vector<int>& cgroup_fds, const char* cgroup_pid, int log_fd, int out_pipe) {
  setsid();
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  for (int cgroup_fd : cgroup_fds)
    if (write(cgroup_fd, cgroup_pid, strlen(cgroup_pid)) < 0) _exit(126);
  if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) != 0) _exit(125);
  int devnull = open("/dev/null", O_RDONLY);
  dup2(devnull, 0);
  int out = out_pipe >= 0 ? out_pipe : log_fd >= 0 ? log_fd : open("/dev/null", O_WRONLY);
  dup2(out, 1);
  dup2(out, 2);
  for (int fd = 3; fd < 1024; ++fd) close(fd);
  execve(argv[0], argv.data(), envp.data());
  _exit(127);
}

pid_t ForkExec(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
               const std::string& netns, const std::vector<std::string>& cgroup_procs, const std::string& log_file,
               int out_pipe) {
  if (args.empty() || args[0].empty() || args[0][0] != '/')
    throw std::runtime_error("internal: program path must be absolute: " + (args.empty() ? "" : args[0]));
  std::vector<std::string> env_strings = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  for (auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  auto argv = CStrings(args);
  auto envp = CStrings(env_strings);
  int netns_fd = -1, log_fd = -1;
  std::vector<int> cgroup_fds;
  auto close_all = [&] {
    if (netns_fd >= 0) close(netns_fd);
    for (int fd : cgroup_fds) close(fd);
  };
  if (!netns.empty()) {
    netns_fd = open(("/var/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
    if (netns_fd < 0) throw std::runtime_error("network namespace " + netns + " is missing: " + strerror(errno));
  }
  for (auto& procs : cgroup_procs) {
    int fd = open(procs.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      int saved = errno;
      close_all();
      throw std::runtime_error("cannot join cgroup " + procs + ": " + strerror(saved));
    }
    cgroup_fds.push_back(fd);
  }
  if (!log_file.empty()) log_fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const char* zero = "0";  // writing 0 to cgroup.procs moves the writer itself
  pid_t pid = fork();
  if (pid == 0) ExecChild(argv, envp, netns_fd, cgroup_fds, zero, log_fd, out_pipe);
  int saved = errno;
  close_all();
  if (log_fd >= 0) close(log_fd);
  if (pid < 0) throw std::runtime_error("cannot start " + args[0] + ": fork failed: " + strerror(saved));
  return pid;
}

}  // namespace

pid_t Spawn(const SpawnSpec& spec) {
  return ForkExec(spec.argv, spec.env, spec.netns, spec.cgroup_procs, spec.log_file, -1);
}

CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& netns) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return {};
  pid_t pid;
  try {
    pid = ForkExec(argv, {}, netns, {}, "", fds[1]);
  } catch (...) {
    close(fds[0]);
    close(fds[1]);
    throw;
  }
  close(fds[1]);
  CommandResult r;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) r.output.append(buf, n);
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

unsigned long long ProcessStartTime(pid_t pid) {
  if (pid <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string s;
  if (!std::getline(in, s)) return 0;
  auto close_paren = s.rfind(')');
  if (close_paren == std::string::npos) return 0;
  std::istringstream rest(s.substr(close_paren + 2));
  std::string field;
  // Fields after comm start at field 3 (state); starttime is field 22.
  for (int i = 3; i <= 22; ++i) {
    if (!(rest >> field)) return 0;
    if (i == 3 && field == "Z") return 0;  // a zombie is gone for our purposes
  }
  return std::stoull(field);
}

bool IsSameProcess(pid_t pid, unsigned long long start_time) {
  unsigned long long now = ProcessStartTime(pid);
  return now != 0 && (start_time == 0 || now == start_time);
}

bool ReapIfExited(pid_t pid) {
  int status;
  pid_t r = waitpid(pid, &status, WNOHANG);
  if (r == pid) return true;
  if (r < 0 && errno == ECHILD) return ProcessStartTime(pid) == 0;
  return false;
}

bool SignalPid(pid_t pid, unsigned long long start_time, int sig) {
  if (!IsSameProcess(pid, start_time)) return false;
  return kill(pid, sig) == 0;
}

void KillAndWait(pid_t pid, unsigned long long start_time, int timeout_ms) {
  if (!SignalPid(pid, start_time, SIGKILL)) {
    ReapIfExited(pid);
    return;
  }
  WaitFor([&] { return ReapIfExited(pid) || !IsSameProcess(pid, start_time); }, timeout_ms, 2);
  ReapIfExited(pid);
}

void JoinNetns(const std::string& netns) {
  int fd = open(("/var/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("network namespace " + netns + " is missing: " + strerror(errno));
  int rc = setns(fd, CLONE_NEWNET);
  int saved = errno;
  close(fd);
  if (rc != 0) throw std::runtime_error("cannot enter network namespace " + netns + ": " + strerror(saved));
}

namespace {
struct NetnsCall {
  const std::string* netns;
  const std::function<void()>* fn;
  std::exception_ptr error;
};
void* RunNetnsCall(void* arg) {
  auto* call = static_cast<NetnsCall*>(arg);
  try {
    JoinNetns(*call->netns);
    (*call->fn)();
  } catch (...) {
    call->error = std::current_exception();
  }
  return nullptr;
}
}  // namespace

void RunInNetns(const std::string& netns, const std::function<void()>& fn) {
  NetnsCall call{&netns, &fn, nullptr};
  // A real-time caller (the runner applying a fault on time) gets a helper
  // thread of the same priority from its first instruction: an ordinary
  // thread on a loaded machine can wait milliseconds for a CPU.
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  const int policy = sched_getscheduler(0) & ~SCHED_RESET_ON_FORK;
  if (policy == SCHED_FIFO || policy == SCHED_RR) {
    sched_param param{};
    sched_getparam(0, &param);
    pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&attr, policy);
    pthread_attr_setschedparam(&attr, &param);
  }
  pthread_t t;
  int rc = pthread_create(&t, &attr, RunNetnsCall, &call);
  if (rc != 0) {  // no right to the priority: an ordinary thread
    pthread_attr_setinheritsched(&attr, PTHREAD_INHERIT_SCHED);
    rc = pthread_create(&t, &attr, RunNetnsCall, &call);
  }
  pthread_attr_destroy(&attr);
  if (rc != 0) throw std::runtime_error(std::string("cannot start a thread to enter ") + netns + ": " + strerror(rc));
  pthread_join(t, nullptr);
  if (call.error) std::rethrow_exception(call.error);
}

}  // namespace sc::topology
