// The harness's control plane: short requests to redis and Sentinel over their
// unix sockets (which no network fault cuts). Each call connects, asks and
// closes, bounded by a timeout, so a frozen process never blocks the caller.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sc::topology {

// A reply flattened to text: status and bulk strings as they are, integers in
// decimal, arrays one element per line (nested arrays flattened), nil as "".
struct Reply {
  bool ok = false;        // transport worked and the reply was not an error
  std::string text;       // the reply, or the error text
  std::vector<std::string> items;  // array elements (flattened), else empty
};

// Sends one command on a unix socket (AUTH first when `password` is set).
Reply Ask(const std::string& socket_path, const std::vector<std::string>& args,
          const std::string& password = "", int timeout_ms = 200);

// Sends one command over TCP, from the calling thread's network namespace.
Reply AskTcp(const std::string& host, int port, const std::vector<std::string>& args,
             const std::string& password = "", int timeout_ms = 200);

// "key:value" lookup in an INFO reply.
std::string InfoField(const std::string& info, const std::string& key);
// Value after `key` in a flat key/value array reply (SENTINEL master).
std::string PairField(const std::vector<std::string>& items, const std::string& key);

}  // namespace sc::topology
