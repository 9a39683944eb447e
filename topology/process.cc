#include "topology/process.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace sc::topology {
pid_t Spawn(const SpawnSpec& spec) {
  sc::Program p;
  p.argv = spec.argv;
  p.env = spec.env;
  p.setup.netns = spec.netns;
  p.setup.cgroup_procs = spec.cgroup_procs;
  return sc::Start(p, spec.log_file);
}

CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& netns, int timeout_ms) {
  sc::Program p;
  p.argv = argv;
  p.setup.netns = netns;
  return sc::Run(p, std::chrono::milliseconds(timeout_ms));
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

std::vector<pid_t> ProcessAncestors(pid_t pid) {
  std::vector<pid_t> out;
  for (int depth = 0; pid > 1 && depth < 64; ++depth) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string s;
    if (!std::getline(in, s)) break;
    auto close_paren = s.rfind(')');
    if (close_paren == std::string::npos) break;
    std::istringstream rest(s.substr(close_paren + 2));
    std::string state;
    pid_t parent = 0;
    if (!(rest >> state >> parent) || parent <= 1) break;
    out.push_back(parent);
    pid = parent;
  }
  return out;
}

bool IsSameProcess(pid_t pid, unsigned long long start_time) {
  unsigned long long now = ProcessStartTime(pid);
  return now != 0 && start_time != 0 && now == start_time;
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
