#include "harness/load/load_generator.h"

#include <signal.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <random>

#include "common/hiredis.h"
#include "harness/load/workload.h"

namespace sc::load {
namespace {

using redis::Command;
using redis::Context;
using redis::Reply;
using redis::ToTimeval;

bool Contains(const char* haystack, const char* needle) {
  return std::strstr(haystack, needle) != nullptr;
}


// An error reply: the request was refused, so it certainly did not apply.
ErrorClass ClassifyErrorReply(const std::string& text) {
  auto starts = [&](const char* p) { return text.rfind(p, 0) == 0; };
  if (starts("READONLY")) return ErrorClass::kReadonly;
  if (starts("NOREPLICAS")) return ErrorClass::kNoreplicas;
  if (starts("LOADING")) return ErrorClass::kLoading;
  if (starts("MASTERDOWN")) return ErrorClass::kMasterdown;
  return ErrorClass::kOther;
}

// A failed connect (nothing was sent).
ErrorClass ClassifyConnectError(const redisContext* c) {
  const char* e = c->errstr;
  if (Contains(e, "refused") || Contains(e, "unreachable") || Contains(e, "No route"))
    return ErrorClass::kRefused;
  if (Contains(e, "timed out") || Contains(e, "temporarily unavailable") ||
      Contains(e, "in progress"))
    return ErrorClass::kTimeout;
  return ErrorClass::kOther;
}

// A transport error after the request may have been written.
ErrorClass ClassifyIoError(const redisContext* c, int saved_errno) {
  if (c->err == REDIS_ERR_IO &&
      (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK ||
       Contains(c->errstr, "temporarily unavailable") || Contains(c->errstr, "timed out")))
    return ErrorClass::kTimeout;
  if (c->err == REDIS_ERR_EOF || c->err == REDIS_ERR_IO) return ErrorClass::kReset;
  return ErrorClass::kOther;
}

std::string IoErrorText(const redisContext* c) {
  if (c->err == REDIS_ERR_EOF) return "server closed the connection";
  return c->errstr;
}

}  // namespace

// One client thread's state: its connection, sequence and schedule.
class LoadGenerator::Client {
 public:
  // `slot` is the client's place in this generator (its schedule); it
  // records itself as first_client + slot.
  Client(LoadGenerator& gen, int slot)
      : gen_(gen), o_(gen.options_), workload_(WorkloadOf(o_)), slot_(slot), index_(gen.first_client_ + slot),
        rng_(0x5eed0000u + index_) {}

  void Run() {
    const Nanos end = gen_.start_ + o_.duration_ns;
    const bool open_loop = o_.rate > 0;
    const double interval_ns = open_loop ? o_.clients * 1e9 / o_.rate : 0;
    const double offset_ns = open_loop ? interval_ns * slot_ / o_.clients : 0;
    for (uint64_t seq = 0; !gen_.stop_.load(std::memory_order_relaxed); ++seq) {
      Op op;
      op.client = index_;
      op.seq = seq;
      if (open_loop) {
        op.invoke = gen_.start_ + std::llround(offset_ns + interval_ns * static_cast<double>(seq));
        // A client still behind schedule when the run ends sends no more.
        if (op.invoke >= end || gen_.clock_.Now() >= end || !SleepUntil(op.invoke)) break;
      } else {
        op.invoke = gen_.clock_.Now();
        if (op.invoke >= end) break;
      }
      Execute(op);
      op.complete = gen_.clock_.Now();
      gen_.Record(op);
      if (op.outcome != Outcome::kOk) {
        ctx_.reset();
        Backoff();
      }
    }
  }

 private:
  // Sleeps until `t` on the run clock; false if Stop() came first.
  bool SleepUntil(Nanos t) {
    for (;;) {
      if (gen_.stop_.load(std::memory_order_relaxed)) return false;
      Nanos left = t - gen_.clock_.Now();
      if (left <= 0) return true;
      std::this_thread::sleep_for(std::chrono::nanoseconds(std::min<Nanos>(left, 2'000'000)));
    }
  }

  void Backoff() {
    std::uniform_int_distribution<Nanos> ms(5'000'000, 10'000'000);
    SleepUntil(gen_.clock_.Now() + ms(rng_));
  }

  void Fail(Op& op, ErrorClass e, std::string text) {
    op.outcome = Outcome::kFail;
    op.error = e;
    op.error_text = std::move(text);
  }

  // Chooses the request and fills op.kind / op.value.
  std::vector<std::string> BuildRequest(Op& op) {
    Request r = workload_.request(RequestContext{o_, index_, op.seq, rng_});
    op.value = std::move(r.value);
    if (r.read) op.kind = OpKind::kRead;
    else if (o_.key_ops > 0) gen_.progress_[slot_].store(op.seq, std::memory_order_relaxed);
    return std::move(r.argv);
  }

  void Execute(Op& op) {
    std::vector<std::string> request = BuildRequest(op);
    if (!ctx_ && !Connect(op)) return;
    op.server = server_;
    Reply reply = Command(ctx_.get(), request);
    if (!reply) {
      int saved_errno = errno;
      op.outcome = Outcome::kUnknown;
      op.error = ClassifyIoError(ctx_.get(), saved_errno);
      op.error_text = IoErrorText(ctx_.get());
      return;
    }
    if (reply->type == REDIS_REPLY_ERROR) {
      std::string text(reply->str, reply->len);
      Fail(op, ClassifyErrorReply(text), text);
      return;
    }
    op.outcome = Outcome::kOk;
  }

  // Connects to the current master (AUTH included). On failure fills `op`
  // as fail and returns false.
  bool Connect(Op& op) {
    Address addr;
    if (!Resolve(op, &addr)) return false;
    server_ = addr.ToString();
    op.server = server_;
    std::string why;
    Context c = Open(addr, &why, &op.error);
    if (!c) {
      Fail(op, op.error, why);
      return false;
    }
    if (!gen_.endpoints_.password.empty()) {
      Reply r = Command(c.get(), {"AUTH", gen_.endpoints_.password});
      if (!r) {
        Fail(op, ClassifyIoError(c.get(), errno) == ErrorClass::kTimeout ? ErrorClass::kTimeout
                                                                          : ErrorClass::kOther,
             std::string("AUTH: ") + IoErrorText(c.get()));
        return false;
      }
      if (r->type == REDIS_REPLY_ERROR) {
        std::string text(r->str, r->len);
        Fail(op, ClassifyErrorReply(text), "AUTH: " + text);
        return false;
      }
    }
    ctx_ = std::move(c);
    server_ = addr.ToString() + Identity(ctx_.get());
    op.server = server_;
    return true;
  }

  // "@RUNID8": the first 8 characters of the run_id of the server that
  // answers on this connection (whoever holds the VIP, for instance), read
  // once per connection; "" when it cannot be read. Every op on the
  // connection carries it, so a lost write names the server that really
  // acknowledged it.
  static std::string Identity(redisContext* c) {
    Reply r = Command(c, {"INFO", "server"});
    if (!r || r->type != REDIS_REPLY_STRING) return "";
    const std::string info(r->str, r->len);
    const auto at = info.find("run_id:");
    if (at == std::string::npos || at + 7 + 8 > info.size()) return "";
    return "@" + info.substr(at + 7, 8);
  }

  // Opens a TCP connection with both timeouts set, or explains why not.
  Context Open(const Address& addr, std::string* why, ErrorClass* error) {
    Context c(redisConnectWithTimeout(addr.ip.c_str(), addr.port, ToTimeval(o_.connect_timeout_ns)));
    if (!c) {
      *why = "out of memory";
      *error = ErrorClass::kOther;
      return nullptr;
    }
    if (c->err) {
      *why = "connect " + addr.ToString() + ": " + c->errstr;
      *error = ClassifyConnectError(c.get());
      return nullptr;
    }
    redisSetTimeout(c.get(), ToTimeval(o_.command_timeout_ns));
    return c;
  }

  bool Resolve(Op& op, Address* addr) {
    const Endpoints& ep = gen_.endpoints_;
    switch (o_.via) {
      case Via::kVip:
      case Via::kDirect: {
        const auto& hook = o_.via == Via::kVip ? ep.vip : ep.direct;
        if (hook) *addr = hook();
        if (addr->ip.empty()) {
          Fail(op, ErrorClass::kNoMaster, std::string("no address for via=") + ToString(o_.via));
          return false;
        }
        return true;
      }
      case Via::kSentinel:
        return AskSentinels(op, addr);
    }
    return false;
  }

  // Asks each Sentinel in turn, starting with the last one that answered.
  bool AskSentinels(Op& op, Address* addr) {
    std::vector<Address> sentinels;
    if (gen_.endpoints_.sentinels) sentinels = gen_.endpoints_.sentinels();
    std::string last = "no Sentinels configured";
    for (size_t i = 0; i < sentinels.size(); ++i) {
      size_t k = (preferred_sentinel_ + i) % sentinels.size();
      if (AskSentinel(sentinels[k], addr, &last)) {
        preferred_sentinel_ = k;
        return true;
      }
    }
    Fail(op, ErrorClass::kNoMaster, "no Sentinel gave a master for " +
                                        gen_.endpoints_.master_name + " (last: " + last + ")");
    return false;
  }

  bool AskSentinel(const Address& sentinel, Address* master, std::string* why) {
    ErrorClass ignored;
    Context c = Open(sentinel, why, &ignored);
    if (!c) return false;
    const std::vector<std::string> ask = {"SENTINEL", "get-master-addr-by-name",
                                          gen_.endpoints_.master_name};
    Reply r = Command(c.get(), ask);
    if (r && r->type == REDIS_REPLY_ERROR && std::strncmp(r->str, "NOAUTH", 6) == 0 &&
        !gen_.endpoints_.password.empty()) {
      Command(c.get(), {"AUTH", gen_.endpoints_.password});
      r = Command(c.get(), ask);
    }
    const std::string who = "Sentinel " + sentinel.ToString() + ": ";
    if (!r) {
      *why = who + IoErrorText(c.get());
      return false;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
        r->element[0]->type != REDIS_REPLY_STRING || r->element[1]->type != REDIS_REPLY_STRING) {
      *why = who + (r->type == REDIS_REPLY_ERROR ? std::string(r->str, r->len)
                                                 : std::string("does not know the master"));
      return false;
    }
    master->ip.assign(r->element[0]->str, r->element[0]->len);
    master->port = std::atoi(r->element[1]->str);
    return true;
  }

  LoadGenerator& gen_;
  const LoadOptions& o_;
  const WorkloadKind& workload_;
  const int slot_;
  const int index_;
  std::mt19937_64 rng_;
  Context ctx_;
  std::string server_;
  size_t preferred_sentinel_ = 0;
};

LoadGenerator::LoadGenerator(LoadOptions options, const RunClock& clock, JournalWriter& journal,
                             Endpoints endpoints, int first_client)
    : options_(std::move(options)),
      clock_(clock),
      journal_(journal),
      endpoints_(std::move(endpoints)),
      first_client_(first_client),
      progress_(new std::atomic<uint64_t>[std::max(1, options_.clients)]) {
  for (int i = 0; i < std::max(1, options_.clients); ++i) progress_[i] = 0;
}

std::vector<uint64_t> LoadGenerator::Progress() const {
  std::vector<uint64_t> v;
  for (int i = 0; i < options_.clients; ++i) v.push_back(progress_[i].load(std::memory_order_relaxed));
  return v;
}

LoadGenerator::~LoadGenerator() {
  Stop();
  Join();
}

void LoadGenerator::Start() {
  start_ = clock_.Now();
  for (int i = 0; i < options_.clients; ++i) threads_.emplace_back([this, i] { RunClient(i); });
}

void LoadGenerator::Stop() { stop_ = true; }

void LoadGenerator::Join() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

void LoadGenerator::RunClient(int index) {
  // A write to a connection the server closed raises SIGPIPE in this thread;
  // blocked, it leaves write() failing with EPIPE (recorded as a reset).
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  try {
    if (endpoints_.thread_init) endpoints_.thread_init(index);
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lock(errors_mu_);
    thread_errors_.push_back("client " + std::to_string(index) + ": " + e.what());
    return;
  }
  try {
    Client(*this, index).Run();
  } catch (const std::exception& e) {  // out of memory, a thread resource: not the server's answer
    std::lock_guard<std::mutex> lock(errors_mu_);
    thread_errors_.push_back("client " + std::to_string(index) + ": " + e.what());
  }
}

void LoadGenerator::Record(const Op& op) {
  journal_.Append(op);
  auto& counter = op.outcome == Outcome::kOk     ? ok_
                  : op.outcome == Outcome::kFail ? fail_
                                                 : unknown_;
  counter.fetch_add(1, std::memory_order_relaxed);
}

LoadGenerator::Stats LoadGenerator::stats() const {
  Stats s;
  s.ok = ok_.load(std::memory_order_relaxed);
  s.fail = fail_.load(std::memory_order_relaxed);
  s.unknown = unknown_.load(std::memory_order_relaxed);
  return s;
}

std::vector<std::string> LoadGenerator::ThreadErrors() const {
  std::lock_guard<std::mutex> lock(errors_mu_);
  return thread_errors_;
}

}  // namespace sc::load
