#include "topology/options.h"

#include <arpa/inet.h>

#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>

namespace sc::topology {

const char* ToString(Kind k) {
  switch (k) {
    case Kind::kSingle: return "single";
    case Kind::kSentinel1: return "sentinel1";
    case Kind::kSentinel2: return "sentinel2";
    case Kind::kSentinel3: return "sentinel3";
  }
  return "?";
}

std::optional<Kind> ParseKind(const std::string& s) {
  for (Kind k : {Kind::kSingle, Kind::kSentinel1, Kind::kSentinel2, Kind::kSentinel3})
    if (s == ToString(k)) return k;
  return std::nullopt;
}

int Options::Hosts() const {
  switch (kind) {
    case Kind::kSingle: return 1;
    case Kind::kSentinel1:
    case Kind::kSentinel2: return 2;
    case Kind::kSentinel3: return 3;
  }
  return 0;
}

int Options::Servers() const {
  switch (kind) {
    case Kind::kSingle: return 1;
    case Kind::kSentinel1:
    case Kind::kSentinel2: return 2;
    case Kind::kSentinel3: return 1 + replicas;
  }
  return 0;
}

int Options::Sentinels() const { return static_cast<int>(SentinelHosts().size()); }

std::vector<int> Options::SentinelHosts() const {
  switch (kind) {
    case Kind::kSingle: return {};
    case Kind::kSentinel1: return {1};
    case Kind::kSentinel2: return {1, 2};
    case Kind::kSentinel3: return {1, 2, 3};
  }
  return {};
}

int Options::EffectiveQuorum() const {
  if (quorum > 0) return quorum;
  return Sentinels() / 2 + 1;
}

const std::vector<std::string>& OptionNames() {
  static const std::vector<std::string> names = {
      "topology",         "replicas",      "quorum",
      "down-after",       "failover-timeout", "min-replicas-to-write",
      "min-replicas-max-lag", "persistence", "appendfsync",
      "vip",              "supervisor",    "supervisor-delay",
      "requirepass",      "subnet",        "port",
      "sentinel-port",    "master-name"};
  return names;
}

std::optional<int64_t> ParseDurationNs(const std::string& s) {
  if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.')) return std::nullopt;
  size_t pos = 0;
  double v = 0;
  try {
    v = std::stod(s, &pos);
  } catch (...) {
    return std::nullopt;
  }
  if (v < 0 || !std::isfinite(v)) return std::nullopt;
  const std::string unit = s.substr(pos);
  double scale;
  if (unit.empty() || unit == "ms") scale = 1e6;
  else if (unit == "s") scale = 1e9;
  else if (unit == "us") scale = 1e3;
  else if (unit == "ns") scale = 1;
  else if (unit == "m" || unit == "min") scale = 60e9;
  else return std::nullopt;
  return static_cast<int64_t>(std::llround(v * scale));
}

namespace {

std::optional<int> ParseInt(const std::string& s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  return std::stoi(s);
}

std::optional<bool> ParseBool(const std::string& s) {
  if (s == "on" || s == "true" || s == "yes" || s == "1") return true;
  if (s == "off" || s == "false" || s == "no" || s == "0") return false;
  return std::nullopt;
}

std::string Bad(const std::string& name, const std::string& value, const std::string& accepted) {
  return "option '" + name + "': '" + value + "' is not valid; expected " + accepted;
}

std::optional<std::string> SetMs(int& field, const std::string& name, const std::string& value) {
  auto ns = ParseDurationNs(value);
  if (!ns) return Bad(name, value, "a duration such as 500ms or 1s");
  field = static_cast<int>(*ns / 1000000);
  return std::nullopt;
}

std::optional<std::string> SetInt(int& field, const std::string& name, const std::string& value) {
  auto v = ParseInt(value);
  if (!v) return Bad(name, value, "a whole number");
  field = *v;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> SetOption(Options& o, const std::string& name, const std::string& value) {
  if (name == "topology" || name == "kind") {
    auto k = ParseKind(value);
    if (!k) return Bad(name, value, "single, sentinel1, sentinel2 or sentinel3");
    o.kind = *k;
    if (o.kind == Kind::kSingle) o.replicas = 0;
    else if (o.kind != Kind::kSentinel3) o.replicas = 1;
    else if (o.replicas < 1) o.replicas = 2;
    return std::nullopt;
  }
  if (name == "replicas") return SetInt(o.replicas, name, value);
  if (name == "quorum") return SetInt(o.quorum, name, value);
  if (name == "down-after" || name == "down-after-milliseconds") return SetMs(o.down_after_ms, name, value);
  if (name == "failover-timeout") return SetMs(o.failover_timeout_ms, name, value);
  if (name == "min-replicas-to-write") return SetInt(o.min_replicas_to_write, name, value);
  if (name == "min-replicas-max-lag") {
    // Redis takes seconds; accept "1", "1s".
    auto ns = ParseDurationNs(value.find_first_not_of("0123456789") == std::string::npos ? value + "s" : value);
    if (!ns || *ns % 1000000000 != 0) return Bad(name, value, "a whole number of seconds such as 1 or 10s");
    o.min_replicas_max_lag = static_cast<int>(*ns / 1000000000);
    return std::nullopt;
  }
  if (name == "persistence") {
    if (value == "none") o.persistence = Persistence::kNone;
    else if (value == "rdb") o.persistence = Persistence::kRdb;
    else if (value == "aof") o.persistence = Persistence::kAof;
    else return Bad(name, value, "none, rdb or aof");
    return std::nullopt;
  }
  if (name == "appendfsync") {
    if (value != "always" && value != "everysec" && value != "no")
      return Bad(name, value, "always, everysec or no");
    o.appendfsync = value;
    return std::nullopt;
  }
  if (name == "vip" || name == "supervisor") {
    auto b = ParseBool(value);
    if (!b) return Bad(name, value, "on or off");
    (name == "vip" ? o.vip : o.supervisor) = *b;
    return std::nullopt;
  }
  if (name == "supervisor-delay") return SetMs(o.supervisor_restart_delay_ms, name, value);
  if (name == "requirepass") {
    for (char c : value)
      if (c <= ' ' || c == '"' || c == '\'' || c == '\\')
        return Bad(name, value, "a password without spaces, quotes or backslashes");
    o.requirepass = value;
    return std::nullopt;
  }
  if (name == "subnet") {
    in_addr a{};
    auto slash = value.find('/');
    if (slash == std::string::npos || value.substr(slash) != "/24" ||
        inet_pton(AF_INET, value.substr(0, slash).c_str(), &a) != 1 || (ntohl(a.s_addr) & 0xff) != 0)
      return Bad(name, value, "a /24 network such as 10.213.7.0/24");
    // The test network must never be mistaken for someone else's: only the
    // private ranges of RFC 1918.
    const uint32_t net = ntohl(a.s_addr);
    const bool is_private = (net >> 24) == 10 || (net >> 20) == (172u << 4 | 1) || (net >> 16) == (192u << 8 | 168);
    if (!is_private)
      return Bad(name, value, "a private network (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) such as 10.213.7.0/24");
    o.subnet = value;
    return std::nullopt;
  }
  if (name == "port") return SetInt(o.port, name, value);
  if (name == "sentinel-port") return SetInt(o.sentinel_port, name, value);
  if (name == "master-name") {
    if (value.empty() || value.find_first_of(" \t\"'") != std::string::npos)
      return Bad(name, value, "a name without spaces or quotes");
    o.master_name = value;
    return std::nullopt;
  }
  return "unknown topology option '" + name + "'";
}

std::vector<std::string> Validate(const Options& o) {
  std::vector<std::string> errs;
  const std::string kind = ToString(o.kind);
  if (o.kind == Kind::kSingle && o.replicas != 0)
    errs.push_back("replicas=" + std::to_string(o.replicas) + " is not possible with topology single (it has no replica)");
  if ((o.kind == Kind::kSentinel1 || o.kind == Kind::kSentinel2) && o.replicas != 1)
    errs.push_back("replicas=" + std::to_string(o.replicas) + " is not possible with topology " + kind + " (it has exactly 1 replica)");
  if (o.kind == Kind::kSentinel3 && (o.replicas < 1 || o.replicas > 2))
    errs.push_back("replicas=" + std::to_string(o.replicas) + " is not possible with topology sentinel3 (1 or 2 replicas on its three servers)");
  if (o.quorum < 0) errs.push_back("quorum must be at least 1");
  if (o.quorum > 0 && o.kind == Kind::kSingle)
    errs.push_back("quorum is meaningless with topology single (it has no Sentinel)");
  else if (o.quorum > o.Sentinels())
    errs.push_back("quorum=" + std::to_string(o.quorum) + " is larger than the " + std::to_string(o.Sentinels()) +
                   " Sentinel(s) of topology " + kind + ": no failover could ever be agreed");
  if (o.down_after_ms <= 0) errs.push_back("down-after must be more than 0 ms (Sentinel rejects 0)");
  if (o.failover_timeout_ms <= 0) errs.push_back("failover-timeout must be more than 0 ms");
  if (o.min_replicas_to_write < 0 || o.min_replicas_to_write > o.replicas)
    errs.push_back("min-replicas-to-write=" + std::to_string(o.min_replicas_to_write) +
                   " needs that many replicas, but topology " + kind + " has " + std::to_string(o.replicas) +
                   ": the master would refuse every write");
  if (o.min_replicas_max_lag < 1) errs.push_back("min-replicas-max-lag must be at least 1 second");
  if (o.persistence != Persistence::kAof && o.appendfsync != "everysec")
    errs.push_back("appendfsync applies only with persistence=aof");
  if (o.port < 1 || o.port > 65535) errs.push_back("port must be between 1 and 65535");
  if (o.sentinel_port < 1 || o.sentinel_port > 65535 || o.sentinel_port == o.port)
    errs.push_back("sentinel-port must be between 1 and 65535 and differ from port");
  if (o.supervisor_restart_delay_ms < 0) errs.push_back("supervisor-delay must not be negative");
  return errs;
}

Options FromJsonFile(const std::string& path, std::vector<std::string>& errors) {
  Options o;
  std::ifstream in(path);
  if (!in) {
    errors.push_back(path + ": cannot read the topology file");
    return o;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // Turn the byte offset into line:column for the person fixing the file.
    size_t off = e.byte == 0 ? 0 : e.byte - 1, line = 1, col = 1;
    for (size_t i = 0; i < off && i < text.size(); ++i) {
      if (text[i] == '\n') { ++line; col = 1; } else { ++col; }
    }
    std::string what = e.what();
    auto p = what.find("syntax error");
    errors.push_back(path + ":" + std::to_string(line) + ":" + std::to_string(col) +
                     ": malformed JSON (" + (p == std::string::npos ? what : what.substr(p)) + ")");
    return o;
  }
  return FromJson(j, path, errors);
}

Options FromJson(const nlohmann::json& j, const std::string& path, std::vector<std::string>& errors) {
  Options o;
  if (!j.is_object()) {
    errors.push_back(path + ": a topology must be a JSON object such as {\"topology\": \"sentinel3\"}");
    return o;
  }
  // The kind first: it sets defaults for replicas.
  if (j.contains("topology")) {
    const auto& v = j["topology"];
    if (auto e = SetOption(o, "topology", v.is_string() ? v.get<std::string>() : v.dump()))
      errors.push_back(path + ": " + *e);
  }
  for (auto& [k, v] : j.items()) {
    if (k == "topology") continue;
    std::string value = v.is_string() ? v.get<std::string>() : v.is_boolean() ? (v.get<bool>() ? "on" : "off") : v.dump();
    if (k == "subnet" && value.empty()) continue;
    if (auto e = SetOption(o, k, value)) errors.push_back(path + ": " + *e);
  }
  return o;
}

nlohmann::json ToJson(const Options& o, bool with_secrets) {
  const char* pers = o.persistence == Persistence::kNone ? "none" : o.persistence == Persistence::kRdb ? "rdb" : "aof";
  return {{"topology", ToString(o.kind)},
          {"replicas", o.replicas},
          {"quorum", o.quorum},
          {"down-after", std::to_string(o.down_after_ms) + "ms"},
          {"failover-timeout", std::to_string(o.failover_timeout_ms) + "ms"},
          {"min-replicas-to-write", o.min_replicas_to_write},
          {"min-replicas-max-lag", o.min_replicas_max_lag},
          {"persistence", pers},
          {"appendfsync", o.appendfsync},
          {"vip", o.vip},
          {"supervisor", o.supervisor},
          {"supervisor-delay", std::to_string(o.supervisor_restart_delay_ms) + "ms"},
          {"requirepass", with_secrets || o.requirepass.empty() ? o.requirepass : "(set)"},
          {"subnet", o.subnet},
          {"port", o.port},
          {"sentinel-port", o.sentinel_port},
          {"master-name", o.master_name}};
}

}  // namespace sc::topology
