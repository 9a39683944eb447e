#include "harness/runner/status_line.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace sc::runner {

StatusLine::StatusLine(std::string scenario, Nanos planned_ns)
    : scenario_(std::move(scenario)), planned_ns_(planned_ns), tty_(isatty(STDOUT_FILENO)) {
  std::printf("scenario: %s\n", scenario_.c_str());
  std::fflush(stdout);
  thread_ = std::thread([this] { Loop(); });
}

StatusLine::~StatusLine() { Finish(); }

void StatusLine::Attach(const load::Load* load, const RunClock* clock, std::function<std::string()> master) {
  std::lock_guard<std::mutex> l(mu_);
  load_ = load;
  clock_ = clock;
  master_fn_ = std::move(master);
}

void StatusLine::SetPhase(const std::string& phase) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (phase_ == phase) return;
    phase_ = phase;
  }
  if (!tty_) Say("phase " + phase);
}

void StatusLine::SetFault(const std::string& fault) {
  std::lock_guard<std::mutex> l(mu_);
  fault_ = fault;
}

void StatusLine::Say(const std::string& line) {
  std::lock_guard<std::mutex> l(mu_);
  if (tty_) std::printf("\r\033[K%s\n", line.c_str());
  else std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

void StatusLine::Finish() {
  if (stop_.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  if (tty_) std::printf("\r\033[K");
  std::fflush(stdout);
}

std::string StatusLine::Render() {
  char buf[512];
  double elapsed = clock_ ? clock_->Now() / 1e9 : 0;
  std::snprintf(buf, sizeof buf, "[%s] %5.1fs / %.0fs", phase_.c_str(), elapsed, planned_ns_ / 1e9);
  return buf;
}

void StatusLine::Loop() {
  load::LoadStats last{};
  auto last_t = std::chrono::steady_clock::now();
  int ticks = 0;
  while (!stop_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    std::function<std::string()> master_fn;
    {
      std::lock_guard<std::mutex> l(mu_);
      master_fn = master_fn_;
    }
    // Ask for the master outside the lock: it talks to redis.
    std::string master = master_fn && ticks % 4 == 0 ? master_fn() : "";
    std::lock_guard<std::mutex> l(mu_);
    if (!master.empty() || ticks % 4 == 0) master_ = master;
    ++ticks;
    auto now = std::chrono::steady_clock::now();
    double dt = std::chrono::duration<double>(now - last_t).count();
    std::string line = Render();
    if (load_) {
      auto s = load_->stats();
      char buf[256];
      std::snprintf(buf, sizeof buf, "  ok/s %6.0f  fail/s %5.0f  unknown %llu", (s.ok - last.ok) / dt,
                    (s.fail - last.fail) / dt, static_cast<unsigned long long>(s.unknown));
      line += buf;
      last = s;
    }
    last_t = now;
    line += "  master " + (master_.empty() ? std::string("?") : master_);
    if (!fault_.empty()) line += "  fault " + fault_;
    if (tty_) {
      std::printf("\r\033[K%s", line.substr(0, 160).c_str());
      std::fflush(stdout);
    } else if (ticks % 20 == 0) {
      std::printf("%s\n", line.c_str());
      std::fflush(stdout);
    }
  }
}

}  // namespace sc::runner
