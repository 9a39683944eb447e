#pragma once
#include <chrono>
#include <functional>
#include <thread>

namespace sc::topology {
template <typename Cond>
bool WaitFor(Cond cond, int timeout_ms, int interval_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (cond()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
  }
}
}  // namespace sc::topology
