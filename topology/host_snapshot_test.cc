// The "host untouched" proof itself: it fails when it cannot read a source,
// and it sees what the project's runs leave behind.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

#include "topology/test_support.h"

namespace sc::topology {
namespace {

TEST(HostSnapshot, FailsWhenARuleSetCannotBeRead) {
  EXPECT_THROW(testing::HostSnapshot({{"/usr/sbin/no-such-iptables-save"}}), std::runtime_error);
  EXPECT_THROW(testing::HostSnapshot({{"/bin/false"}}), std::runtime_error);
  EXPECT_NO_THROW(testing::HostSnapshot({{"/bin/true"}}));
}

TEST(HostSnapshot, SeesALeftStateDirAndALeftNamespace) {
  const std::string before = testing::HostSnapshot();
  // A dead process, as a SIGKILLed harness is.
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  // A run id (6 hex digits) no run has: namespaces named otherwise are test
  // fixtures', not runs'.
  char hex[8];
  std::snprintf(hex, sizeof hex, "%06x", static_cast<unsigned>(0xf00000 | (getpid() & 0xfffff)));
  const std::string id = hex;
  ASSERT_FALSE(std::filesystem::exists(StateRoot() + "/" + id));
  const std::string ns = "sc-" + id + "-n1";
  // A neighbour's dead run (this process is not among its harness's
  // ancestors) is not this test's leftover: another test may have killed
  // its harness on purpose and clean up after it.
  RunState::Create(id, {{"harness_pid", dead}, {"harness_start_time", 1}, {"prefix", "10.213.250"},
                        {"harness_ancestors", nlohmann::json::array({1234567})}});
  ASSERT_EQ(RunCommand({"/usr/sbin/ip", "netns", "add", ns}).exit_code, 0);
  // A test fixture's namespace (ssh_test's "VMs"), named by no run id.
  const std::string fixture = "sc-zz" + std::to_string(getpid() % 100000) + "-n1";
  ASSERT_EQ(RunCommand({"/usr/sbin/ip", "netns", "add", fixture}).exit_code, 0);
  const std::string neighbours = testing::HostSnapshot();
  std::filesystem::remove_all(StateRoot() + "/" + id);
  RunCommand({"/usr/sbin/ip", "netns", "del", fixture});
  EXPECT_EQ(neighbours, before);

  // This process's dead run, and its namespace.
  RunState::Create(id, {{"harness_pid", dead}, {"harness_start_time", 1}, {"prefix", "10.213.250"},
                        {"harness_ancestors", nlohmann::json::array({getpid()})}});
  const std::string with_state = testing::HostSnapshot();
  std::filesystem::remove_all(StateRoot() + "/" + id);
  EXPECT_NE(with_state.find("state dir of a run whose harness is gone: " + id), std::string::npos) << with_state;
  EXPECT_NE(with_state.find("namespace of a run whose harness is gone: " + ns), std::string::npos) << with_state;

  // A namespace no run's state names.
  const std::string with_ns = testing::HostSnapshot();
  RunCommand({"/usr/sbin/ip", "netns", "del", ns});
  EXPECT_NE(with_ns.find("namespace of no run: " + ns), std::string::npos) << with_ns;
  EXPECT_EQ(testing::HostSnapshot(), before);
}

TEST(HostSnapshot, AProcessKnowsItsAncestors) {
  pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  const auto a = ProcessAncestors(child);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a[0], getpid());
  EXPECT_EQ(a.size(), ProcessAncestors(getpid()).size() + 1);
}

}  // namespace
}  // namespace sc::topology
