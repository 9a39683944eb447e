// Integration tests: a real redis-server on loopback, started and killed by pid.
#include "harness/load/load_generator.h"

#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "harness/load/local_redis.h"

namespace sc::load {
namespace {

using namespace std::chrono_literals;
using sc::testing::LocalRedis;
using sc::testing::RedisCall;
using sc::testing::TempDir;

constexpr Nanos kMs = 1'000'000;

struct RunResult {
  std::vector<Op> ops;
  LoadGenerator::Stats stats;
  std::vector<std::string> thread_errors;
  Nanos start = 0;  // run clock at Start()
};

class LoadGeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override { server_ = LocalRedis::StartServer(dir_.path(), "r1", /*tcp=*/true); }
  void TearDown() override { server_.reset(); }  // kills; dir_ goes afterwards

  Address ServerAddress() const { return {"127.0.0.1", server_->port()}; }
  std::string ServerString() const { return ServerAddress().ToString(); }
  // An acknowledged operation names the server its connection identified:
  // "ADDRESS@RUNID-PREFIX", read when the connection was made.
  void ExpectAnsweredByTheServer(const std::string& server) const {
    const auto at = server.find('@');
    ASSERT_NE(at, std::string::npos) << server << ": no run id";
    EXPECT_EQ(server.substr(0, at), ServerString());
    EXPECT_GT(server.size(), at + 1) << server << ": empty run id";
  }
  // A failed or unknown operation names at least the address it was sent to
  // (a refused connection identified nobody).
  void ExpectAddressedToTheServer(const std::string& server) const {
    EXPECT_EQ(server.substr(0, server.find('@')), ServerString());
  }

  // Runs the generator (via=direct to the server unless `ep` says otherwise);
  // `during` runs on the test thread while the load runs.
  RunResult Run(LoadOptions o, std::function<void()> during = {}, Endpoints ep = {}) {
    if (!ep.direct && !ep.sentinels) {
      o.via = Via::kDirect;
      Address a = ServerAddress();
      ep.direct = [a] { return a; };
    }
    EXPECT_TRUE(ValidateLoad(o).empty());
    RunClock clock;
    JournalWriter journal(dir_.path() + "/journal.jsonl", nlohmann::json::object());
    RunResult r;
    {
      LoadGenerator gen(o, clock, journal, ep);
      r.start = clock.Now();
      gen.Start();
      if (during) during();
      gen.Join();
      r.stats = gen.stats();
      r.thread_errors = gen.ThreadErrors();
    }
    journal.Close();
    JournalReader reader;
    reader.on_op = [&](const Op& op) { r.ops.push_back(op); };
    EXPECT_EQ(reader.Read(journal.path()), "");
    return r;
  }

  TempDir dir_{"sc-load"};
  std::unique_ptr<LocalRedis> server_;
};

LoadOptions Options(int clients, Nanos duration) {
  LoadOptions o;
  o.clients = clients;
  o.duration_ns = duration;
  return o;
}

// Largest gap between consecutive ok completions, over all clients.
Nanos LargestOkGap(const std::vector<Op>& ops) {
  std::vector<Nanos> done;
  for (const auto& op : ops)
    if (op.outcome == Outcome::kOk) done.push_back(op.complete);
  std::sort(done.begin(), done.end());
  Nanos gap = 0;
  for (size_t i = 1; i < done.size(); ++i) gap = std::max(gap, done[i] - done[i - 1]);
  return gap;
}

TEST_F(LoadGeneratorTest, CleanSetLoadAcknowledgesOnlyWhatIsStored) {
  RunResult r = Run(Options(4, 1000 * kMs));
  EXPECT_EQ(r.stats.fail, 0u);
  EXPECT_EQ(r.stats.unknown, 0u);
  EXPECT_GT(r.stats.ok, 500u);
  ASSERT_EQ(r.ops.size(), r.stats.ok);
  auto members = RedisCall(server_->unix_socket(), {"SMEMBERS", "sc:set"});
  std::set<std::string> stored(members.begin(), members.end());
  std::map<int, uint64_t> next_seq;
  for (const auto& op : r.ops) {
    EXPECT_EQ(op.kind, OpKind::kWrite);
    ExpectAnsweredByTheServer(op.server);
    EXPECT_EQ(op.seq, next_seq[op.client]++);  // journal keeps each client's order
    EXPECT_LE(op.invoke, op.complete);
    EXPECT_TRUE(stored.count(op.value)) << op.value << " acknowledged but absent";
  }
  EXPECT_EQ(stored.size(), r.ops.size());
  std::printf("clean load: %llu ok ops in 1 s with 4 clients\n",
              static_cast<unsigned long long>(r.stats.ok));
}

TEST_F(LoadGeneratorTest, PausedServerGivesUnknownTimeoutsAndAGapOfThePause) {
  LoadOptions o = Options(2, 1500 * kMs);
  o.command_timeout_ns = 100 * kMs;
  RunResult r = Run(o, [&] {
    std::this_thread::sleep_for(400ms);
    server_->Signal(SIGSTOP);
    std::this_thread::sleep_for(500ms);
    server_->Signal(SIGCONT);
  });
  EXPECT_EQ(r.stats.fail, 0u);
  EXPECT_GE(r.stats.unknown, 2u);
  for (const auto& op : r.ops)
    if (op.outcome == Outcome::kUnknown) {
      EXPECT_EQ(op.error, ErrorClass::kTimeout) << op.error_text;
      ExpectAddressedToTheServer(op.server);
    }
  Nanos gap = LargestOkGap(r.ops);
  std::printf("pause of 500 ms: largest gap between ok completions %.1f ms, %llu unknown\n",
              gap / 1e6, static_cast<unsigned long long>(r.stats.unknown));
  EXPECT_GE(gap, 400 * kMs);
  EXPECT_LE(gap, 900 * kMs);
}

TEST_F(LoadGeneratorTest, KilledServerGivesRefusedFailsWithoutBusyLooping) {
  LoadOptions o = Options(2, 1200 * kMs);
  RunResult r = Run(o, [&] {
    std::this_thread::sleep_for(200ms);
    server_->Kill();
  });
  uint64_t refused = 0;
  std::map<int, Nanos> last_invoke;
  for (const auto& op : r.ops) {
    last_invoke[op.client] = std::max(last_invoke[op.client], op.invoke - r.start);
    if (op.outcome == Outcome::kFail) {
      EXPECT_EQ(op.error, ErrorClass::kRefused) << op.error_text;
      ExpectAddressedToTheServer(op.server);
      ++refused;
    }
    if (op.outcome == Outcome::kUnknown) {
      EXPECT_EQ(op.error, ErrorClass::kReset) << op.error_text;
    }
  }
  std::printf("server killed: %llu refused connects in ~1 s over 2 clients\n",
              static_cast<unsigned long long>(refused));
  EXPECT_LE(r.stats.unknown, 2u);  // at most the request in flight per client
  // Backoff of 5-10 ms per attempt: about 100-200 attempts per client-second.
  EXPECT_GE(refused, 60u);
  EXPECT_LE(refused, 500u);
  for (auto [client, t] : last_invoke) EXPECT_GE(t, 1000 * kMs) << "client " << client << " gave up";
}

TEST_F(LoadGeneratorTest, OpenLoopSendsTheRateOnSchedule) {
  LoadOptions o = Options(4, 1000 * kMs);
  o.rate = 1000;
  RunResult r = Run(o);
  EXPECT_EQ(r.ops.size(), 1000u);
  EXPECT_EQ(r.stats.ok, 1000u);
  Nanos last_done = 0;
  for (const auto& op : r.ops) last_done = std::max(last_done, op.complete - r.start);
  EXPECT_GE(last_done, 990 * kMs);  // spread over the second, not a burst
}

TEST_F(LoadGeneratorTest, OpenLoopInvokeTimesStayOnScheduleThroughAPause) {
  LoadOptions o = Options(4, 1000 * kMs);
  o.rate = 1000;
  o.command_timeout_ns = 100 * kMs;
  RunResult r = Run(o, [&] {
    std::this_thread::sleep_for(300ms);
    server_->Signal(SIGSTOP);
    std::this_thread::sleep_for(300ms);
    server_->Signal(SIGCONT);
  });
  // The stall delays requests, it does not drop them. A client still behind
  // schedule when the run ends sends no more (load_generator.cc), so on a
  // busy machine each may miss its last request, due 4 ms before the end
  // (seen: 999 of 1000, once): every other one is there, on schedule.
  std::printf("open loop: %zu of 1000 requests sent\n", r.ops.size());
  EXPECT_GE(r.ops.size(), 996u);
  EXPECT_GE(r.stats.unknown, 1u);
  std::map<int, std::vector<Nanos>> invokes;
  Nanos worst_latency = 0;
  for (const auto& op : r.ops) {
    invokes[op.client].push_back(op.invoke);
    if (op.outcome == Outcome::kOk) worst_latency = std::max(worst_latency, op.complete - op.invoke);
  }
  for (auto& [client, times] : invokes) {
    ASSERT_GE(times.size(), 249u) << "client " << client;
    ASSERT_LE(times.size(), 250u) << "client " << client;
    for (size_t k = 1; k < times.size(); ++k)
      ASSERT_NEAR(times[k] - times[k - 1], 4 * kMs, 2) << "client " << client << " op " << k;
  }
  std::printf("open loop through a 300 ms pause: worst ok latency from schedule %.1f ms\n",
              worst_latency / 1e6);
  EXPECT_GE(worst_latency, 150 * kMs);  // the stall shows as latency, not as missing ops
}

TEST_F(LoadGeneratorTest, ReadonlyRepliesAreFailsOfThatClass) {
  RedisCall(server_->unix_socket(), {"REPLICAOF", "127.0.0.1", "1"});
  RunResult r = Run(Options(1, 100 * kMs));
  ASSERT_GT(r.ops.size(), 3u);
  for (const auto& op : r.ops) {
    EXPECT_EQ(op.outcome, Outcome::kFail);
    EXPECT_EQ(op.error, ErrorClass::kReadonly);
    EXPECT_EQ(op.error_text.rfind("READONLY", 0), 0u) << op.error_text;
  }
  EXPECT_LE(r.ops.size(), 30u);  // backoff after each failure
}

TEST_F(LoadGeneratorTest, CounterWorkloadIncrementsOncePerAcknowledgement) {
  LoadOptions o = Options(3, 300 * kMs);
  o.workload = "counter";
  o.key = "sc:counter";
  RunResult r = Run(o);
  EXPECT_EQ(r.stats.fail + r.stats.unknown, 0u);
  auto value = RedisCall(server_->unix_socket(), {"GET", "sc:counter"});
  ASSERT_EQ(value.size(), 1u);
  EXPECT_EQ(value[0], std::to_string(r.stats.ok));
  for (const auto& op : r.ops) EXPECT_EQ(op.value, "1");
}

TEST_F(LoadGeneratorTest, MixedWorkloadRecordsReadsAsReads) {
  LoadOptions o = Options(2, 300 * kMs);
  o.workload = "mixed";
  o.read_fraction = 0.3;
  RunResult r = Run(o);
  EXPECT_EQ(r.stats.fail + r.stats.unknown, 0u);
  size_t reads = 0, writes = 0;
  for (const auto& op : r.ops) (op.kind == OpKind::kRead ? reads : writes)++;
  ASSERT_GT(reads + writes, 100u);
  double share = static_cast<double>(reads) / (reads + writes);
  EXPECT_NEAR(share, 0.3, 0.1);
  auto card = RedisCall(server_->unix_socket(), {"SCARD", "sc:set"});
  EXPECT_EQ(card[0], std::to_string(writes));
}

TEST_F(LoadGeneratorTest, ViaSentinelAsksTheSentinelsInTurn) {
  auto sentinel = LocalRedis::StartSentinel(
      dir_.path(), "s1",
      {"sentinel monitor mymaster 127.0.0.1 " + std::to_string(server_->port()) + " 1"});
  LoadOptions o = Options(2, 300 * kMs);
  o.via = Via::kSentinel;
  Endpoints ep;
  int dead_port = sc::testing::FreeLoopbackPort();
  int live_port = sentinel->port();
  ep.sentinels = [=] {
    return std::vector<Address>{{"127.0.0.1", dead_port}, {"127.0.0.1", live_port}};
  };
  RunResult r = Run(o, {}, ep);
  EXPECT_EQ(r.stats.fail + r.stats.unknown, 0u);
  EXPECT_GT(r.stats.ok, 10u);
  for (const auto& op : r.ops) ExpectAnsweredByTheServer(op.server);
}

TEST_F(LoadGeneratorTest, NoSentinelAnswersIsNoMaster) {
  LoadOptions o = Options(1, 100 * kMs);
  o.via = Via::kSentinel;
  Endpoints ep;
  int dead_port = sc::testing::FreeLoopbackPort();
  ep.sentinels = [=] { return std::vector<Address>{{"127.0.0.1", dead_port}}; };
  RunResult r = Run(o, {}, ep);
  ASSERT_GT(r.ops.size(), 3u);
  for (const auto& op : r.ops) {
    EXPECT_EQ(op.outcome, Outcome::kFail);
    EXPECT_EQ(op.error, ErrorClass::kNoMaster);
    EXPECT_NE(op.error_text.find("refused"), std::string::npos) << op.error_text;
    EXPECT_EQ(op.server, "");
  }
}

TEST_F(LoadGeneratorTest, ThreadInitFailureIsReportedNotFatal) {
  Endpoints ep;
  Address a = ServerAddress();
  ep.direct = [a] { return a; };
  ep.thread_init = [](int client) {
    if (client == 1) throw std::runtime_error("setns failed");
  };
  LoadOptions o = Options(2, 100 * kMs);
  o.via = Via::kDirect;
  RunResult r = Run(o, {}, ep);
  EXPECT_EQ(r.thread_errors, std::vector<std::string>{"client 1: setns failed"});
  for (const auto& op : r.ops) EXPECT_EQ(op.client, 0);
  EXPECT_GT(r.stats.ok, 0u);
}

}  // namespace
}  // namespace sc::load
