// Integration: a run whose harness is SIGKILLed half-way still tells what it
// saw: `sentinel-chaos report RUNDIR` checks its journal and renders a report
// marked as cut short, with the instant the journal ends.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/history/history.h"
#include "harness/runner/runner.h"
#include "topology/process.h"
#include "topology/state.h"
#include "topology/test_support.h"

namespace sc::runner {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CutShort, ARunKilledHalfWayIsReportedFromItsJournal) {
  const std::string before = topology::testing::HostSnapshot();
  const std::string dir = fs::temp_directory_path() / ("sc-cut-short-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir + "/killed.chaos") << R"(scenario "killed half way"
topology sentinel3 down-after=1s failover-timeout=5s vip=on
load clients=4 workload=set via=vip duration=20s
at 2s kill redis on master as m1
at 12s restart m1
expect failover within 10s
expect lost == 0
)";
  const std::string bin = std::string(SC_BINARY_DIR) + "/sentinel-chaos";
  pid_t pid = topology::Spawn({{bin, "run", dir + "/killed.chaos", "--out", dir + "/out", "--quiet"}, {}, "", {}, dir + "/run.log"});
  // Wait until the load has run about 6 s: past the kill and the failover.
  // Read through the history part's reader, whatever the journal's format.
  auto load_started = [&] {
    const std::string journal = JournalPathIn(dir + "/out/killed-half-way/latest");
    if (journal.empty()) return false;
    bool seen = false;
    JournalReader r;
    r.on_event = [&](const Event& ev) { seen |= ev.type == "phase" && ev.name == "load"; };
    try {
      r.Read(journal);
    } catch (const std::exception&) {
      return false;
    }
    return seen;
  };
  std::vector<std::string> ids;
  bool loading = topology::WaitFor([&] {
    for (auto& id : topology::testing::RunsOf(pid))
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    return load_started();
  }, 30000, 50);
  EXPECT_TRUE(loading) << ReadAll(dir + "/run.log");
  std::this_thread::sleep_for(std::chrono::seconds(6));
  for (auto& id : topology::testing::RunsOf(pid))
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status));
  // The harness is gone: remove exactly what this run made.
  for (auto& id : ids) {
    try {
      auto state = topology::RunState::Load(id);
      auto problems = topology::TearDown(state);
      EXPECT_TRUE(problems.empty()) << problems.front();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "cleanup of " << id << ": " << e.what();
    }
  }
  EXPECT_FALSE(ids.empty());

  const std::string run_dir = fs::canonical(dir + "/out/killed-half-way/latest");
  ASSERT_FALSE(fs::exists(run_dir + "/results.json"));
  auto r = topology::RunCommand({bin, "report", run_dir});
  std::printf("%s", r.output.c_str());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("cut short"), std::string::npos);
  nlohmann::json res = nlohmann::json::parse(ReadAll(run_dir + "/results.json"));
  EXPECT_TRUE(res["run"]["cut_short"].get<bool>());
  EXPECT_EQ(res["run"]["verdict"], "error");
  const double ends = res["run"]["ends_ns"].get<double>() / 1e9;
  std::printf("journal ends at %.3f s on the run clock\n", ends);
  EXPECT_GT(ends, 5.0);   // the load started after `up`, and ran about 6 s
  EXPECT_LT(ends, 20.0);  // well before the end of the 20 s load
  EXPECT_EQ(res["scenario"]["name"], "killed half way");
  EXPECT_EQ(res["scenario"]["file_sha256"].get<std::string>().size(), 64u);
  EXPECT_GT(res["figures"]["acknowledged"].get<double>(), 100);
  EXPECT_EQ(res["expectations"].size(), 2u);  // judged from plan.json
  EXPECT_EQ(res["faults"].size(), 1u);        // the kill was seen
  const std::string html = ReadAll(run_dir + "/report.html");
  EXPECT_NE(html.find("id=\"cut-short\""), std::string::npos);
  EXPECT_NE(html.find("id=\"cut-short-at\""), std::string::npos);
  EXPECT_NE(ReadAll(run_dir + "/junit.xml").find("run cut short"), std::string::npos);
  // Rendering again reads the results.json it wrote.
  EXPECT_EQ(topology::RunCommand({bin, "report", run_dir}).exit_code, 0);

  fs::remove_all(dir);
  EXPECT_EQ(topology::testing::HostSnapshot(), before) << "the host's network or rules changed";
}

}  // namespace
}  // namespace sc::runner
