#include "harness/runner/stamp_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "harness/history/history.h"
#include "harness/observer/log_tail.h"
#include "harness/runner/runner.h"

namespace sc::runner {

namespace fs = std::filesystem;

namespace {

// "2026-11-27T17:51:54.123456Z" -> unix µs; -1 if it does not parse.
int64_t IsoMicros(const std::string& iso) {
  struct tm tm {};
  const char* rest = strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!rest || *rest != '.') return -1;
  int64_t us = 0;
  int digits = 0;
  for (++rest; std::isdigit(static_cast<unsigned char>(*rest)) && digits < 6; ++rest, ++digits)
    us = us * 10 + (*rest - '0');
  for (; digits < 6; ++digits) us *= 10;
  return int64_t{timegm(&tm)} * 1000000 + us;
}

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

std::string Summary(std::vector<double> ms) {
  if (ms.empty()) return "NOT MEASURED";
  std::sort(ms.begin(), ms.end());
  const double worst = *std::max_element(ms.begin(), ms.end(), [](double a, double b) { return std::abs(a) < std::abs(b); });
  char buf[128];
  std::snprintf(buf, sizeof buf, "median %+.3f ms, worst %+.3f ms (%zu)", ms[ms.size() / 2], worst, ms.size());
  return buf;
}

StampCheck CheckStamps(const std::string& run_dir) {
  StampCheck c;
  const std::string journal = JournalPathIn(run_dir);
  if (journal.empty()) {
    c.problem = run_dir + " holds no journal";
    return c;
  }
  int64_t start_us = -1;
  std::vector<Event> events;
  JournalReader r;
  r.on_meta = [&](const nlohmann::json& m) {
    if (m.contains("run") && m["run"].is_object()) start_us = IsoMicros(m["run"].value("wall_start", ""));
  };
  r.on_event = [&](const Event& e) {
    if (e.type == "sentinel-event" || e.type == "became-master" || e.type == "role" || e.type == "vip" ||
        e.type == "vip-poll")
      events.push_back(e);
  };
  r.Read(journal);
  if (start_us < 0) {
    c.problem = journal + " has no run.wall_start in its header";
    return c;
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
  auto run_ns = [&](int64_t unix_ns) { return unix_ns - start_us * 1000; };
  const fs::path servers = fs::path(run_dir) / "servers";

  // Sentinel events: per Sentinel, in the order they were logged.
  std::map<std::string, std::vector<observer::RedisLogLine>> sentinel_lines;
  std::map<std::string, std::vector<bool>> used;
  for (const Event& e : events) {
    if (e.type != "sentinel-event") continue;
    ++c.sentinel_events;
    if (e.source == "pubsub") ++c.from_pubsub;
    if (!sentinel_lines.count(e.node)) {
      for (auto& l : Lines((servers / e.node / "sentinel.log").string()))
        if (auto p = observer::ParseRedisLogLine(l)) sentinel_lines[e.node].push_back(*p);
      used[e.node].assign(sentinel_lines[e.node].size(), false);
    }
    const auto& lines = sentinel_lines[e.node];
    const std::string want = e.name + " " + e.detail;
    // The logged line of this event closest to the journaled instant.
    int best = -1;
    double best_err = 1e18;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (used[e.node][i] || lines[i].message != want) continue;
      const double err = (e.at - run_ns(lines[i].unix_us * 1000 + 500000)) / 1e6;
      if (std::abs(err) < std::abs(best_err)) best = static_cast<int>(i), best_err = err;
    }
    if (best < 0) {
      ++c.unmatched;
      if (c.unmatched_events.size() < 20)
        c.unmatched_events.push_back(e.node + " " + want + " (source " + e.source + ")");
      continue;
    }
    used[e.node][best] = true;
    c.sentinel_error_ms.push_back(best_err);
    if (e.source == "sentinel-log") c.pubsub_lag_ms.push_back(e.value / 1e6);
  }

  // Promotions: the server's own log line, the journal, the role poll.
  for (auto& dir : fs::directory_iterator(servers)) {
    const std::string node = dir.path().filename();
    for (auto& l : Lines((dir.path() / "redis.log").string())) {
      auto p = observer::ParseRedisLogLine(l);
      if (!p || p->message.rfind("MASTER MODE enabled", 0) != 0) continue;
      const int64_t at = run_ns(p->unix_us * 1000 + 500000);
      if (at < 0) continue;
      ++c.promotions_logged;
      for (const Event& e : events)
        if (e.type == "became-master" && e.node == node && std::abs(e.at - at) < 50'000'000) {
          ++c.promotions_journaled;
          c.promotion_error_ms.push_back((e.at - at) / 1e6);
          for (const Event& role : events)
            if (role.type == "role" && role.node == node && role.role == "master" && role.at >= e.at - 1'000'000) {
              c.promotion_poll_lag_ms.push_back((role.at - e.at) / 1e6);
              break;
            }
          break;
        }
    }
  }

  // VIP moves: the hook's own stamps, the journal, the poll.
  std::set<std::string> holders;
  for (auto& l : Lines((servers / "vip-events.log").string())) {
    auto p = observer::ParseVipHookLine(l);
    if (!p) continue;
    if (p->add) holders.insert(p->node);
    else holders.erase(p->node);
    const int64_t at = run_ns(p->unix_ns);
    if (at <= 0) continue;  // the initial VIP, before the run's clock started
    std::string now;
    for (auto& h : holders) now += (now.empty() ? "" : ",") + h;
    ++c.vip_moves_logged;
    for (const Event& e : events)
      if (e.type == "vip" && e.source == "vip-hook" && e.node == now && std::abs(e.at - at) < 50'000'000) {
        ++c.vip_moves_journaled;
        c.vip_error_ms.push_back((e.at - at) / 1e6);
        for (const Event& poll : events)
          if (poll.type == "vip-poll" && poll.node == now && poll.at >= e.at - 1'000'000) {
            c.vip_poll_lag_ms.push_back((poll.at - e.at) / 1e6);
            break;
          }
        break;
      }
  }
  return c;
}

}  // namespace sc::runner
