#include "harness/load/driver_load.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/run.h"

namespace sc::load {

nlohmann::json DriverConfig(const DriverSetup& s, const RunClock& clock) {
  const LoadOptions& o = s.options;
  const Endpoints& ep = s.endpoints;
  nlohmann::json j;
  j["t"] = "config";
  j["protocol"] = 1;
  j["profile"] = EffectiveProfile(o);
  j["clients"] = o.clients;
  j["client_base"] = s.first_client;
  j["workload"] = o.workload;
  j["rate"] = o.rate;
  j["read_fraction"] = o.read_fraction;
  j["key"] = o.key;
  j["via"] = ToString(o.via);
  j["master_name"] = ep.master_name;
  j["password"] = ep.password;
  j["sentinels"] = nlohmann::json::array();
  if (ep.sentinels)
    for (auto& a : ep.sentinels()) j["sentinels"].push_back({{"host", a.ip}, {"port", a.port}});
  Address addr;
  if (o.via == Via::kVip && ep.vip) addr = ep.vip();
  if (o.via == Via::kDirect && ep.direct) addr = ep.direct();
  j["address"] = {{"host", addr.ip}, {"port", addr.port}};
  // A string: CLOCK_MONOTONIC can pass 2^53 ns (104 days of uptime), which
  // JavaScript numbers cannot hold exactly.
  j["clock_zero_ns"] = std::to_string(clock.MonotonicZeroNs());
  j["drain_ns"] = s.drain_ns;
  return j;
}

DriverLoad::DriverLoad(const DriverSpec& driver, DriverSetup setup, const RunClock& clock)
    : driver_(driver), setup_(std::move(setup)), clock_(clock) {
  Spawn();
  WriteLine(DriverConfig(setup_, clock_).dump());
  const Nanos deadline = clock_.Now() + static_cast<Nanos>(setup_.ready_timeout_ms) * 1'000'000;
  std::string line;
  for (;;) {
    if (!ReadLine(&line, deadline)) {
      const bool late = clock_.Now() >= deadline;
      Reap(clock_.Now() + 2'000'000'000);
      throw std::runtime_error("client driver " + driver_.name + (late ? " was not ready in time" : " exited before it was ready") +
                               " (its stderr: " + setup_.log_path + ")" + StderrTail());
    }
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || j.value("t", "") != "ready") continue;
    ready_.library = j.value("library", driver_.library);
    ready_.version = j.value("version", "");
    ready_.profile = j.value("profile", EffectiveProfile(setup_.options));
    if (j.contains("settings") && j["settings"].is_object()) ready_.settings = j["settings"];
    break;
  }
}

DriverLoad::~DriverLoad() {
  Stop();
  Join();
  if (in_fd_ >= 0) close(in_fd_);
  if (out_fd_ >= 0) close(out_fd_);
}

void DriverLoad::Spawn() {
  Program program;
  program.argv = driver_.command;
  program.env = {{"LANG", "C.UTF-8"}, {"HOME", driver_.dir}};
  program.setup.new_session = true;  // a Ctrl-C of the harness is the harness's to handle
  std::string error;
  // Started on a thread that joined the client host's network (thread_init):
  // the child is forked from that thread, so it is born in that namespace
  // (the same for the netns backend and for the harness machine as client).
  std::thread spawner([&] {
    try {
      if (setup_.endpoints.thread_init) setup_.endpoints.thread_init(0);
      PipedChild c = StartPiped(program, setup_.log_path);
      pid_ = c.pid;
      in_fd_ = c.to_child;
      out_fd_ = c.from_child;
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  spawner.join();
  if (!error.empty()) throw std::runtime_error("client driver " + driver_.name + ": " + error);
}

void DriverLoad::WriteLine(const std::string& line) {
  if (in_fd_ < 0) return;
  std::string s = line + "\n";
  const char* p = s.data();
  size_t left = s.size();
  // A driver that already exited must not end the harness with SIGPIPE:
  // blocked in this thread while writing, and a pending one is consumed.
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  while (left > 0) {
    ssize_t n = write(in_fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) {
        timespec zero{0, 0};
        sigtimedwait(&pipe_set, nullptr, &zero);
      }
      break;  // the driver is gone; Join reports how it ended
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

bool DriverLoad::ReadLine(std::string* line, Nanos deadline) {
  for (;;) {
    size_t nl = pending_.find('\n');
    if (nl != std::string::npos) {
      line->assign(pending_, 0, nl);
      pending_.erase(0, nl + 1);
      return true;
    }
    Nanos left = deadline - clock_.Now();
    if (left <= 0 || out_fd_ < 0) return false;
    pollfd p{out_fd_, POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(std::min<Nanos>(left / 1'000'000 + 1, 100)));
    if (r < 0 && errno != EINTR) return false;
    if (r <= 0) continue;
    char buf[65536];
    ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {  // EOF: a last line without '\n' still counts
      if (pending_.empty()) return false;
      line->swap(pending_);
      pending_.clear();
      return true;
    }
    pending_.append(buf, static_cast<size_t>(n));
  }
}

void DriverLoad::Start() {
  if (journal_ == nullptr) throw std::logic_error("DriverLoad::Start before Attach");
  const Nanos start = clock_.Now();
  end_ = start + setup_.options.duration_ns;
  started_ = true;
  WriteLine(nlohmann::json({{"t", "start"}, {"start_ns", start}, {"end_ns", end_}}).dump());
  reader_ = std::thread([this] { ReadOps(); });
}

void DriverLoad::Stop() {
  Nanos expected = 0;
  if (!stop_at_.compare_exchange_strong(expected, clock_.Now())) return;
  WriteLine(R"({"t":"stop"})");
}

void DriverLoad::ReadOps() {
  const Nanos grace = setup_.drain_ns + 5'000'000'000;
  std::string line;
  for (;;) {
    Nanos deadline = end_ + grace;
    Nanos stop = stop_at_.load();
    if (stop > 0) deadline = std::min(deadline, stop + 3'000'000'000);
    if (!ReadLine(&line, deadline)) {
      if (clock_.Now() >= deadline) Error("did not finish in time; killed");
      return;
    }
    HandleLine(line);
  }
}

void DriverLoad::HandleLine(const std::string& line) {
  if (line.find("\"op\"") == std::string::npos) return;  // ready, done, notes: nothing to record
  Op op;
  std::string why = ParseOpLine(line, &op);
  const int first = setup_.first_client;
  if (why.empty() && (op.client < first || op.client >= first + setup_.options.clients))
    why = "client " + std::to_string(op.client) + " is not one of this group's (" + std::to_string(first) + ".." +
          std::to_string(first + setup_.options.clients - 1) + ")";
  if (why.empty() && (op.complete < op.invoke || op.invoke < 0 || op.complete > clock_.Now() + 1'000'000'000))
    why = "times off the run clock (invoke " + std::to_string(op.invoke) + ", complete " + std::to_string(op.complete) + ")";
  if (!why.empty()) {
    if (++bad_lines_ <= 3) Error("bad line: " + why);
    return;
  }
  journal_->Append(op);
  auto& counter = op.outcome == Outcome::kOk ? ok_ : op.outcome == Outcome::kFail ? fail_ : unknown_;
  counter.fetch_add(1, std::memory_order_relaxed);
}

void DriverLoad::Error(const std::string& what) {
  std::lock_guard<std::mutex> lock(errors_mu_);
  errors_.push_back("client driver " + driver_.name + ": " + what);
}

void DriverLoad::Join() {
  if (reader_.joinable()) reader_.join();
  if (pid_ > 0) Reap(clock_.Now() + 2'000'000'000);
}

// Closes the driver's stdin (it then stops by itself), waits for it until
// `deadline`, SIGKILLs it by pid after that, and records how it ended.
void DriverLoad::Reap(Nanos deadline) {
  if (pid_ <= 0) return;
  if (in_fd_ >= 0) {
    close(in_fd_);
    in_fd_ = -1;
  }
  int status = 0;
  pid_t r = 0;
  while ((r = waitpid(pid_, &status, WNOHANG)) == 0 && clock_.Now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (r == 0) {
    kill(pid_, SIGKILL);
    while ((r = waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {}
    if (started_) Error("killed (SIGKILL) after it did not exit");
  }
  pid_ = -1;
  if (r > 0 && WIFEXITED(status) && WEXITSTATUS(status) != 0)
    Error("exited with status " + std::to_string(WEXITSTATUS(status)) + StderrTail());
  else if (r > 0 && WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
    Error("ended by signal " + std::to_string(WTERMSIG(status)) + StderrTail());
}

std::string DriverLoad::StderrTail() const {
  std::ifstream in(setup_.log_path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  if (s.empty()) return "";
  if (s.size() > 600) s = "..." + s.substr(s.size() - 600);
  return ":\n" + s;
}

LoadStats DriverLoad::stats() const {
  return {ok_.load(std::memory_order_relaxed), fail_.load(std::memory_order_relaxed),
          unknown_.load(std::memory_order_relaxed)};
}

std::vector<std::string> DriverLoad::ThreadErrors() const {
  std::lock_guard<std::mutex> lock(errors_mu_);
  return errors_;
}

}  // namespace sc::load
