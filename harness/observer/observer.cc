#include "harness/observer/observer.h"

#include <poll.h>
#include <signal.h>
#include <sys/time.h>

#include <cstdlib>
#include <cstring>
#include <optional>

#include "common/hiredis.h"
#include "harness/observer/log_tail.h"

namespace sc::observer {
namespace {

using redis::Context;
using redis::Reply;

// Writes to a socket whose server died raise SIGPIPE in the writing thread;
// blocked, write() just fails with EPIPE.
void BlockSigpipeInThisThread() {
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
}

bool IsTimeout(const redisContext* c) {
  return std::strstr(c->errstr, "temporarily unavailable") || std::strstr(c->errstr, "timed out");
}

std::string String(const redisReply* r) {
  if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS ||
      r->type == REDIS_REPLY_ERROR)
    return std::string(r->str, r->len);
  if (r->type == REDIS_REPLY_INTEGER) return std::to_string(r->integer);
  return "";
}

// The outcome of one control-plane request.
struct Answer {
  enum Status { kOk, kDown, kTimeout, kError } status = kOk;
  Reply reply;      // kOk: the reply (never an error reply)
  std::string why;  // otherwise: what went wrong
};

// A control-plane connection over a unix socket, opened on demand and
// dropped after any transport error.
class ControlConnection {
 public:
  ControlConnection(std::string socket, std::string password, std::chrono::milliseconds timeout)
      : socket_(std::move(socket)), password_(std::move(password)), timeout_(timeout) {}

  Answer Ask(const std::vector<std::string>& args) {
    const bool reused = ctx_ != nullptr;
    Answer a = AskOnce(args);
    // A reused connection may have been closed under us (server restarted):
    // only a fresh connection's failure says the server is down.
    if (reused && a.status == Answer::kDown) a = AskOnce(args);
    return a;
  }

  // Opens the connection (AUTH included). False with `a` filled on failure.
  bool Open(Answer* a) {
    ctx_.reset(redisConnectUnixWithTimeout(socket_.c_str(), redis::ToTimeval(std::chrono::nanoseconds(timeout_).count())));
    if (!ctx_ || ctx_->err) {
      a->status = ctx_ && IsTimeout(ctx_.get()) ? Answer::kTimeout : Answer::kDown;
      a->why = ctx_ ? ctx_->errstr : "out of memory";
      ctx_.reset();
      return false;
    }
    redisSetTimeout(ctx_.get(), redis::ToTimeval(std::chrono::nanoseconds(timeout_).count()));
    ++opens_;
    if (!password_.empty()) {
      // An error reply (no password configured) is fine: only transport matters.
      Reply r(static_cast<redisReply*>(redisCommand(ctx_.get(), "AUTH %s", password_.c_str())));
      if (!r) {
        TransportFailure(a);
        return false;
      }
    }
    return true;
  }

  redisContext* get() { return ctx_.get(); }
  // How many times a connection was opened: a new one may be a new process.
  int opens() const { return opens_; }
  void Close() { ctx_.reset(); }

 private:
  Answer AskOnce(const std::vector<std::string>& args) {
    Answer a;
    if (!ctx_ && !Open(&a)) return a;
    a.reply = redis::Command(ctx_.get(), args);
    if (!a.reply) {
      TransportFailure(&a);
    } else if (a.reply->type == REDIS_REPLY_ERROR) {
      a.status = Answer::kError;
      a.why = String(a.reply.get());
      a.reply.reset();
    }
    return a;
  }

  void TransportFailure(Answer* a) {
    a->status = IsTimeout(ctx_.get()) ? Answer::kTimeout : Answer::kDown;
    a->why = ctx_->err == REDIS_ERR_EOF ? "connection closed" : ctx_->errstr;
    ctx_.reset();
  }

  const std::string socket_;
  const std::string password_;
  const std::chrono::milliseconds timeout_;
  Context ctx_;
  int opens_ = 0;
};

}  // namespace

Observer::Observer(std::vector<NodeInfo> nodes, std::string master_name, std::string password,
                   const RunClock& clock, JournalWriter& journal, ObserverSettings settings)
    : nodes_(std::move(nodes)),
      master_name_(std::move(master_name)),
      password_(std::move(password)),
      clock_(clock),
      journal_(journal),
      settings_(settings) {}

Observer::~Observer() { Stop(); }

void Observer::Start() {
  for (const auto& node : nodes_) {
    if (!node.redis_unix_socket.empty())
      threads_.emplace_back([this, &node] { WatchRole(node); });
    if (!node.sentinel_unix_socket.empty()) {
      threads_.emplace_back([this, &node] { WatchSentinelView(node); });
      threads_.emplace_back([this, &node] { WatchSentinelEvents(node); });
    }
  }
}

void Observer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

void Observer::SetNodeNote(const std::string& node, const std::string& note) {
  std::lock_guard<std::mutex> lock(notes_mu_);
  notes_[node] = note;
}

std::map<std::string, std::string> Observer::Roles() const {
  std::lock_guard<std::mutex> lock(notes_mu_);
  return roles_;
}

bool Observer::WaitUntilPolled(std::chrono::milliseconds timeout) const {
  size_t watched = 0;
  for (const NodeInfo& n : nodes_) watched += n.redis_unix_socket.empty() ? 0 : 1;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (Roles().size() >= watched) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

std::string Observer::Note(const std::string& node) const {
  std::lock_guard<std::mutex> lock(notes_mu_);
  auto it = notes_.find(node);
  return it == notes_.end() ? "" : it->second;
}

std::string Observer::NodeFor(const std::string& ip, int port) const {
  const std::string with_port = ip + ":" + std::to_string(port);
  for (const auto& n : nodes_)
    if (n.address == with_port) return n.name;
  for (const auto& n : nodes_)
    if (n.address == ip) return n.name;
  return with_port;
}

bool Observer::Wait(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  return !stop_cv_.wait_for(lock, d, [this] { return stop_.load(); });
}

void Observer::Record(Event ev) {
  ev.at = clock_.Now();
  journal_.Append(ev);
}

void Observer::WatchRole(const NodeInfo& node) {
  BlockSigpipeInThisThread();
  ControlConnection conn(node.redis_unix_socket, password_, settings_.timeout);
  std::optional<LogTail> log;
  if (!node.redis_log.empty()) log.emplace(node.redis_log);
  std::string last_key;
  std::string last_id;
  int id_read_at_open = 0;
  do {
    Event ev;
    ev.type = "role";
    ev.node = node.name;
    Answer a = conn.Ask({"ROLE"});
    const redisReply* r = a.reply.get();
    if (a.status == Answer::kOk && r->type == REDIS_REPLY_ARRAY && r->elements >= 1) {
      const std::string role = String(r->element[0]);
      if (role == "master") {
        ev.role = "master";
      } else if (role == "slave" && r->elements >= 3) {
        ev.role = "replica";
        ev.detail = NodeFor(String(r->element[1]), std::atoi(String(r->element[2]).c_str()));
      } else {
        ev.role = "unknown";
        ev.detail = "ROLE says " + role;
      }
    } else if (a.status == Answer::kDown) {
      ev.role = "down";
      ev.detail = a.why;
    } else if (a.status == Answer::kTimeout && Note(node.name) == "frozen") {
      ev.role = "frozen";
    } else {
      ev.role = "unknown";
      ev.detail = a.status == Answer::kTimeout ? "no answer within " +
                                                     std::to_string(settings_.timeout.count()) + " ms"
                  : a.status == Answer::kError ? a.why
                                               : "unexpected ROLE reply";
    }
    {
      // A poll that got no answer in time says nothing new about the role: a
      // starved server keeps the one it last answered (Sentinel, too, holds a
      // master until down-after), so resolving `master` does not fail on a
      // busy machine. The journal still records the "unknown".
      std::lock_guard<std::mutex> lock(notes_mu_);
      const bool slow = a.status == Answer::kTimeout && ev.role == "unknown";
      if (!slow || !roles_.count(node.name)) roles_[node.name] = ev.role;
    }
    // The server's identity, once per connection: the load generator's ops
    // carry the same id of whoever answered them (docs/history.md).
    if (a.status == Answer::kOk && conn.opens() != id_read_at_open) {
      Answer info = conn.Ask({"INFO", "server"});
      if (info.status == Answer::kOk) {
        id_read_at_open = conn.opens();
        const std::string text = String(info.reply.get());
        const auto at = text.find("run_id:");
        const std::string id = at == std::string::npos ? "" : text.substr(at + 7, 8);
        if (!id.empty() && id != last_id) {
          last_id = id;
          Event sid;
          sid.type = "server-id";
          sid.node = node.name;
          sid.detail = id;
          Record(sid);
        }
      }
    }
    // Only a change of role (or of the master a replica follows) is news;
    // a different error text for the same state is not.
    std::string key = ev.role + "|" + (ev.role == "replica" ? ev.detail : "");
    if (key != last_key) {
      last_key = key;
      Record(ev);
    }
    // The instant it really became master: its own log line.
    if (log)
      for (const auto& text : log->ReadNew()) {
        auto line = ParseRedisLogLine(text);
        if (!line || line->message.rfind("MASTER MODE enabled", 0) != 0) continue;
        Event bm;
        bm.type = "became-master";
        bm.node = node.name;
        bm.detail = line->message;
        bm.source = "redis-log";
        bm.at = clock_.FromWallMicros(line->unix_us + 500);
        journal_.Append(bm);
      }
  } while (Wait(settings_.poll_interval));
}

void Observer::WatchSentinelView(const NodeInfo& node) {
  BlockSigpipeInThisThread();
  ControlConnection conn(node.sentinel_unix_socket, password_, settings_.timeout);
  std::string last_key;
  do {
    Event ev;
    ev.type = "sentinel-view";
    ev.node = node.name;
    Answer a = conn.Ask({"SENTINEL", "get-master-addr-by-name", master_name_});
    const redisReply* r = a.reply.get();
    if (a.status == Answer::kOk && r->type == REDIS_REPLY_ARRAY && r->elements == 2) {
      ev.master = NodeFor(String(r->element[0]), std::atoi(String(r->element[1]).c_str()));
    } else if (a.status == Answer::kOk) {
      ev.detail = "no master named " + master_name_;
    } else if (a.status == Answer::kDown) {
      ev.detail = "down";
    } else if (a.status == Answer::kTimeout) {
      ev.detail = Note(node.name) == "frozen" ? "frozen" : "no answer";
    } else {
      ev.detail = a.why;
    }
    std::string key = ev.master + "|" + ev.detail;
    if (key != last_key) {
      last_key = key;
      Record(ev);
    }
  } while (Wait(settings_.poll_interval));
}

void Observer::WatchSentinelEvents(const NodeInfo& node) {
  BlockSigpipeInThisThread();
  ControlConnection conn(node.sentinel_unix_socket, password_, settings_.timeout);
  const int slice_ms = 50;  // how often the reader looks at stop_
  std::optional<SentinelLogMatcher> log;
  if (!node.sentinel_log.empty()) log.emplace(node.sentinel_log);
  do {
    Answer a = conn.Ask({"PSUBSCRIBE", "*"});
    if (a.status != Answer::kOk) continue;  // retry after the poll interval
    redisContext* c = conn.get();
    while (!stop_) {
      void* raw = nullptr;
      if (redisGetReplyFromReader(c, &raw) != REDIS_OK) break;
      if (raw) {
        Reply r(static_cast<redisReply*>(raw));
        // ["pmessage", pattern, channel, message]
        if (r->type == REDIS_REPLY_ARRAY && r->elements == 4 &&
            String(r->element[0]) == "pmessage") {
          Event ev;
          ev.type = "sentinel-event";
          ev.node = node.name;
          ev.name = String(r->element[2]);
          ev.detail = String(r->element[3]);
          const Nanos arrived = clock_.Now();
          ev.at = arrived;
          ev.source = "pubsub";
          // Sentinel logged it just before publishing it: that is the instant.
          if (log)
            if (auto us = log->Find(ev.name, ev.detail)) {
              ev.at = std::min(arrived, clock_.FromWallMicros(*us + 500));
              ev.source = "sentinel-log";
              ev.value = arrived - ev.at;
            }
          journal_.Append(ev);
        }
        continue;
      }
      pollfd p{c->fd, POLLIN, 0};
      int n = poll(&p, 1, slice_ms);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      if (n > 0 && redisBufferRead(c) != REDIS_OK) break;  // closed: resubscribe
    }
    conn.Close();
  } while (Wait(settings_.poll_interval));
}

}  // namespace sc::observer
