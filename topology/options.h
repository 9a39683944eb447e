// What a topology is made of: the architecture kind and every option of `up`.
// Pure data plus validation; no system calls.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sc::topology {

enum class Kind { kSingle, kSentinel1, kSentinel2, kSentinel3 };
enum class Persistence { kNone, kRdb, kAof };

const char* ToString(Kind k);
std::optional<Kind> ParseKind(const std::string& s);

struct Options {
  Kind kind = Kind::kSentinel3;
  int replicas = 2;                 // 1 or 2 (sentinel3); sentinel1/2 always 1; single 0
  int quorum = 0;                   // 0 = majority of the Sentinels
  int down_after_ms = 1000;         // Sentinel down-after-milliseconds (> 0)
  int failover_timeout_ms = 5000;   // Sentinel failover-timeout
  int min_replicas_to_write = 0;    // redis min-replicas-to-write
  int min_replicas_max_lag = 10;    // redis min-replicas-max-lag (seconds)
  Persistence persistence = Persistence::kNone;
  std::string appendfsync = "everysec";  // always | everysec | no (aof only)
  bool vip = true;
  bool supervisor = false;
  int supervisor_restart_delay_ms = 0;  // extra delay before supervisord restarts a process
  std::string requirepass;          // "" = no password
  std::string subnet;               // "" = pick a free 10.213.X.0/24; else "A.B.C.0/24"
  int port = 6379;
  int sentinel_port = 26379;
  std::string master_name = "mymaster";

  // Derived counts.
  int Servers() const;     // redis servers (= hosts that hold data): single 1, s1/s2 2, s3 1+replicas
  int Sentinels() const;   // 0, 1, 2, 3
  int Hosts() const;       // hosts of the topology: sentinel1 puts its Sentinel on a third host? no: on n1
  int EffectiveQuorum() const;  // quorum, or majority of Sentinels when 0
  // Which server (1-based) hosts a Sentinel: sentinel1 -> {1}, sentinel2 -> {1,2}, sentinel3 -> {1,2,3}.
  std::vector<int> SentinelHosts() const;
};

// Names of every option accepted by SetOption, for "did you mean" and help.
const std::vector<std::string>& OptionNames();

// Sets one option from text ("replicas", "2"; "down-after", "1s"; "vip", "on").
// Durations accept "500ms", "1s", "1.5s" or a bare number of ms.
// Returns an error sentence naming the option and the accepted values, or
// nullopt when the value was taken.
std::optional<std::string> SetOption(Options& o, const std::string& name, const std::string& value);

// Checks the combination (quorum larger than the Sentinels, replicas 5,
// replicas with single, ...). Returns every problem, one sentence each.
std::vector<std::string> Validate(const Options& o);

// Reads options from a JSON topology file: {"topology": "sentinel3", "replicas": 2, ...}
// (keys are option names; values strings, numbers or booleans). Errors name the
// file and, for malformed JSON, the line and column. Appends to `errors`.
Options FromJsonFile(const std::string& path, std::vector<std::string>& errors);
// Every option as {name: value}; `with_secrets` keeps requirepass (state files only).
nlohmann::json ToJson(const Options& o, bool with_secrets = false);
// Applies {name: value, ...} (as ToJson writes or a topology file holds); errors
// are prefixed with `where`.
Options FromJson(const nlohmann::json& j, const std::string& where, std::vector<std::string>& errors);

// Parses "1s", "500ms", "2.5s", "250" (ms), "1m", "250us", "10ns". Returns nanoseconds.
// The one duration syntax of the whole program (options, load, scenario).
std::optional<int64_t> ParseDurationNs(const std::string& s);

}  // namespace sc::topology
