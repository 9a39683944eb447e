// Integration: the mechanisms of the 30-minute soak (scenarios/sentinel3/
// soak-30m.chaos) on a run short enough for CI: rotating keys read, checked
// and deleted during the run (Redis's memory bounded), the final read in SSCAN
// pages, and a run that cannot measure its lost writes failing with exit 3.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "harness/history/history.h"
#include "harness/runner/scenario_run_test.h"
#include "topology/process.h"
#include "topology/state.h"
#include "topology/test_support.h"

namespace sc::runner {
namespace {

namespace fs = std::filesystem;

class SoakTest : public testing::ScenarioRunTest {
 protected:
  SoakTest() : ScenarioRunTest("sc-soak-test") {}
};

TEST_F(SoakTest, RotatingKeysAreReadCheckedAndDeletedWhileTheRunGoesOn) {
  auto r = topology::RunCommand({bin_, "run", Write("rot.chaos", R"(scenario "rotating keys"
topology sentinel3 down-after=1s failover-timeout=5s vip=on
load clients=4 workload=set via=vip duration=14s key-ops=300
seed 3
at 3s every 4s for 8s one of { kill redis on random ; pause redis on random } for 1s as chaos
)"), "--out", dir_ + "/out", "--quiet"});
  std::printf("%s", r.output.c_str());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto res = Results("rotating-keys");
  ASSERT_TRUE(res["figures"]["lost"].is_number()) << res["figures"].dump();
  const int64_t acked = res["figures"]["acknowledged"].get<int64_t>();
  // The journal: keys read during the run, and a final read that holds only
  // what was not retired yet.
  std::set<std::string> retired_keys;
  int64_t retired = 0, final_master = 0;
  JournalReader reader;
  reader.on_event = [&](const Event& ev) {
    if (ev.type == "key-read") {
      retired_keys.insert(ev.name);
      retired += static_cast<int64_t>(ev.values.size());
    }
    if (ev.type == "final-read" && ev.role == "master") final_master += static_cast<int64_t>(ev.values.size());
  };
  EXPECT_EQ(reader.Read(dir_ + "/out/rotating-keys/latest/history.jsonl.zst"), "");
  std::printf("acknowledged %lld, read and deleted during the run %lld in %zu keys, final read %lld, lost %lld\n",
              (long long)acked, (long long)retired, retired_keys.size(), (long long)final_master,
              (long long)res["figures"]["lost"].get<int64_t>());
  EXPECT_GT(retired_keys.size(), 4u);
  EXPECT_GT(retired, 0);
  EXPECT_LT(final_master, acked) << "nothing was deleted during the run";
  // Every acknowledged element is accounted for: present in a key read, in the final read, or lost.
  EXPECT_GE(retired + final_master + res["figures"]["lost"].get<int64_t>(), acked);
}

// Someone turns the workload's key into a string half-way: the final read of
// the master fails. The run must not report "lost: 0" but fail with exit 3.
TEST_F(SoakTest, AFinalReadThatFailsIsExitThreeNotLostZero) {
  const std::string file = Write("broken.chaos", R"(scenario "broken final read"
topology single
load clients=2 workload=set via=direct server=n1 duration=6s
)");
  pid_t pid = topology::Spawn({{bin_, "run", file, "--out", dir_ + "/out", "--quiet"}, {}, "", {}, dir_ + "/run.log"});
  std::string sock;
  bool found = topology::WaitFor([&] {
    for (auto& id : topology::testing::RunsOf(pid)) {
      std::string s = topology::StateRoot() + "/" + id + "/n1/redis.sock";
      if (fs::exists(s)) sock = s;
    }
    return !sock.empty() && topology::RunCommand({"/usr/bin/redis-cli", "-s", sock, "SCARD", "sc:set"}).output != "0\n";
  }, 30000, 50);
  EXPECT_TRUE(found);
  auto set = topology::RunCommand({"/usr/bin/redis-cli", "-s", sock, "EVAL",
                                   "redis.call('DEL', KEYS[1]); return redis.call('SET', KEYS[1], 'x')", "1", "sc:set"});
  EXPECT_EQ(set.output, "OK\n") << set.output;
  int status = 0;
  ASSERT_TRUE(topology::WaitFor([&] { return waitpid(pid, &status, WNOHANG) == pid; }, 120000, 50));
  std::ifstream in(dir_ + "/run.log");
  std::stringstream log;
  log << in.rdbuf();
  std::printf("%s", log.str().c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  EXPECT_NE(log.str().find("lost writes cannot be measured"), std::string::npos);
  auto res = Results("broken-final-read");
  EXPECT_EQ(res["run"]["verdict"], "error");
}

}  // namespace
}  // namespace sc::runner
