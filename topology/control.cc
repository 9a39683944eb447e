#include "topology/control.h"

#include "common/hiredis.h"

#include <csignal>
#include <sstream>

namespace sc::topology {
namespace {

// A server that dies while we write to it (or an SSH forward that closes)
// must be an error reply, not a SIGPIPE that ends the harness: every program
// that talks to redis ignores SIGPIPE (its children get the default back).
[[maybe_unused]] const bool kSigpipeIgnored = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();

void Flatten(const redisReply* r, std::vector<std::string>& out) {
  if (r->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 0; i < r->elements; ++i) Flatten(r->element[i], out);
  } else if (r->type == REDIS_REPLY_INTEGER) {
    out.push_back(std::to_string(r->integer));
  } else if (r->type == REDIS_REPLY_NIL) {
    out.push_back("");
  } else {
    out.emplace_back(r->str, r->len);
  }
}

Reply Command(redisContext* c, const std::vector<std::string>& args) {
  Reply out;
  redis::Reply reply = redis::Command(c, args);
  const redisReply* r = reply.get();
  if (!r) {
    out.text = c->errstr[0] ? c->errstr : "no reply";
    return out;
  }
  out.ok = r->type != REDIS_REPLY_ERROR;
  if (r->type == REDIS_REPLY_ARRAY) {
    Flatten(r, out.items);
    std::ostringstream s;
    for (size_t i = 0; i < out.items.size(); ++i) s << (i ? "\n" : "") << out.items[i];
    out.text = s.str();
  } else {
    std::vector<std::string> one;
    Flatten(r, one);
    out.text = one.empty() ? "" : one[0];
  }
  return out;
}

Reply Run(redisContext* c, const std::vector<std::string>& args, const std::string& password, int timeout_ms) {
  Reply out;
  if (!c || c->err) {
    out.text = c ? c->errstr : "cannot allocate a redis context";
    if (c) redisFree(c);
    return out;
  }
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  redisSetTimeout(c, tv);
  if (!password.empty()) {
    Reply auth = Command(c, {"AUTH", password});
    if (!auth.ok) {
      redisFree(c);
      return auth;
    }
  }
  out = Command(c, args);
  redisFree(c);
  return out;
}

}  // namespace

Reply Ask(const std::string& socket_path, const std::vector<std::string>& args, const std::string& password,
          int timeout_ms) {
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  return Run(redisConnectUnixWithTimeout(socket_path.c_str(), tv), args, password, timeout_ms);
}

Reply AskTcp(const std::string& host, int port, const std::vector<std::string>& args, const std::string& password,
             int timeout_ms) {
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  return Run(redisConnectWithTimeout(host.c_str(), port, tv), args, password, timeout_ms);
}

std::string InfoField(const std::string& info, const std::string& key) {
  std::istringstream in(info);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() > key.size() && line.compare(0, key.size(), key) == 0 && line[key.size()] == ':')
      return line.substr(key.size() + 1);
  }
  return "";
}

std::string PairField(const std::vector<std::string>& items, const std::string& key) {
  for (size_t i = 0; i + 1 < items.size(); i += 2)
    if (items[i] == key) return items[i + 1];
  return "";
}

}  // namespace sc::topology
