// Integration: the nightly entry point end to end on a small two-scenario
// suite, night after night, with the trend judged on real suite outputs.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "topology/process.h"
#include "topology/test_support.h"

namespace sc::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class NightlyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    before_ = topology::testing::HostSnapshot();
    dir_ = fs::temp_directory_path() / ("sc-nightly-test-" + std::to_string(getpid()));
    fs::create_directories(dir_ + "/scenarios/sentinel3");
    // The master's redis-server killed: the window is about down-after + failover.
    // (Not restarted during the load: an empty master coming back under load
    // lost 12,132 acknowledged writes on one night of five, a real finding
    // but not what this test is about.)
    std::ofstream(dir_ + "/scenarios/sentinel3/master-kill.chaos") << R"(scenario "nightly master kill"
topology sentinel3 down-after=1s failover-timeout=5s vip=on
load clients=4 workload=set via=vip duration=9s
at 1s kill redis on master as m1
expect unavailability.longest < 30s
)";
    std::ofstream(dir_ + "/scenarios/sentinel3/replica-pause.chaos") << R"(scenario "nightly replica pause"
topology sentinel3 down-after=1s vip=on
load clients=2 workload=set via=vip duration=3s
at 1s pause redis on replica for 500ms as p1
expect lost == 0
)";
    // A soak file beside them: left out unless --soak.
    std::ofstream(dir_ + "/scenarios/sentinel3/soak-test.chaos") << "this is not even valid\n";
  }
  void TearDown() override {
    fs::remove_all(dir_);
    EXPECT_EQ(topology::testing::HostSnapshot(), before_) << "the host's network or rules changed";
  }
  topology::CommandResult Nightly(const std::string& night, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {std::string(SC_BINARY_DIR) + "/sentinel-chaos", "nightly", dir_ + "/scenarios",
                                     "--out", dir_ + "/out", "--history", dir_ + "/history", "--night", night,
                                     "--summary", dir_ + "/step-summary.md", "--seed", "7"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = topology::RunCommand(args);
    std::printf("%s", r.output.c_str());
    return r;
  }
  json Trend(const std::string& night) { return json::parse(ReadAll(dir_ + "/out/" + night + "/trend.json")); }
  static const json& Cell(const json& trend, const std::string& cls) {
    for (auto& row : trend["scenarios"])
      if (row["failure_class"] == cls) return row["nights"].back();
    throw std::runtime_error("no row " + cls);
  }
  std::string dir_, before_;
};

TEST_F(NightlyTest, NightAfterNightAWorseNightIsFlaggedAndARepeatIsNot) {
  for (const char* night : {"n1", "n2"}) {
    auto r = Nightly(night);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  // Everything a night produces, for people and for CI.
  for (const char* f : {"index.html", "trend.html", "trend.json", "junit.xml", "suite.json", "summary.md"})
    EXPECT_TRUE(fs::exists(dir_ + "/out/n2/" + std::string(f))) << f;
  EXPECT_TRUE(fs::exists(dir_ + "/history/n1/suite.json"));
  json suite = json::parse(ReadAll(dir_ + "/out/n2/suite.json"));
  EXPECT_EQ(suite["runs"].size(), 2u) << "soak-*.chaos stays out of the regular night";
  EXPECT_EQ(suite["runs"][0]["scenario_sha256"].get<std::string>().size(), 64u);

  // Night 3, deliberately worse: Sentinel waits 5 s before it calls the master down.
  auto worse = Nightly("n3", {"--set", "down-after=5s", "--fail-on-regression"});
  EXPECT_EQ(worse.exit_code, 1) << worse.output;  // expectations hold; the trend fails it
  json t3 = Trend("n3");
  auto regressed = [](const json& cell) {
    std::vector<std::string> v;
    for (auto& r : cell["regressed"]) v.push_back(r["figure"]);
    return v;
  };
  const json& kill3 = Cell(t3, "master-kill");
  std::printf("night 3: master-kill longest %.3f s, median before %.3f s\n",
              kill3["figures"]["unavailability.longest"].get<double>(),
              kill3["median"]["unavailability.longest"].get<double>());
  const std::vector<std::string> flagged3 = regressed(kill3);
  EXPECT_NE(std::find(flagged3.begin(), flagged3.end(), "unavailability.longest"), flagged3.end()) << kill3.dump();
  EXPECT_TRUE(Cell(t3, "replica-pause")["regressed"].empty()) << Cell(t3, "replica-pause").dump();
  EXPECT_TRUE(Cell(t3, "replica-pause")["judged"].get<bool>());
  std::string summary3 = ReadAll(dir_ + "/out/n3/summary.md");
  EXPECT_NE(summary3.find("regressed: unavailability.longest"), std::string::npos) << summary3;

  // Night 4 repeats the first nights' settings: judged, and its unavailability
  // not flagged. (Lost writes are not asserted: on this busy 2-core machine a
  // spurious second failover now and then loses thousands of writes that the
  // demoted master acknowledged while it still held the VIP, and the trend
  // rightly flags that night.)
  auto repeat = Nightly("n4");
  EXPECT_NE(repeat.exit_code, 3) << repeat.output;
  json t4 = Trend("n4");
  EXPECT_EQ(t4["nights"].size(), 4u);
  const json& kill4 = Cell(t4, "master-kill");
  std::printf("night 4: master-kill longest %.3f s, median before %.3f s\n",
              kill4["figures"]["unavailability.longest"].get<double>(),
              kill4["median"]["unavailability.longest"].get<double>());
  EXPECT_TRUE(kill4["judged"].get<bool>());
  for (auto& r : kill4["regressed"]) {
    EXPECT_NE(r["figure"], "unavailability.longest") << kill4.dump();
    EXPECT_NE(r["figure"], "failover.time") << kill4.dump();
    if (r["figure"] == "lost") std::printf("night 4: %s lost writes flagged (a real loss, see above)\n", r["value"].dump().c_str());
  }
  EXPECT_TRUE(Cell(t4, "replica-pause")["regressed"].empty()) << Cell(t4, "replica-pause").dump();
  // The trend page marks night 3's point.
  std::string html = ReadAll(dir_ + "/out/n4/trend.html");
  EXPECT_NE(html.find("pt regressed\" data-night=\"2\""), std::string::npos);

  // `trend` over the kept history gives the same judgement.
  auto tr = topology::RunCommand({std::string(SC_BINARY_DIR) + "/sentinel-chaos", "trend", dir_ + "/history", "--out",
                                  dir_ + "/trend-out"});
  EXPECT_EQ(tr.exit_code, 0) << tr.output;
  json th = json::parse(ReadAll(dir_ + "/trend-out/trend.json"));
  EXPECT_EQ(th["regressions"].size(), t4["regressions"].size());

  // Night 5 is stopped by its time limit half-way: the run is cut short, cleaned
  // up, listed in the summary, and not compared.
  auto cut = Nightly("n5", {"--time-limit", "5s"});
  EXPECT_EQ(cut.exit_code, 3) << cut.output;
  std::string summary5 = ReadAll(dir_ + "/out/n5/summary.md");
  EXPECT_NE(summary5.find("Runs cut short"), std::string::npos) << summary5;
  EXPECT_NE(summary5.find("never started"), std::string::npos) << summary5;
  EXPECT_NE(summary5.find("time limit"), std::string::npos) << summary5;
  json t5 = Trend("n5");
  EXPECT_EQ(Cell(t5, "master-kill")["state"], "failed");
  // Every night appended its summary to the step-summary file.
  std::string step = ReadAll(dir_ + "/step-summary.md");
  EXPECT_NE(step.find("nightly n1"), std::string::npos);
  EXPECT_NE(step.find("nightly n5"), std::string::npos);
}

TEST_F(NightlyTest, ASuiteKilledHalfWayIsRecoveredAndListedAsCutShort) {
  const std::string bin = std::string(SC_BINARY_DIR) + "/sentinel-chaos";
  pid_t nightly = topology::Spawn({{bin, "nightly", dir_ + "/scenarios", "--out", dir_ + "/out", "--history",
                                    dir_ + "/history", "--night", "killed", "--seed", "7"},
                                   {}, "", {}, dir_ + "/nightly.log"});
  // The suite runs as the nightly's child; wait until its first run is loading.
  pid_t suite = 0;
  bool loading = topology::WaitFor([&] {
    std::ifstream children("/proc/" + std::to_string(nightly) + "/task/" + std::to_string(nightly) + "/children");
    children >> suite;
    return suite > 0 && ReadAll(dir_ + "/out/killed/suite.json").empty() && fs::exists(dir_ + "/out/killed/runs") &&
           !topology::testing::RunsOf(suite).empty();
  }, 30000, 50);
  ASSERT_TRUE(loading) << ReadAll(dir_ + "/nightly.log");
  std::this_thread::sleep_for(std::chrono::seconds(5));  // up, then a few seconds of load
  kill(suite, SIGKILL);
  int status = 0;
  waitpid(nightly, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << ReadAll(dir_ + "/nightly.log");
  EXPECT_EQ(WEXITSTATUS(status), 3) << ReadAll(dir_ + "/nightly.log");
  EXPECT_TRUE(topology::testing::RunsOf(suite).empty()) << "the killed suite's topology was left behind";
  json suite_json = json::parse(ReadAll(dir_ + "/out/killed/suite.json"));
  ASSERT_EQ(suite_json["runs"].size(), 1u) << suite_json.dump();
  EXPECT_TRUE(suite_json["runs"][0]["cut_short"].get<bool>());
  EXPECT_EQ(suite_json["planned_runs"], 2) << "two scenarios were planned";
  std::string summary = ReadAll(dir_ + "/out/killed/summary.md");
  std::printf("%s\n", summary.c_str());
  EXPECT_NE(summary.find("Runs cut short"), std::string::npos) << summary;
  EXPECT_NE(summary.find("recovered from its journal"), std::string::npos) << summary;
  EXPECT_NE(summary.find("died on signal 9"), std::string::npos) << summary;
  EXPECT_NE(summary.find("1 planned run(s) never started"), std::string::npos) << summary;
  const std::string run_dir = dir_ + "/out/killed/" + suite_json["runs"][0]["run_dir"].get<std::string>();
  EXPECT_TRUE(fs::exists(run_dir + "/report.html"));
  EXPECT_NE(ReadAll(run_dir + "/report.html").find("id=\"cut-short-at\""), std::string::npos);
  EXPECT_TRUE(fs::exists(dir_ + "/out/killed/index.html"));
  EXPECT_TRUE(fs::exists(dir_ + "/out/killed/trend.html"));
}

TEST_F(NightlyTest, InvalidInputStartsNothing) {
  auto r = topology::RunCommand({std::string(SC_BINARY_DIR) + "/sentinel-chaos", "nightly", dir_ + "/nope", "--out",
                                 dir_ + "/out"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = topology::RunCommand({std::string(SC_BINARY_DIR) + "/sentinel-chaos", "nightly", dir_ + "/scenarios", "--soak",
                            "--out", dir_ + "/out", "--night", "x"});
  EXPECT_EQ(r.exit_code, 2) << r.output;  // --soak takes the (here invalid) soak file in
  EXPECT_NE(r.output.find("soak-test.chaos"), std::string::npos) << r.output;
  // `suite DIR` leaves the soak scenarios out too (here: nothing left to run).
  fs::create_directories(dir_ + "/only-soak");
  std::ofstream(dir_ + "/only-soak/soak-x.chaos") << "scenario \"x\"\n";
  r = topology::RunCommand({std::string(SC_BINARY_DIR) + "/sentinel-chaos", "suite", dir_ + "/only-soak", "--out",
                            dir_ + "/out"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("no scenario files"), std::string::npos) << r.output;
  r = topology::RunCommand({std::string(SC_BINARY_DIR) + "/sentinel-chaos", "nightly", "--tolerance", "lost=x",
                            "--out", dir_ + "/out"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

}  // namespace
}  // namespace sc::cli
