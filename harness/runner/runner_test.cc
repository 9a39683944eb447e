// Integration: the whole program on short scenarios, through its command line.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/source_dir.h"
#include "harness/runner/stamp_check.h"
#include "harness/runner/scenario_run_test.h"
#include "topology/process.h"
#include "topology/state.h"
#include "topology/test_support.h"

namespace sc::runner {
namespace {

namespace fs = std::filesystem;
using topology::RunCommand;

class RunnerTest : public testing::ScenarioRunTest {
 protected:
  RunnerTest() : ScenarioRunTest("sc-runner-test") {}
};

const char* kPause = R"(scenario "pause below down-after"
topology sentinel3 down-after=5s vip=on
load clients=4 workload=set via=vip duration=6s
at 2s pause redis on master for 1500ms as p1
at 4s partition n2 | n3 for 1s as q1
expect no failover
expect lost == 0
expect unavailability.longest < 2s
)";

TEST_F(RunnerTest, AMasterPausedFor1500msIsOneWindowOf1500ms) {
  auto r = Sc({"run", Write("pause.chaos", kPause), "--out", dir_ + "/out", "--quiet"});
  std::printf("%s", r.output.c_str());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  auto res = Results("pause-below-down-after");
  double longest = res["figures"]["unavailability.longest"].get<double>();
  std::printf("measured window %.4f s, error %+.1f ms\n", longest, (longest - 1.5) * 1000);
  EXPECT_NEAR(longest, 1.5, 0.1);
  // Each fault came into force just after its instant and `for T` held it for
  // T, measured between its in-force and out-of-force instants. The target is
  // 1 ms (printed here, and by bench_fault_timing). A stop can only come late
  // (it is scheduled T after the in-force instant), and a busy machine makes
  // it late by a few ms (6 ms seen at load average 12): the test allows 25 ms
  // over T and 1 ms under it, so that the old runner (start late by its
  // target resolution, stop on the scheduled instant: about 10 ms short)
  // still fails it.
  ASSERT_EQ(res["faults"].size(), 2u) << res["faults"].dump();
  for (auto& f : res["faults"]) {
    ASSERT_TRUE(f["scheduled_start_ns"].is_number()) << f.dump();
    ASSERT_TRUE(f["stop_ns"].is_number()) << f.dump();
    const double late_ms = (f["start_ns"].get<double>() - f["scheduled_start_ns"].get<double>()) / 1e6;
    const double held_s = (f["stop_ns"].get<double>() - f["start_ns"].get<double>()) / 1e9;
    const double want_s = f["id"] == "p1" ? 1.5 : 1.0;
    std::printf("fault %s: %.3f ms late, held %.6f s for %.1f s\n", f["id"].get<std::string>().c_str(), late_ms,
                held_s, want_s);
    EXPECT_GE(late_ms, 0);
    EXPECT_LT(late_ms, 25.0) << f.dump();
    EXPECT_GE(held_s, want_s - 0.001) << f.dump();
    EXPECT_LE(held_s, want_s + 0.025) << f.dump();
  }
  EXPECT_EQ(res["faults"][0]["target"], "n1") << "the master, from the observer's view";
  EXPECT_TRUE(fs::exists(dir_ + "/out/pause-below-down-after/latest/report.html"));
  EXPECT_TRUE(fs::exists(dir_ + "/out/pause-below-down-after/latest/junit.xml"));
  EXPECT_TRUE(fs::exists(dir_ + "/out/pause-below-down-after/latest/servers/n1/redis.log"));
}

// Event instants come from the system's own logs: every Sentinel event is
// stamped within 2 ms of Sentinel's own log line for it (same run, wall
// clocks: the journal's instants placed through the run's recorded wall
// start, not through the observer's own mapping), the promotion is the new
// master's own "MASTER MODE enabled" line (a separate step from Sentinel's
// +promoted-slave), and each VIP move is the hook's own stamp. Prints how
// much later pub/sub and the polls saw the same things.
// Whatever Sentinel does (on a busy machine it sometimes marks the fresh
// master down and fails over a second time; its first election may also be
// retried), the harness must record each failover with its own steps, in
// order: one anatomy entry per switch, each taken from its own interval (the
// second one's VIP move is the VIP appearing on its own new master, after its
// own promotion), chained old -> new master.
TEST_F(RunnerTest, EventInstantsComeFromTheSystemsOwnLogs) {
  auto r = Sc({"run", Write("kill.chaos", R"(scenario "event instants"
topology sentinel3 down-after=1s vip=on
load clients=2 workload=set via=vip duration=12s
at 2s kill redis on master as k
)"), "--out", dir_ + "/out", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string run = dir_ + "/out/event-instants/latest";
  const StampCheck c = CheckStamps(run);
  ASSERT_EQ(c.problem, "");
  std::printf("Sentinel event stamp - Sentinel's log: %s\n", Summary(c.sentinel_error_ms).c_str());
  std::printf("pub/sub arrival after Sentinel's log:  %s\n", Summary(c.pubsub_lag_ms).c_str());
  std::printf("promotion stamp - server's log:        %s\n", Summary(c.promotion_error_ms).c_str());
  std::printf("role poll after the server's log:      %s\n", Summary(c.promotion_poll_lag_ms).c_str());
  std::printf("VIP move stamp - hook's stamp:         %s\n", Summary(c.vip_error_ms).c_str());
  std::printf("VIP poll after the hook:               %s\n", Summary(c.vip_poll_lag_ms).c_str());
  EXPECT_GT(c.sentinel_events, 10);
  std::string unmatched;
  for (auto& u : c.unmatched_events) unmatched += "\n  " + u;
  EXPECT_EQ(c.unmatched, 0) << "journaled Sentinel events without their log line:" << unmatched;
  EXPECT_EQ(c.from_pubsub, 0) << "an event stamped on arrival although the log was readable";
  ASSERT_EQ(c.sentinel_error_ms.size(), static_cast<size_t>(c.sentinel_events));
  for (double e : c.sentinel_error_ms) EXPECT_LT(std::abs(e), 2.0) << "ms off Sentinel's own log line";
  EXPECT_GE(c.promotions_logged, 1) << "the failover promoted nobody?";
  EXPECT_EQ(c.promotions_journaled, c.promotions_logged);
  for (double e : c.promotion_error_ms) EXPECT_LT(std::abs(e), 2.0);
  EXPECT_GE(c.vip_moves_logged, 1);
  EXPECT_EQ(c.vip_moves_journaled, c.vip_moves_logged);
  for (double e : c.vip_error_ms) EXPECT_LT(std::abs(e), 2.0);
  // The poll is a cross-check, printed above: it never sees a move before the
  // hook made it. It may miss a move altogether (a state held for less than the
  // poll interval; or, at load average 11 with two test runs side by side, a
  // starved poll thread: "NOT MEASURED" once in three clean-clone runs), so
  // its count is not asserted; the hook's own stamps are, above.
  for (double lag : c.vip_poll_lag_ms) EXPECT_GE(lag, -1.0);

  // The anatomy: one entry per switch, each with every step, in order.
  auto res = Results("event-instants");
  ASSERT_GE(res["failovers"].size(), 1u) << res.dump();
  EXPECT_EQ(res["failovers"].size(), res["figures"]["failovers"].get<size_t>());
  std::printf("Sentinel failed over %zu time(s)\n", res["failovers"].size());
  const auto at = [](const nlohmann::json& f, const char* step) { return f[step].get<int64_t>(); };
  for (size_t i = 0; i < res["failovers"].size(); ++i) {
    const auto& f = res["failovers"][i];
    for (const char* step : {"sdown_ns", "odown_ns", "elected_leader_ns", "became_master_ns", "promoted_ns",
                             "switch_master_ns", "vip_moved_ns", "first_ok_ns"})
      ASSERT_TRUE(f[step].is_number()) << "failover " << i << " has no " << step << ": " << f.dump();
    ASSERT_TRUE(f["old_master"].is_string() && f["new_master"].is_string()) << f.dump();
    EXPECT_NE(f["old_master"], f["new_master"]) << f.dump();
    // Each step at or after the one it follows: detection, election, the
    // replica's own promotion, Sentinel's notice (+promoted-slave, at its next
    // INFO poll), the switch.
    EXPECT_LE(at(f, "fault_start_ns"), at(f, "sdown_ns")) << f.dump();
    EXPECT_LE(at(f, "sdown_ns"), at(f, "odown_ns")) << f.dump();
    EXPECT_LE(at(f, "odown_ns"), at(f, "elected_leader_ns")) << f.dump();
    EXPECT_LE(at(f, "elected_leader_ns"), at(f, "became_master_ns")) << f.dump();
    EXPECT_LE(at(f, "became_master_ns"), at(f, "promoted_ns")) << f.dump();
    EXPECT_LE(at(f, "promoted_ns"), at(f, "switch_master_ns")) << f.dump();
    // The hook runs once Sentinel saw the promotion (+promoted-slave or a newer config).
    EXPECT_GE(at(f, "vip_moved_ns"), at(f, "became_master_ns")) << f.dump();
    EXPECT_GE(at(f, "first_ok_ns"), std::max(at(f, "switch_master_ns"), at(f, "vip_moved_ns"))) << f.dump();
    if (i > 0) {
      // A second failover replaces the first one's new master, and its steps
      // all come after the switch it follows.
      const auto& prev = res["failovers"][i - 1];
      EXPECT_EQ(f["old_master"], prev["new_master"]) << prev.dump() << "\n" << f.dump();
      EXPECT_GT(at(f, "sdown_ns"), at(prev, "switch_master_ns")) << prev.dump() << "\n" << f.dump();
    }
    std::printf("failover %zu (%s -> %s): promotion %.1f ms after election, Sentinel noticed %.1f ms later, VIP "
                "moved %.1f ms after the promotion, %+.1f ms from the switch\n",
                i + 1, f["old_master"].get<std::string>().c_str(), f["new_master"].get<std::string>().c_str(),
                (f["became_master_ns"].get<double>() - f["elected_leader_ns"].get<double>()) / 1e6,
                (f["promoted_ns"].get<double>() - f["became_master_ns"].get<double>()) / 1e6,
                (f["vip_moved_ns"].get<double>() - f["became_master_ns"].get<double>()) / 1e6,
                (f["vip_moved_ns"].get<double>() - f["switch_master_ns"].get<double>()) / 1e6);
  }
}

// A load client that cannot join the client network is the harness's
// failure, never a result: exit 3 with the reason, not a pass on fewer clients.
TEST_F(RunnerTest, AClientThreadThatCannotRunEndsTheRunWithExitThree) {
  const std::string file = Write("clients.chaos", R"(scenario "client cannot run"
topology single vip=off
load clients=3 workload=set via=direct server=n1 duration=3s
at 1s kill redis on master as k
after 500ms restart k
expect lost == 0
)");
  auto r = RunCommand({"/usr/bin/env", "SC_TEST_CLIENT_INIT_FAILS=1", std::string(SC_BINARY_DIR) + "/sentinel-chaos",
                       "run", file, "--out", dir_ + "/out", "--quiet"},
                      "", 600000);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("load client could not run (client 1: "), std::string::npos) << r.output;
  EXPECT_EQ(Results("client-cannot-run")["run"]["verdict"], "error");
}

// Faults that hit a service no client has written to yet measure nothing:
// such a run is not a pass. The clients write to the replica, which refuses
// every write (READONLY) whatever the timing, so no write can be acknowledged
// before the fault (`at 0s kill` alone raced the clients' first writes: 5
// were acknowledged first once, with two test runs side by side). A large
// down-after keeps the replica a replica for the whole run. The fault targets
// `master` at 0 s: the runner starts the timeline only once the observer has
// read every server's role, so it resolves to n1 (before that it was "not
// applied: there is no single master to target now"). The run ends at that
// fault (applied, then healed) instead of playing the rest of the scenario:
// well before its 10 s of load; it ends before the clients' first answers, so
// it says nothing of what they were answered.
TEST_F(RunnerTest, NoWriteAcknowledgedBeforeTheFirstFaultIsNothingToMeasure) {
  auto r = Sc({"run", Write("early.chaos", R"(scenario "fault before any write"
topology sentinel1 down-after=30s vip=off
load clients=2 workload=set via=direct server=n2 duration=10s
at 0s kill redis on master as k
after 1s restart k
expect lost == 0
)"), "--out", dir_ + "/out", "--quiet"});
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("nothing to measure"), std::string::npos) << r.output;
  auto res = Results("fault-before-any-write");
  ASSERT_EQ(res["faults"].size(), 1u) << res["faults"].dump();
  EXPECT_EQ(res["faults"][0]["target"], "n1") << "the fault was applied: " << res["faults"][0].dump();
  EXPECT_EQ(res["faults"][0]["applied"], true) << res["faults"][0].dump();
  EXPECT_EQ(res["figures"]["acknowledged.before_fault"], 0);
  EXPECT_EQ(res["run"]["verdict"], "error");
  std::printf("the run ended %.2f s after its start (load: 10 s)\n", res["run"]["duration_ns"].get<double>() / 1e9);
  EXPECT_LT(res["run"]["duration_ns"].get<double>(), 7e9) << "the run played on after nothing was measured";
}

// Without a fault nothing fails over and nothing is lost. A window needs only
// a 50 ms gap between acknowledged writes, which a machine at load average 13
// gives by scheduling alone (5 windows seen once): the bound is on their
// length, far below any failover, and the count is printed.
TEST_F(RunnerTest, ACleanRunHasNoWindowAndLosesNothing) {
  auto r = Sc({"run", Write("clean.chaos", R"(scenario "clean"
topology sentinel3
load clients=4 duration=3s
expect failovers == 0
expect unavailability.longest < 500ms
expect lost == 0
expect acknowledged > 100
)"), "--out", dir_ + "/out", "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const auto figures = Results("clean")["figures"];
  std::printf("clean run: %s unavailability windows, longest %s s\n", figures.value("unavailability.count", nlohmann::json()).dump().c_str(),
              figures.value("unavailability.longest", nlohmann::json()).dump().c_str());
}

TEST_F(RunnerTest, AFailedExpectationExitsOne) {
  auto r = Sc({"run", Write("fail.chaos", R"(scenario "must fail"
topology single
load clients=2 duration=2s
expect acknowledged < 1
)"), "--out", dir_ + "/out", "--quiet", "--set", "clients=1", "--seed", "5"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("FAIL  expect acknowledged < 1"), std::string::npos) << r.output;
  // The report's rerun line reproduces the run: its overrides and its seed.
  EXPECT_EQ(Results("must-fail")["run"]["rerun"], "sentinel-chaos run " + dir_ + "/fail.chaos --set clients=1 --seed 5");
}

TEST_F(RunnerTest, AnInvalidScenarioExitsTwoAndStartsNothing) {
  auto r = Sc({"run", Write("bad.chaos", R"(scenario "bad"
topology sentinel2
load clients=2 duration=5s
at 1s kil redis on master
)"), "--out", dir_ + "/out"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("bad.chaos:4:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("did you mean 'kill'"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ + "/out")) << "an invalid scenario must not start a run";
  EXPECT_EQ(Sc({"run", dir_ + "/missing.chaos"}).exit_code, 2);
  EXPECT_EQ(Sc({"run", Write("ok.chaos", "scenario \"x\"\ntopology single\nload duration=2s\n"), "--set", "replicaz=1"}).exit_code, 2);
}

TEST_F(RunnerTest, SuiteAndCheckRejectBadInputBeforeStartingAnything) {
  const std::string ok = Write("ok.chaos", "scenario \"x\"\ntopology single\nload duration=2s\n");
  auto r = Sc({"suite", ok, "--matrix", "down-after=", "--out", dir_ + "/out"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--matrix down-after has no values"), std::string::npos) << r.output;
  r = Sc({"suite", ok, "--matrix", "downafter=1s,2s", "--out", dir_ + "/out"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("did you mean"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ + "/out"));
  r = Sc({"check", ok, Write("bad.chaos", "scenario \"y\"\ntopology sentinel9\n")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("ok.chaos: ok"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("bad.chaos:2:"), std::string::npos) << r.output;
  EXPECT_EQ(Sc({"check", std::string(sc::SourceDir()) + "/scenarios/sentinel3/master-kill.chaos"}).exit_code, 0);
  // A directory is every scenario in it and below, as for suite: never read as a file.
  r = Sc({"check", std::string(sc::SourceDir()) + "/scenarios"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("scenarios/single/master-kill.chaos: ok"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("scenarios/sentinel3/soak-30m.chaos: ok"), std::string::npos) << r.output;
  r = Sc({"check", dir_});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("ok.chaos: ok"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("bad.chaos:2:"), std::string::npos) << r.output;
  fs::create_directories(dir_ + "/empty");
  r = Sc({"check", dir_ + "/empty"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("no scenario files (*.chaos) found"), std::string::npos) << r.output;
  EXPECT_EQ(Sc({"frobnicate"}).exit_code, 2);
}

TEST_F(RunnerTest, ASuiteOfTwoScenariosWritesItsOverview) {
  const std::string a = Write("a.chaos", "scenario \"a\"\ntopology single\nload clients=2 duration=2s\nexpect lost == 0\n");
  auto r = Sc({"suite", a, "--matrix", "persistence=none,aof", "--out", dir_ + "/out"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::string suite;
  for (auto& d : fs::directory_iterator(dir_ + "/out"))
    if (d.path().filename().string().rfind("suite-", 0) == 0) suite = d.path();
  ASSERT_FALSE(suite.empty()) << r.output;
  nlohmann::json j;
  std::ifstream(suite + "/suite.json") >> j;
  ASSERT_EQ(j["runs"].size(), 2u);
  EXPECT_EQ(j["runs"][1]["matrix"]["persistence"], "aof");
  EXPECT_TRUE(fs::exists(suite + "/index.html"));
  EXPECT_TRUE(fs::exists(suite + "/junit.xml"));
}

TEST_F(RunnerTest, CtrlCDuringAPartitionLeavesNothingBehind) {
  const std::string file = Write("part.chaos", R"(scenario "interrupted partition"
topology sentinel3
load clients=2 duration=30s
at 1s partition master | others as p
at 25s heal p
)");
  pid_t pid = topology::Spawn({{std::string(SC_BINARY_DIR) + "/sentinel-chaos", "run", file, "--out", dir_ + "/out", "--quiet"},
                               {}, "", {}, dir_ + "/run.log"});
  // Wait until the partition is in force: its chain is in the run's state.
  bool partitioned = topology::WaitFor([&] {
    for (auto& id : topology::testing::RunsOf(pid)) {
      try {
        for (auto& r : topology::RunState::Load(id).resources())
          if (r.kind == "chain") return true;
      } catch (...) {
      }
    }
    return false;
  }, 20000, 20);
  EXPECT_TRUE(partitioned);
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  EXPECT_TRUE(topology::testing::RunsOf(pid).empty()) << "the interrupted run left its state behind";
}

// The design article's argument, measured with the library's own scenarios.
class ArticleTest : public RunnerTest {
 protected:
  // `unelected`, when given, is set when Sentinel's elections split and it
  // never failed over (then nothing of the run is judged here).
  nlohmann::json RunLibrary(const std::string& file, std::vector<std::string> extra = {}, bool* unelected = nullptr) {
    const std::string out = dir_ + "/lib";
    std::vector<std::string> args = {"run", std::string(sc::SourceDir()) + "/scenarios/" + file, "--out", out, "--quiet", "--seed", "7"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = Sc(args);
    std::string latest;
    for (auto& d : fs::directory_iterator(out))
      if (fs::exists(d.path() / "latest") && fs::last_write_time(d.path() / "latest") >= started_) latest = d.path() / "latest";
    std::ifstream in(latest + "/results.json");
    nlohmann::json j;
    in >> j;
    fs::remove_all(out);
    // A library scenario's own expectations hold (1 would be a failed one),
    // except Sentinel's timing when its first election failed (a split vote:
    // it retries after 2 x failover-timeout). That is Sentinel's answer, not
    // the harness's: the harness must then have recorded the aborted
    // election, and only expectations on failover timing may have failed.
    bool retried = false;
    for (auto& e : j["timeline"]["sentinel_events"]) retried |= e.value("event", "") == "-failover-abort-not-elected";
    if (unelected) *unelected = retried && j["figures"].value("failovers", 0.0) == 0;
    if (unelected && *unelected) {
      std::printf("Sentinel's elections all split: no failover in this run\n");
    } else if (r.exit_code == 1 && retried) {
      for (auto& x : j["expectations"]) {
        if (x.value("passed", true)) continue;
        const std::string figure = x.value("figure", "");
        std::printf("Sentinel retried its election: %s measured %s\n", x.value("text", "").c_str(), x["measured"].dump().c_str());
        EXPECT_TRUE(figure == "failover.time" || figure == "unavailability.longest" || figure.rfind("ttr", 0) == 0)
            << "a failed expectation that Sentinel's retry does not explain: " << x.dump();
      }
    } else {
      EXPECT_EQ(r.exit_code, 0) << r.output;
    }
    return j;
  }
  fs::file_time_type started_ = fs::file_time_type::clock::now();
};

TEST_F(ArticleTest, AnIsolatedMasterLosesAcknowledgedWritesAndMinReplicasLosesFewer) {
  // down-after 3 s: the isolated master keeps taking writes until the
  // failover, well past the 1-2 s a guarded master takes to refuse them, so
  // the difference is not lost in Sentinel's random failover delay.
  // failover-timeout 2 s: a split election is retried 4 s later, inside the
  // 10 s partition (with 5 s it came after the heal: no failover, nothing
  // lost, once in a clean-clone run). Should every election of a run split,
  // the run says nothing about this claim: run it again (at most three times).
  auto elected_run = [&](const std::string& file) {
    nlohmann::json j;
    bool unelected = true;
    for (int attempt = 0; attempt < 3 && unelected; ++attempt) {
      started_ = fs::file_time_type::clock::now();
      j = RunLibrary(file, {"--set", "down-after=3s", "--set", "failover-timeout=2s"}, &unelected);
    }
    EXPECT_FALSE(unelected) << file << ": Sentinel's elections split in three runs";
    return j;
  };
  auto plain = elected_run("sentinel3/master-isolated.chaos");
  auto guarded = elected_run("sentinel3/master-isolated-min-replicas.chaos");
  double lost_plain = plain["figures"]["lost"], lost_guarded = guarded["figures"]["lost"];
  std::printf("master isolated: lost %.0f acknowledged writes; with min-replicas-to-write=1: lost %.0f\n", lost_plain,
              lost_guarded);
  EXPECT_GT(lost_plain, 0) << "Sentinel loses acknowledged writes under this partition; 0 would be a wrong measurement";
  EXPECT_GE(plain["figures"]["failovers"].get<double>(), 1);
  EXPECT_LT(lost_guarded, lost_plain);
}

TEST_F(ArticleTest, APartitionBetweenTwoReplicasCausesNoFailoverAndNoWindow) {
  auto r = RunLibrary("sentinel3/partition-replicas.chaos");
  std::printf("partition n2 | n3: failovers %.0f, unavailability windows %.0f\n", r["figures"]["failovers"].get<double>(),
              r["figures"]["unavailability.count"].get<double>());
  EXPECT_EQ(r["figures"]["failovers"].get<double>(), 0);
  // No outage: a window would need every client stalled. Scheduling noise
  // can stall them all on a starved machine (0.58 s once at load average 13,
  // two tests at a time); a partition that cut the master from the clients
  // would stall them for its 8 s, and a failover takes at least down-after
  // (1 s) before its election.
  const double longest = r["figures"]["unavailability.longest"].get<double>();
  std::printf("longest window %.3f s\n", longest);
  EXPECT_LT(longest, 1.0);
}

TEST_F(ArticleTest, OnlyThreeSentinelsFailOverWhenTheMastersServerGoesDown) {
  auto two = RunLibrary("sentinel2/master-node-down.chaos");
  started_ = fs::file_time_type::clock::now();
  auto three = RunLibrary("sentinel3/master-node-down.chaos");
  std::printf("server 1 down: sentinel2 failovers %.0f, longest unavailability %.2f s; sentinel3 failovers %.0f, "
              "longest unavailability %.2f s\n",
              two["figures"]["failovers"].get<double>(), two["figures"]["unavailability.longest"].get<double>(),
              three["figures"]["failovers"].get<double>(), three["figures"]["unavailability.longest"].get<double>());
  EXPECT_EQ(two["figures"]["failovers"].get<double>(), 0) << "one Sentinel of two is no majority";
  EXPECT_GE(two["figures"]["unavailability.longest"].get<double>(), 7.0);
  EXPECT_GE(three["figures"]["failovers"].get<double>(), 1);
  // However many elections Sentinel needed, the harness's part is the same:
  // the outage ends soon after the switch (VIP hook, clients reconnecting).
  const double longest = three["figures"]["unavailability.longest"].get<double>();
  const double failover = three["figures"]["failover.time"].get<double>();
  std::printf("sentinel3: failover after %.2f s, outage %.2f s\n", failover, longest);
  EXPECT_LT(longest, failover + 3.0);
}

}  // namespace
}  // namespace sc::runner
