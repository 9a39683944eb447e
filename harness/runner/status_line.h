// The live status of a run: one rewritten line on a terminal (phase,
// elapsed / planned, ok/s, fail/s, current fault, current master), plain lines
// every few seconds otherwise. Owns a thread; knows nothing of the plan.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "harness/history/history.h"
#include "harness/load/load.h"

namespace sc::runner {

class StatusLine {
 public:
  StatusLine(std::string scenario, Nanos planned_ns);
  ~StatusLine();  // Finish()
  // Starts showing live load figures.
  void Attach(const load::Load* load, const RunClock* clock, std::function<std::string()> master);
  void SetPhase(const std::string& phase);
  void SetFault(const std::string& fault);
  // A line of its own (a note), above the status line.
  void Say(const std::string& line);
  void Finish();

 private:
  void Loop();
  std::string Render();

  const std::string scenario_;
  const Nanos planned_ns_;
  const bool tty_;
  std::mutex mu_;
  std::string phase_ = "starting", fault_, master_;
  const load::Load* load_ = nullptr;
  const RunClock* clock_ = nullptr;
  std::function<std::string()> master_fn_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace sc::runner
