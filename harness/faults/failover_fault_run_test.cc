// 'failover' on real processes (netns backend, real redis and Sentinels): the
// Sentinel named by via= is asked, the master when it was asked is the
// target, and the switch it makes is in the history and the figures. A
// requested failover does not depend on timing: with a healthy replica the
// Sentinel promotes it, without vote or down-after.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "harness/history/history.h"
#include "harness/runner/runner.h"
#include "harness/scenario/parser.h"
#include "harness/scenario/test_figures.h"
#include "topology/test_support.h"

namespace sc::faults {
namespace {

namespace fs = std::filesystem;

TEST(FailoverFaultRun, TheSentinelAskedFailsOverAndTheRunRecordsIt) {
  const std::string before = topology::testing::HostSnapshot();
  auto parsed = scenario::ParseScenario(R"(scenario "planned failover"
topology sentinel3 down-after=10s failover-timeout=5s vip=on
load clients=2 workload=set via=vip rate=500 duration=8s
at 2s failover via=n2 as pf
wait until failover timeout 5s
expect failovers == 1
)",
                                        "t.chaos", scenario::testing::ResultsDocContext());
  ASSERT_TRUE(parsed.ok()) << parsed.ErrorText();
  const std::string out = fs::temp_directory_path() / ("sc-failover-test-" + std::to_string(getpid()));
  runner::RunSettings rs;
  rs.out_root = out;
  rs.quiet = true;
  runner::RunOutcome o = runner::Run(*parsed.plan, rs);
  EXPECT_EQ(o.exit_code, 0) << o.error << o.results["expectations"].dump(1);
  ASSERT_EQ(o.results["faults"].size(), 1u) << o.results["faults"].dump(1);
  const auto& f = o.results["faults"][0];
  EXPECT_EQ(f["kind"], "failover");
  EXPECT_EQ(f["target"], "n1") << "the master when the Sentinel was asked";
  EXPECT_EQ(f["detail"], "SENTINEL FAILOVER mymaster sent to the Sentinel on n2: OK");

  // Recorded like every kind: when it was scheduled and when it came into / went out of force.
  ASSERT_TRUE(f["scheduled_start_ns"].is_number()) << f.dump();
  ASSERT_TRUE(f["start_ns"].is_number() && f["stop_ns"].is_number()) << f.dump();
  const double late_ms = (f["start_ns"].get<double>() - f["scheduled_start_ns"].get<double>()) / 1e6;
  std::printf("%s in force %.3f ms after its instant\n", f["kind"].get<std::string>().c_str(), late_ms);
  EXPECT_GE(late_ms, 0) << f.dump();
  EXPECT_LT(late_ms, 500) << f.dump();
  EXPECT_GT(f["stop_ns"].get<double>(), f["start_ns"].get<double>()) << f.dump();
  EXPECT_EQ(o.results["figures"]["failovers"], 1);
  // down-after is 10 s: the switch can only be the one that was asked for, and comes fast.
  EXPECT_LT(o.results["figures"]["failover.time"].get<double>(), 5.0);
  bool switched = false;
  JournalReader reader;  // whatever the journal's format
  reader.on_event = [&](const Event& ev) { switched |= ev.type == "sentinel-event" && ev.name == "+switch-master"; };
  reader.Read(runner::JournalPathIn(o.run_dir));
  EXPECT_TRUE(switched);
  fs::remove_all(out);
  EXPECT_EQ(topology::testing::HostSnapshot(), before) << "the host's network or rules changed";
}

}  // namespace
}  // namespace sc::faults
