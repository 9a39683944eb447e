#include "harness/observer/log_tail.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>

namespace sc::observer {

std::optional<RedisLogLine> ParseRedisLogLine(const std::string& line) {
  // "PID:R DD Mon YYYY HH:MM:SS.mmm L message"
  const auto colon = line.find(':');
  const auto space = line.find(' ');
  if (colon == std::string::npos || space == std::string::npos || colon > space || space != colon + 2) return {};
  struct tm tm {};
  const char* rest = strptime(line.c_str() + space + 1, "%d %b %Y %H:%M:%S", &tm);
  if (!rest || rest[0] != '.' || !std::isdigit(static_cast<unsigned char>(rest[1])) ||
      !std::isdigit(static_cast<unsigned char>(rest[2])) || !std::isdigit(static_cast<unsigned char>(rest[3])) ||
      rest[4] != ' ' || !std::strchr(".-*#", rest[5]) || rest[5] == 0 || rest[6] != ' ')
    return {};
  const int ms = (rest[1] - '0') * 100 + (rest[2] - '0') * 10 + (rest[3] - '0');
  tm.tm_isdst = -1;  // redis writes local time
  const time_t secs = mktime(&tm);
  if (secs == static_cast<time_t>(-1)) return {};
  RedisLogLine out;
  out.unix_us = int64_t{secs} * 1000000 + ms * 1000;
  out.level = rest[5];
  out.message = std::string(rest + 7);
  return out;
}

std::optional<VipHookLine> ParseVipHookLine(const std::string& line) {
  // "SECONDS.FRACTION NODE add|del ..."
  const auto dot = line.find('.');
  const auto sp1 = line.find(' ');
  if (dot == std::string::npos || sp1 == std::string::npos || dot > sp1 || dot == 0) return {};
  const auto sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string::npos) return {};
  const std::string verb = line.substr(sp2 + 1, 3);
  if (verb != "add" && verb != "del") return {};
  int64_t secs = 0;
  for (size_t i = 0; i < dot; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(line[i]))) return {};
    secs = secs * 10 + (line[i] - '0');
  }
  int64_t frac = 0;
  int digits = 0;
  for (size_t i = dot + 1; i < sp1; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(line[i]))) return {};
    if (digits < 9) frac = frac * 10 + (line[i] - '0'), ++digits;
  }
  for (; digits < 9; ++digits) frac *= 10;
  VipHookLine out;
  out.unix_ns = secs * 1000000000 + frac;
  out.node = line.substr(sp1 + 1, sp2 - sp1 - 1);
  out.add = verb == "add";
  out.text = line;
  return out;
}

std::vector<std::string> LogTail::ReadNew() {
  std::vector<std::string> lines;
  const int fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return lines;
  char buf[65536];
  for (;;) {
    const ssize_t n = pread(fd, buf, sizeof buf, static_cast<off_t>(offset_));
    if (n <= 0) break;
    offset_ += static_cast<uint64_t>(n);
    partial_.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  size_t start = 0;
  for (size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(partial_.substr(start, nl - start));
  partial_.erase(0, start);
  return lines;
}

std::optional<int64_t> SentinelLogMatcher::Find(const std::string& channel, const std::string& message) {
  for (auto& l : tail_.ReadNew())
    if (auto p = ParseRedisLogLine(l)) pending_.push_back(std::move(*p));
  const std::string want = channel + " " + message;
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (pending_[i].message != want) continue;
    const int64_t at = pending_[i].unix_us;
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(i) + 1);
    return at;
  }
  // Bounded: lines that never match (not events) go once there are many.
  while (pending_.size() > 10000) pending_.pop_front();
  return std::nullopt;
}

}  // namespace sc::observer
