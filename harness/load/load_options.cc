#include "harness/load/load_options.h"

#include "harness/load/drivers.h"
#include "harness/load/workload.h"

#include "topology/options.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace sc::load {
namespace {

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Parses a whole decimal number ("12", "1.5"); nullopt on anything else.
std::optional<double> ParseNumber(const std::string& s) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(s.c_str(), &end);
  if (errno != 0 || end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<int64_t> ParseInt(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

std::string DurationError(const std::string& name, const std::string& value) {
  return name + " must be a duration like 500ms, 1s, 1.5s or 2m (got " + Quote(value) + ")";
}

std::string FormatNs(int64_t ns) {
  std::ostringstream out;
  if (ns % 1'000'000 == 0) {
    out << ns / 1'000'000 << "ms";
  } else {
    out << ns << "ns";
  }
  return out.str();
}

}  // namespace

const char* ToString(Via v) {
  switch (v) {
    case Via::kVip: return "vip";
    case Via::kSentinel: return "sentinel";
    case Via::kDirect: return "direct";
  }
  return "?";
}

const std::vector<std::string>& LoadOptionNames() {
  static const std::vector<std::string> kNames = {
      "clients", "workload", "via",     "server",   "rate", "duration",
      "connect-timeout", "timeout", "reads", "key", "key-ops", "client", "profile"};
  return kNames;
}

std::optional<std::string> SetLoadOption(LoadOptions& o, const std::string& name,
                                         const std::string& value) {
  if (name == "clients") {
    auto v = ParseInt(value);
    if (!v || *v < INT32_MIN || *v > INT32_MAX)
      return "clients must be a whole number (got " + Quote(value) + ")";
    o.clients = static_cast<int>(*v);
    return std::nullopt;
  }
  if (name == "workload") {
    if (!Workloads().Find(value)) return "workload must be " + Workloads().NameList() + " (got " + Quote(value) + ")";
    o.workload = value;
    return std::nullopt;
  }
  if (name == "via") {
    if (value == "vip") o.via = Via::kVip;
    else if (value == "sentinel") o.via = Via::kSentinel;
    else if (value == "direct") o.via = Via::kDirect;
    else return "via must be vip, sentinel or direct (got " + Quote(value) + ")";
    return std::nullopt;
  }
  if (name == "server") {
    if (value.empty()) return std::string("server must name a server, e.g. n1 (got '')");
    o.direct_server = value;
    return std::nullopt;
  }
  if (name == "rate") {
    if (value == "max") {
      o.rate = 0;
      return std::nullopt;
    }
    std::string number = value;
    if (number.size() > 2 && number.compare(number.size() - 2, 2, "/s") == 0)
      number.resize(number.size() - 2);
    auto v = ParseNumber(number);
    if (!v) return "rate must be max or a number of operations per second like 1000 (got " + Quote(value) + ")";
    if (!(*v > 0))
      return "rate must be max (as fast as the servers answer) or a number of operations per second above 0 (got " +
             Quote(value) + ")";
    o.rate = *v;
    return std::nullopt;
  }
  if (name == "duration" || name == "connect-timeout" || name == "timeout") {
    auto ns = topology::ParseDurationNs(value);
    if (!ns) return DurationError(name, value);
    if (name == "duration") o.duration_ns = *ns;
    else if (name == "connect-timeout") o.connect_timeout_ns = *ns;
    else o.command_timeout_ns = *ns;
    if (name != "duration") o.timeouts_given = true;
    return std::nullopt;
  }
  if (name == "reads") {
    std::string number = value;
    double scale = 1;
    if (!number.empty() && number.back() == '%') {
      number.pop_back();
      scale = 100;
    }
    auto v = ParseNumber(number);
    if (!v) return "reads must be a fraction like 0.5 or a percentage like 50% (got " + Quote(value) + ")";
    o.read_fraction = *v / scale;
    return std::nullopt;
  }
  if (name == "key") {
    if (value.empty()) return std::string("key must not be empty");
    o.key = value;
    return std::nullopt;
  }
  if (name == "client") {
    auto names = ClientNames();
    if (std::find(names.begin(), names.end(), value) == names.end()) {
      std::string list;
      for (auto& n : names) list += (list.empty() ? "" : ", ") + n;
      return "client must be one of " + list + " (got " + Quote(value) + ")";
    }
    o.client = value;
    return std::nullopt;
  }
  if (name == "profile") {
    if (value != "defaults" && value != "tuned")
      return "profile must be defaults or tuned (got " + Quote(value) + ")";
    o.profile = value;
    return std::nullopt;
  }
  if (name == "key-ops") {
    auto v = ParseInt(value);
    if (!v || *v < 0) return "key-ops must be 0 (one key) or a number of elements per key (got " + Quote(value) + ")";
    o.key_ops = *v;
    return std::nullopt;
  }
  return "unknown load option " + Quote(name);
}

std::string EffectiveProfile(const LoadOptions& o) {
  if (o.client == kHiredis) return "";
  return o.profile.empty() ? "defaults" : o.profile;
}

std::string GenerationKey(const LoadOptions& o, int client, uint64_t generation) {
  if (o.key_ops <= 0) return o.key;
  return o.key + ":" + std::to_string(client) + ":" + std::to_string(generation);
}

std::string KeyOf(const LoadOptions& o, int client, uint64_t seq) {
  return GenerationKey(o, client, GenerationOf(o, seq));
}

std::string KeyPattern(const LoadOptions& o) { return o.key_ops > 0 ? o.key + ":*" : ""; }

std::vector<std::string> ValidateLoad(const LoadOptions& o) {
  std::vector<std::string> problems;
  if (o.clients < 1)
    problems.push_back("clients must be at least 1 (got " + std::to_string(o.clients) + ")");
  if (o.clients > 1000)
    problems.push_back("clients must be at most 1000, one thread each (got " +
                       std::to_string(o.clients) + ")");
  if (!(o.rate >= 0)) {
    std::ostringstream r;
    r << o.rate;
    problems.push_back("rate must be max or a positive number of operations per second (got " +
                       r.str() + ")");
  }
  if (o.duration_ns <= 0)
    problems.push_back("duration must be longer than 0 (got " + FormatNs(o.duration_ns) + ")");
  if (o.connect_timeout_ns <= 0)
    problems.push_back("connect-timeout must be longer than 0 (got " +
                       FormatNs(o.connect_timeout_ns) + ")");
  if (o.command_timeout_ns <= 0)
    problems.push_back("timeout must be longer than 0 (got " + FormatNs(o.command_timeout_ns) + ")");
  if (!(o.read_fraction >= 0 && o.read_fraction <= 1)) {
    std::ostringstream r;
    r << o.read_fraction;
    problems.push_back("reads must be between 0 and 1 (got " + r.str() + ")");
  }
  if (o.key.empty()) problems.push_back("key must not be empty");
  if (o.client == kHiredis && !o.profile.empty())
    problems.push_back("profile=" + o.profile + " is for client libraries; hiredis takes timeout= and connect-timeout=");
  if (o.client != kHiredis && o.timeouts_given)
    problems.push_back("timeout= and connect-timeout= are hiredis settings; client=" + o.client +
                       " takes its timeouts from profile=defaults or profile=tuned");
  if (o.client != kHiredis && o.workload != "set" && o.workload != "counter" && o.workload != "mixed")
    problems.push_back("client=" + o.client + " drives workload=set, counter or mixed (docs/client-drivers.md; got workload=" +
                       o.workload + ")");
  if (o.key_ops > 0 && o.client != kHiredis)
    problems.push_back("key-ops works with client=hiredis only (the drivers write one key; got client=" + o.client + ")");
  if (const WorkloadKind* w = Workloads().Find(o.workload); !w)
    problems.push_back("workload must be " + Workloads().NameList() + " (got " + Quote(o.workload) + ")");
  else if (o.key_ops > 0 && !w->key_ops) {
    std::string with;
    for (const auto& k : Workloads().All())
      if (k.key_ops) with += (with.empty() ? "" : " or ") + ("workload=" + k.name);
    problems.push_back("key-ops works with " + with + " only (got workload=" + o.workload + ")");
  }
  if (o.via == Via::kDirect && o.direct_server.empty())
    problems.push_back("via=direct needs server=<node name>, e.g. server=n1");
  return problems;
}

std::vector<std::string> FinalReadCommand(const LoadOptions& o) {
  if (WorkloadOf(o).shape == DataShape::kCounter) return {"GET", o.key};
  return {"SMEMBERS", o.key};
}

}  // namespace sc::load
