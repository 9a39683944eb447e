// Integration: a driver's profile reaches the library. Each shipped driver
// runs against a real redis-server on loopback (via=direct) that is
// SIGSTOPped for 4 s: with profile=defaults no library gives up within the
// pause (redis-py and ioredis have no command timeout, redis-rb waits 5 s),
// with profile=tuned each one's own short timeouts end requests inside it
// (redis-py 0.1 s x 4 tries, ioredis commandTimeout 0.5 s, redis-rb 0.5 s x 4
// tries: 2.4 s at most, docs/client-drivers.md). Only the library can cut a
// request short: the driver never times an op out itself before the drain.
#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "harness/load/driver_load.h"
#include "harness/load/driver_test_params.h"
#include "harness/load/drivers.h"
#include "harness/load/local_redis.h"

namespace sc::load {
namespace {

using sc::testing::LocalRedis;
using sc::testing::TempDir;
constexpr Nanos kS = 1'000'000'000;

struct ProfileRun {
  DriverReady ready;
  std::vector<Op> ops;
  Nanos pause_start = 0, pause_end = 0;
};

// Both profiles at once, each its own driver process and journal, against
// the same server and the same pause: [0] defaults, [1] tuned.
std::vector<ProfileRun> RunPaused(const std::string& client) {
  TempDir dir("sc-driver-profiles");
  auto server = LocalRedis::StartServer(dir.path(), "r1", /*tcp=*/true);
  const Address address{"127.0.0.1", server->port()};
  RunClock clock;
  const std::vector<std::string> profiles = {"defaults", "tuned"};
  std::vector<ProfileRun> out(profiles.size());
  {
    std::vector<std::unique_ptr<JournalWriter>> journals;
    std::vector<std::unique_ptr<DriverLoad>> loads;
    auto spec = FindDriver(client);
    if (!spec) throw std::runtime_error("no driver " + client);
    for (size_t i = 0; i < profiles.size(); ++i) {
      journals.push_back(std::make_unique<JournalWriter>(dir.path() + "/" + profiles[i] + ".jsonl",
                                                         nlohmann::json::object()));
      DriverSetup setup;
      setup.options.client = client;
      setup.options.profile = profiles[i];
      setup.options.clients = 2;
      setup.options.via = Via::kDirect;
      setup.options.duration_ns = 7 * kS;
      setup.first_client = 2 * static_cast<int>(i);
      setup.log_path = dir.path() + "/driver-" + profiles[i] + ".log";
      setup.endpoints.direct = [address] { return address; };
      loads.push_back(std::make_unique<DriverLoad>(*spec, setup, clock));
      out[i].ready = loads.back()->ready();
      loads.back()->Attach(*journals.back());
    }
    for (auto& l : loads) l->Start();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    server->Signal(SIGSTOP);
    const Nanos pause_start = clock.Now();
    std::this_thread::sleep_for(std::chrono::seconds(4));
    const Nanos pause_end = clock.Now();
    server->Signal(SIGCONT);
    for (size_t i = 0; i < loads.size(); ++i) {
      loads[i]->Join();
      for (auto& e : loads[i]->ThreadErrors()) ADD_FAILURE() << profiles[i] << ": " << e;
      journals[i]->Close();
      out[i].pause_start = pause_start;
      out[i].pause_end = pause_end;
    }
  }
  for (size_t i = 0; i < profiles.size(); ++i) {
    JournalReader reader;
    reader.on_op = [&](const Op& op) { out[i].ops.push_back(op); };
    EXPECT_EQ(reader.Read(dir.path() + "/" + profiles[i] + ".jsonl"), "");
  }
  return out;
}

class DriverProfileTest : public ::testing::TestWithParam<std::string> {};

// Same pause, both profiles: defaults wait it out, tuned give up inside it.
TEST_P(DriverProfileTest, DefaultsWaitThroughAFourSecondPauseTunedTimeoutsEndRequestsInsideIt) {
  std::vector<ProfileRun> runs = RunPaused(GetParam());
  {
    const ProfileRun& r = runs[0];
    EXPECT_EQ(r.ready.profile, "defaults");
    EXPECT_TRUE(r.ready.settings.empty()) << r.ready.settings.dump();
    Nanos longest = 0;
    size_t failed = 0;
    for (const Op& op : r.ops) {
      if (op.complete < r.pause_end + kS / 2 && op.outcome != Outcome::kOk) {
        ++failed;
        ADD_FAILURE() << "defaults gave up within the pause: " << op.error_text;
      }
      longest = std::max(longest, op.complete - op.invoke);
    }
    std::printf("%s defaults: %zu ops, longest %.2f s, %zu gave up in the pause\n", GetParam().c_str(),
                r.ops.size(), longest / 1e9, failed);
    EXPECT_GT(longest, 3 * kS) << "a request must have waited through the pause";
  }
  {
    const ProfileRun& r = runs[1];
    EXPECT_EQ(r.ready.profile, "tuned");
    EXPECT_FALSE(r.ready.settings.empty());
    size_t timed_out = 0;
    Nanos longest_failed = 0;
    for (const Op& op : r.ops) {
      if (op.outcome == Outcome::kOk) continue;
      if (op.complete > r.pause_start && op.complete <= r.pause_end) ++timed_out;
      longest_failed = std::max(longest_failed, op.complete - op.invoke);
    }
    std::printf("%s tuned (%s): %zu ops, %zu ended by the library inside the pause, longest failed %.2f s\n",
                GetParam().c_str(), r.ready.settings.dump().c_str(), r.ops.size(), timed_out, longest_failed / 1e9);
    EXPECT_GE(timed_out, 1u) << "the tuned timeouts never ended a request during a 4 s pause";
    EXPECT_LT(longest_failed, 3500 * 1'000'000LL) << "a failed request took longer than the tuned timeouts allow";
  }
}

INSTANTIATE_TEST_SUITE_P(Libraries, DriverProfileTest, ::testing::ValuesIn(load::testing::DriverNames()),
                         load::testing::DriverTestName);

}  // namespace
}  // namespace sc::load
