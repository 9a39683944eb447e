// Drives client load through the service and records every operation.
//
// N client threads, each with its own hiredis connection, run for
// LoadOptions::duration_ns (or until Stop()) and append every completed
// operation to the journal, on the run clock. The generator knows nothing of
// namespaces or topology: the runner hands it hooks (Endpoints).
//
// Outcomes (docs: design/overview.md):
//   fail    certainly not applied: connect refused / no route (kRefused),
//           connect timeout (kTimeout), no master found (kNoMaster), error
//           replies -READONLY -NOREPLICAS -LOADING -MASTERDOWN (their class),
//           any other error reply (kOther, text in error_text). Anything that
//           goes wrong before the request is written (AUTH included) is fail.
//   unknown sent, then no reply in time (kTimeout) or the connection broke
//           (kReset): may or may not have been applied.
// After any non-ok outcome the client drops its connection, sleeps 5-10 ms
// and connects afresh (asking the VIP / Sentinels / direct hook again), so a
// dead service never makes a busy loop.
//
// Rate: 0 = closed loop (each client sends its next request when the previous
// one completed). Otherwise open loop: client i sends at fixed scheduled
// instants (rate/clients each, staggered); an op's invoke time is its
// SCHEDULED instant, so a stall shows as late ops instead of missing ones
// (no coordinated omission). Ops scheduled at or after the end are not sent,
// nor are ops still waiting (client behind schedule) when the end comes.
//
// Client threads block SIGPIPE for themselves (a write to a dead server then
// fails with EPIPE instead of killing the process); nothing process-wide is
// changed.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness/history/history.h"
#include "harness/load/load.h"
#include "harness/load/load_options.h"

namespace sc::load {

struct Address {
  std::string ip;
  int port = 0;
  std::string ToString() const { return ip + ":" + std::to_string(port); }
};

// How clients reach the service. Hooks are called from client threads, so
// they must be thread-safe; they may be called often (after every error).
struct Endpoints {
  // Called first in each client thread, with the client index (the runner
  // joins the client host's network namespace here). May be empty. If it
  // throws, that client does not run; the message is in ThreadErrors().
  std::function<void(int client)> thread_init;
  // via=vip: the VIP address. via=direct: the chosen server's address.
  std::function<Address()> vip;
  std::function<Address()> direct;
  // via=sentinel: the Sentinels to ask, in order of preference.
  std::function<std::vector<Address>()> sentinels;
  std::string master_name = "mymaster";
  // Sent with AUTH after every connect to redis when non-empty. (For
  // Sentinels, AUTH is sent only if a Sentinel answers -NOAUTH.)
  std::string password;
};

class LoadGenerator : public Load {
 public:
  using Stats = LoadStats;

  // REQUIRES: ValidateLoad(options) is empty; clock and journal outlive this.
  // Client i records itself as client first_client + i (several client
  // groups share one history: each has its own range of client indices).
  LoadGenerator(LoadOptions options, const RunClock& clock, JournalWriter& journal,
                Endpoints endpoints, int first_client = 0);
  ~LoadGenerator() override;  // Stops and joins.
  LoadGenerator(const LoadGenerator&) = delete;
  LoadGenerator& operator=(const LoadGenerator&) = delete;

  // Starts the client threads; the duration counts from here. Call once.
  void Start() override;
  // Asks every client to finish its current request and exit. Returns at once.
  void Stop() override;
  // Waits for every client thread (at most duration + command timeout after Start).
  void Join() override;

  // Live totals, for a status line. Safe from any thread.
  Stats stats() const override;
  // Per client, the seq of the request it is on now (set workload with
  // key_ops > 0; else zeros): every key of an earlier generation is finished.
  std::vector<uint64_t> Progress() const;
  // Messages of client threads that could not run (thread_init threw) or
  // stopped on an exception of their own (out of memory ...).
  std::vector<std::string> ThreadErrors() const override;

 private:
  class Client;
  void RunClient(int index);
  void Record(const Op& op);

  const LoadOptions options_;
  const RunClock& clock_;
  JournalWriter& journal_;
  const Endpoints endpoints_;
  const int first_client_;
  Nanos start_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> ok_{0}, fail_{0}, unknown_{0};
  std::vector<std::thread> threads_;
  std::unique_ptr<std::atomic<uint64_t>[]> progress_;
  mutable std::mutex errors_mu_;
  std::vector<std::string> thread_errors_;
};

}  // namespace sc::load
