// Owning handles for hiredis objects and the one way to send a command and to
// write a timeout, shared by every part that talks to redis: the load
// generator and the local test servers (data side), the observer and the
// topology's control calls.
#pragma once

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sc::redis {

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using Context = std::unique_ptr<redisContext, ContextDeleter>;

// Sends one command, binary-safe. A null reply means the transport failed
// (see c->err / c->errstr; the context is then dead, per hiredis 0.14).
inline Reply Command(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  return Reply(static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(args.size()), argv.data(), lens.data())));
}

inline timeval ToTimeval(int64_t ns) {
  timeval tv;
  tv.tv_sec = ns / 1'000'000'000;
  tv.tv_usec = (ns % 1'000'000'000) / 1000;
  return tv;
}

}  // namespace sc::redis
