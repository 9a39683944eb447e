// Reading instants from the logs the system under test writes itself.
//
// Redis and Sentinel stamp every log line with their own wall clock
// (milliseconds) at the moment they log it; Sentinel logs an event just before
// it publishes it, and publishes it only after the rest of its timer tick (a
// +switch-master, for instance, is delivered after Sentinel has rewritten and
// fsynced its config: measured 5-15 ms later on a busy machine). The VIP hook
// (topology/vip-reconfig.sh) stamps each address move with the wall clock in
// nanoseconds right after `ip addr` returned. These are the exact instants;
// what a subscriber or a poll sees comes later.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace sc::observer {

// One line of a redis-server or Sentinel log:
//   "4242:X 27 Nov 2026 17:51:54.123 # +switch-master mymaster 10.0.0.11 6379 10.0.0.12 6379"
struct RedisLogLine {
  int64_t unix_us = 0;  // the line's time stamp (local time, as redis writes it), in µs
  char level = 0;       // '.', '-', '*' or '#'
  std::string message;  // after the level character and one space
};
// nullopt for anything else (a banner line, a cut line).
std::optional<RedisLogLine> ParseRedisLogLine(const std::string& line);

// One line of the VIP hook's log (topology/vip-reconfig.sh, or the backend's
// own entries for the initial VIP and a power cut):
//   "1795801914.123456789 n2 add 10.213.4.100 (...)"
struct VipHookLine {
  int64_t unix_ns = 0;
  std::string node;
  bool add = false;  // false: del
  std::string text;  // the whole line
};
std::optional<VipHookLine> ParseVipHookLine(const std::string& line);

// The complete lines appended to a file since the last call; the file may not
// exist yet (nothing then). A line being written (no newline yet) waits for
// the next call. Not thread-safe.
class LogTail {
 public:
  explicit LogTail(std::string path) : path_(std::move(path)) {}
  std::vector<std::string> ReadNew();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  uint64_t offset_ = 0;
  std::string partial_;
};

// Finds, for a Sentinel event received over pub/sub, the log line Sentinel
// wrote for it: the oldest not yet matched line whose message is
// "<channel> <message>". Lines before the match are dropped (older events
// were matched, or were never published). Not thread-safe.
class SentinelLogMatcher {
 public:
  explicit SentinelLogMatcher(std::string path) : tail_(std::move(path)) {}
  // The line's time stamp in unix µs, or nullopt if no such line was logged.
  std::optional<int64_t> Find(const std::string& channel, const std::string& message);

 private:
  LogTail tail_;
  std::deque<RedisLogLine> pending_;
};

}  // namespace sc::observer
