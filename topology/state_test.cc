// TearDown on runs whose resources are partly gone: what exists is removed,
// what is gone is forgotten, what cannot be reached is reported and tried
// again only a bounded number of times; nothing outside the run is touched.
#include "topology/state.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "topology/process.h"

namespace sc::topology {
namespace {

namespace fs = std::filesystem;

class StateTearDown : public ::testing::Test {
 protected:
  void SetUp() override { id_ = "ut" + std::to_string(getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name(); }
  void TearDown() override { RemoveDamagedRun(id_); }
  std::string id_;
};

TEST_F(StateTearDown, ForgetsWhatIsAlreadyGoneAndRemovesTheState) {
  auto st = RunState::Create(id_, {{"run_dir", "/tmp/sc-state-test-" + id_}});
  st.Record("netns", {{"name", "sc-" + id_ + "-n1"}});               // never made
  st.Record("chain", {{"netns", "sc-" + id_ + "-n1"}, {"name", "SC-X-F1"}});  // went with it
  st.Record("process", {{"pid", 999999}, {"start_time", 12345}});   // long gone
  st.Record("cgroup", {{"path", "/sys/fs/cgroup/freezer/sentinel-chaos-" + id_}});
  st.Record("remote", {{"argv", {"/bin/false"}}, {"netns", "sc-" + id_ + "-cl"}, {"command", "x"}, {"host", "n1"}});
  EXPECT_TRUE(sc::topology::TearDown(st).empty());
  EXPECT_FALSE(fs::exists(StateRoot() + "/" + id_));
}

TEST_F(StateTearDown, RemovesALiveProcessByPidAndStartTimeOnly) {
  pid_t pid = Spawn({{"/bin/sleep", "30"}, {}, "", {}, ""});
  auto st = RunState::Create(id_, {});
  // A recorded start time of 0 (what a zombie reads as) never matches: the
  // live process is left alone, and the record forgotten.
  st.Record("process", {{"pid", pid}, {"start_time", 0}});
  EXPECT_TRUE(sc::topology::TearDown(st).empty());
  EXPECT_NE(ProcessStartTime(pid), 0u);
  auto st2 = RunState::Create(id_, {});
  st2.Record("process", {{"pid", pid}, {"start_time", ProcessStartTime(pid)}});
  EXPECT_TRUE(sc::topology::TearDown(st2).empty());
  EXPECT_EQ(ProcessStartTime(pid), 0u);
  waitpid(pid, nullptr, WNOHANG);
}

TEST_F(StateTearDown, RefusesNamespacesAndDirectoriesNotOfTheRun) {
  const std::string outside = "/tmp/sc-state-test-outside-" + id_;
  fs::create_directories(outside);
  auto st = RunState::Create(id_, {{"run_dir", "/tmp/sc-state-test-" + id_}});
  st.Record("netns", {{"name", "not-ours"}});
  st.Record("dir", {{"path", outside}});
  auto problems = sc::topology::TearDown(st);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].find("refused to remove " + outside), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("refused to delete namespace not-ours"), std::string::npos) << problems[1];
  EXPECT_TRUE(fs::exists(outside));
  fs::remove_all(outside);
}

TEST_F(StateTearDown, OneCleanupIsEnoughForAnUnreachableHost) {
  auto st = RunState::Create(id_, {});
  // An ssh that cannot connect exits 255.
  st.Record("remote", {{"argv", {"/bin/sh", "-c", "exit 255"}}, {"netns", ""}, {"command", "rm -rf /x"}, {"host", "n2"}});
  auto again = RunState::Load(id_);
  auto problems = sc::topology::TearDown(again);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("host n2 could not be reached"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("forgotten after " + std::to_string(kUnreachableAttempts) + " attempts"),
            std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("rm -rf /x"), std::string::npos) << problems[0];
  EXPECT_FALSE(fs::exists(StateRoot() + "/" + id_));
}

TEST_F(StateTearDown, AHostUnreachableForAMomentIsCleanedUpByTheSameCleanup) {
  const std::string flag = "/tmp/sc-state-test-flag-" + id_;
  fs::remove(flag);
  auto st = RunState::Create(id_, {});
  // Unreachable at the first attempt, reachable at the second.
  st.Record("remote", {{"argv", {"/bin/sh", "-c", "[ -e " + flag + " ] && exit 0; touch " + flag + "; exit 255", "--"}},
                       {"netns", ""}, {"command", "true"}, {"host", "n2"}});
  auto problems = sc::topology::TearDown(st);
  EXPECT_TRUE(problems.empty()) << problems[0];
  EXPECT_TRUE(fs::exists(flag));
  EXPECT_FALSE(fs::exists(StateRoot() + "/" + id_));
  fs::remove(flag);
}

TEST_F(StateTearDown, ADamagedStateDirectoryCanBeRemoved) {
  fs::create_directories(StateRoot() + "/" + id_);
  std::ofstream(StateRoot() + "/" + id_ + "/state.json") << "{ damaged";
  EXPECT_THROW(RunState::Load(id_), std::runtime_error);
  EXPECT_EQ(RemoveDamagedRun(id_), "");
  EXPECT_FALSE(fs::exists(StateRoot() + "/" + id_));
  EXPECT_NE(RemoveDamagedRun("../etc"), "");
}

}  // namespace
}  // namespace sc::topology
