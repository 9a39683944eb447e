// 'crash leader' on real processes (netns backend, real redis and Sentinels).
// Which Sentinel wins the election is Sentinel's business; what the harness
// must do whatever happens is checked: every Sentinel armed and the master
// killed at the start, each Sentinel that exits named in the history at the
// instant (a 'note' of the fault), the flag cleared on the others, and at the
// restart the crashed ones and the killed redis-server started again.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "harness/history/history.h"
#include "harness/runner/runner.h"
#include "harness/scenario/parser.h"
#include "harness/scenario/test_figures.h"
#include "topology/test_support.h"

namespace sc::faults {
namespace {

namespace fs = std::filesystem;

TEST(CrashLeaderFaultRun, TheCrashedSentinelIsNamedAndRestarted) {
  const std::string before = topology::testing::HostSnapshot();
  // No VIP: the hook that moves it runs in the promoted server's own
  // Sentinel, which may be the one that crashed (the VIP then waits for its
  // restart), and that is Sentinel's luck, not the harness's record.
  // failover-timeout=2s: an attempt that fails is retried 4 s later, so the
  // 12 s the fault holds leave room for several elections.
  auto parsed = scenario::ParseScenario(R"(scenario "leader crash"
topology sentinel3 down-after=1s failover-timeout=2s vip=off
load clients=2 workload=set via=sentinel rate=500 duration=16s
at 2s crash leader after=election as lc
at 14s restart lc
)",
                                        "t.chaos", scenario::testing::ResultsDocContext());
  ASSERT_TRUE(parsed.ok()) << parsed.ErrorText();
  const std::string out = fs::temp_directory_path() / ("sc-crash-leader-test-" + std::to_string(getpid()));
  runner::RunSettings rs;
  rs.out_root = out;
  rs.quiet = true;
  runner::RunOutcome o = runner::Run(*parsed.plan, rs);
  EXPECT_NE(o.exit_code, 3) << o.error;
  ASSERT_EQ(o.results["faults"].size(), 1u) << o.results["faults"].dump(1);
  const auto& f = o.results["faults"][0];
  EXPECT_EQ(f["kind"], "crash");
  EXPECT_EQ(f["target"], "n1");
  EXPECT_EQ(f["detail"].get<std::string>().rfind(
                "SIMULATE-FAILURE crash-after-election on the Sentinels of n1, n2, n3; redis-server pid ", 0),
            0u)
      << f.dump();

  // Recorded like every kind: when it was scheduled and when it came into / went out of force.
  ASSERT_TRUE(f["scheduled_start_ns"].is_number()) << f.dump();
  ASSERT_TRUE(f["start_ns"].is_number() && f["stop_ns"].is_number()) << f.dump();
  const double late_ms = (f["start_ns"].get<double>() - f["scheduled_start_ns"].get<double>()) / 1e6;
  std::printf("%s in force %.3f ms after its instant\n", f["kind"].get<std::string>().c_str(), late_ms);
  EXPECT_GE(late_ms, 0) << f.dump();
  EXPECT_LT(late_ms, 500) << f.dump();
  EXPECT_GT(f["stop_ns"].get<double>(), f["start_ns"].get<double>()) << f.dump();

  std::string stop_detail;
  std::set<std::string> crashed;
  int cleared = 0;
  JournalReader reader;  // whatever the journal's format
  reader.on_event = [&](const Event& ev) {
    if (ev.type == "note" && ev.name == "lc") {
      if (ev.detail.find("exited (crash-after-election)") != std::string::npos) crashed.insert(ev.target);
      if (ev.detail.rfind("SIMULATE-FAILURE cleared on the Sentinels of ", 0) == 0) ++cleared;
    }
    if (ev.type == "fault-stop" && ev.name == "lc") stop_detail = ev.detail;
  };
  reader.Read(runner::JournalPathIn(o.run_dir));
  // The master is dead and every Sentinel armed: whichever wins an election exits.
  ASSERT_GE(crashed.size(), 1u) << "no Sentinel crash was recorded";
  EXPECT_GE(cleared, 1);
  std::string names;
  for (const auto& n : crashed) {
    EXPECT_TRUE(n == "n1" || n == "n2" || n == "n3") << n;
    names += (names.empty() ? "" : ", ") + n;
  }
  EXPECT_NE(stop_detail.find("crashed: the Sentinel on " + names), std::string::npos) << stop_detail;
  for (const auto& n : crashed) EXPECT_NE(stop_detail.find("the Sentinel on " + n + ", "), std::string::npos) << stop_detail;
  EXPECT_NE(stop_detail.find("redis-server on n1"), std::string::npos) << stop_detail;
  // Everything was started again: the topology settles.
  EXPECT_EQ(o.results["figures"]["settled"], 1) << o.results["settle"].dump();
  fs::remove_all(out);
  EXPECT_EQ(topology::testing::HostSnapshot(), before) << "the host's network or rules changed";
}

}  // namespace
}  // namespace sc::faults
