// What load to drive through the service: pure data plus validation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sc::load {

// How a client finds the master.
enum class Via { kVip, kSentinel, kDirect };

// The built-in client library (the load generator's own hiredis clients).
inline constexpr const char* kHiredis = "hiredis";

struct LoadOptions {
  int clients = 8;
  std::string workload = "set";     // a name of the workload registry (workload.h)
  Via via = Via::kVip;
  std::string direct_server = "n1";   // via=direct: which server (node name)
  double rate = 0;                    // total ops/s over all clients; 0 = max (closed loop)
  int64_t duration_ns = 30'000'000'000;
  int64_t connect_timeout_ns = 100'000'000;   // 100 ms
  int64_t command_timeout_ns = 100'000'000;   // 100 ms
  double read_fraction = 0.5;         // mixed only: share of reads
  std::string key = "sc:set";         // the key the workload writes (set / counter)
  // Which client library drives the load: "hiredis" (built in, the
  // reference) or a driver under drivers/ (drivers.h).
  std::string client = "hiredis";
  // Library drivers only: "defaults" (as the library ships) or "tuned" (what
  // its docs recommend for failover). "" = not given (defaults).
  std::string profile;
  bool timeouts_given = false;        // timeout= or connect-timeout= was written
  // Set workload: 0 = every element goes to `key`; N > 0 = each client writes
  // N elements to one key, then moves on to the next ("KEY:CLIENT:GENERATION",
  // KeyOf), so that finished keys can be read, checked and deleted while the
  // run goes on and Redis's memory stays bounded (Jepsen's independent keys).
  int64_t key_ops = 0;
};

// The profile a load runs with: "" for hiredis, else profile or "defaults".
std::string EffectiveProfile(const LoadOptions& o);

// The key an element of (client, seq) goes to.
std::string KeyOf(const LoadOptions& o, int client, uint64_t seq);
// The generation of a client's seq (always 0 when key_ops = 0).
inline uint64_t GenerationOf(const LoadOptions& o, uint64_t seq) {
  return o.key_ops > 0 ? seq / static_cast<uint64_t>(o.key_ops) : 0;
}
// KEY:CLIENT:GENERATION.
std::string GenerationKey(const LoadOptions& o, int client, uint64_t generation);
// SCAN MATCH pattern of every key the workload writes ("" when it is only `key`).
std::string KeyPattern(const LoadOptions& o);

const char* ToString(Via v);

// Names of every option accepted by SetLoadOption, for "did you mean".
const std::vector<std::string>& LoadOptionNames();
// clients=8, workload=NAME (workload.h: set|counter|mixed), via=vip|sentinel|direct, server=n2,
// rate=max|1000, duration=30s, connect-timeout=100ms, timeout=100ms, reads=0.5,
// key-ops=0|50000, client=hiredis|redis-py|ioredis|redis-rb (any driver folder),
// profile=defaults|tuned.
// Returns an error sentence, or nullopt when taken.
std::optional<std::string> SetLoadOption(LoadOptions& o, const std::string& name, const std::string& value);
// The command that reads back everything the workload wrote (the final read):
// by the workload's shape: GET key for a counter, SMEMBERS key for elements.
std::vector<std::string> FinalReadCommand(const LoadOptions& o);

// Every problem with the combination (0 clients, negative rate ...), one sentence each.
std::vector<std::string> ValidateLoad(const LoadOptions& o);

}  // namespace sc::load
