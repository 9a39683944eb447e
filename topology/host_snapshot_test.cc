// The "host untouched" proof itself: it fails when it cannot read a source,
// and it sees what the project's runs leave behind.
#include <sys/wait.h>
#include <unistd.h>

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
  const std::string id = "zz" + std::to_string(getpid() % 100000);
  RunState::Create(id, {{"harness_pid", dead}, {"harness_start_time", 1}, {"prefix", "10.213.250"}});
  const std::string with_state = testing::HostSnapshot();
  std::filesystem::remove_all(StateRoot() + "/" + id);
  EXPECT_NE(with_state.find("state dir of a run whose harness is gone: " + id), std::string::npos) << with_state;

  const std::string ns = "sc-" + id + "-n1";
  ASSERT_EQ(RunCommand({"/usr/sbin/ip", "netns", "add", ns}).exit_code, 0);
  const std::string with_ns = testing::HostSnapshot();
  RunCommand({"/usr/sbin/ip", "netns", "del", ns});
  EXPECT_NE(with_ns.find("namespace of no live run: " + ns), std::string::npos) << with_ns;
  EXPECT_EQ(testing::HostSnapshot(), before);
}

}  // namespace
}  // namespace sc::topology
