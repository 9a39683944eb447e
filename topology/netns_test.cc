// Integration: real namespaces, real redis-server / redis-sentinel, as root.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "topology/cgroup.h"
#include "topology/control.h"
#include "topology/converge.h"
#include "topology/session.h"
#include "topology/test_support.h"

namespace sc::topology {
namespace {

class TopologyUp : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { before_ = testing::HostSnapshot(); }
  void TearDown() override {
    if (session_.backend) session_.backend->Down();
    EXPECT_EQ(testing::HostSnapshot(), before_) << "the host's network or rules changed";
  }
  Session session_;
  std::string before_;
};

std::string RedisCli(const Layout& l, const std::string& host, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/redis-cli", "-h", host};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, l.client.netns).output;
}

TEST_P(TopologyUp, ConvergesServesThroughTheVipAndLeavesNothingBehind) {
  Options o;
  ASSERT_FALSE(SetOption(o, "topology", GetParam()));
  session_ = OpenSession(o, "");
  session_.backend->Up();
  const Layout& l = session_.backend->layout();
  std::printf("%s up in %.0f ms\n", GetParam().c_str(), session_.backend->up_ms());

  EXPECT_EQ(CurrentMaster(*session_.backend), "n1");
  EXPECT_EQ(session_.backend->VipHolder(), "n1");
  // A write through the VIP with the real redis-cli from the client host reaches every replica.
  EXPECT_EQ(RedisCli(l, l.vip, {"SET", "probe", "42"}), "OK\n");
  for (auto& n : l.nodes) {
    if (!n.redis) continue;
    EXPECT_TRUE(WaitFor([&] { return Ask(n.redis_socket(), {"GET", "probe"}).text == "42"; }, 5000)) << n.name;
  }
  for (auto& n : l.nodes) {
    if (!n.sentinel) continue;
    Reply r = Ask(n.sentinel_socket(), {"SENTINEL", "get-master-addr-by-name", "mymaster"});
    ASSERT_EQ(r.items.size(), 2u);
    EXPECT_EQ(r.items[0], l.nodes[0].address) << "Sentinel on " << n.name;
  }
  const std::string state_dir = l.state_dir, netns = l.client.netns;
  const auto cgroup_dirs = Cgroup(DetectCgroupHierarchy(), l.nodes[0].cgroup).dirs();
  pid_t redis = session_.backend->Pid("n1", Service::kRedis);
  EXPECT_GT(redis, 0);
  session_.backend->Down();
  session_.backend.reset();
  EXPECT_FALSE(std::filesystem::exists("/var/run/netns/" + netns));
  EXPECT_FALSE(std::filesystem::exists(state_dir));
  for (auto& d : cgroup_dirs) EXPECT_FALSE(std::filesystem::exists(d)) << d;
  EXPECT_EQ(ProcessStartTime(redis), 0u) << "redis-server still runs";
}

INSTANTIATE_TEST_SUITE_P(EveryArchitecture, TopologyUp,
                         ::testing::Values("single", "sentinel1", "sentinel2", "sentinel3"));

TEST(TopologySupervisor, SupervisordRestartsAKilledRedisServer) {
  const std::string before = testing::HostSnapshot();
  Options o;
  o.supervisor = true;
  Session s = OpenSession(o, "");
  s.backend->Up();
  pid_t old = s.backend->Pid("n2", Service::kRedis);
  ASSERT_GT(old, 0);
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(s.backend->Signal("n2", Service::kRedis, SIGKILL));
  bool back = WaitFor([&] {
    pid_t now = s.backend->Pid("n2", Service::kRedis);
    return now != 0 && now != old;
  }, 10000);
  std::printf("supervisord restarted redis-server after %.0f ms\n",
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  EXPECT_TRUE(back);
  s.backend->Down();
  EXPECT_EQ(testing::HostSnapshot(), before);
}

TEST(TopologyCleanup, AHarnessKilledMidUpLeavesNothingAfterCleanup) {
  const std::string before = testing::HostSnapshot();
  const std::string exe = std::string(SC_BINARY_DIR) + "/sentinel-chaos";
  pid_t pid = Spawn({{exe, "up", "--topology", "sentinel3"}, {}, "", {}, ""});
  // Kill it as soon as it has made something: a state dir of its own.
  std::vector<std::string> mine;
  bool started = WaitFor([&] { return !(mine = testing::RunsOf(pid)).empty(); }, 10000, 1);
  WaitFor([] { return false; }, 300);
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  ASSERT_TRUE(started);
  auto r = RunCommand({exe, "cleanup"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::printf("%s", r.output.c_str());
  for (auto& id : RunState::List())
    for (auto& m : mine) EXPECT_NE(id, m) << "cleanup left the killed run's state behind";
  for (auto& m : mine) EXPECT_FALSE(std::filesystem::exists("/var/run/netns/sc-" + m + "-n1")) << m;
  EXPECT_EQ(testing::HostSnapshot(), before);
}

TEST(TopologyCli, BadOptionsExitTwoAndCreateNothing) {
  const std::string exe = std::string(SC_BINARY_DIR) + "/sentinel-chaos";
  auto r = RunCommand({exe, "up", "--topology", "sentinel2", "--quorum", "3"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("quorum=3 is larger than the 2 Sentinel(s)"), std::string::npos) << r.output;
  r = RunCommand({exe, "up", "--replicas", "5"});
  EXPECT_EQ(r.exit_code, 2);
  r = RunCommand({exe, "up", "--replicaz", "2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("did you mean --replicas?"), std::string::npos) << r.output;
  r = RunCommand({exe, "up", "--subnet", "127.0.0.0/24"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("expected a private network"), std::string::npos) << r.output;
  r = RunCommand({exe, "up", "--subnet", "8.8.8.0/24"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("expected a private network"), std::string::npos) << r.output;
  // A private subnet the host already has is refused before anything is made.
  // The "host" here is a throw-away network namespace holding that subnet.
  r = RunCommand({"/usr/bin/unshare", "--net", "/bin/sh", "-c",
                  "ip link set lo up && ip addr add 10.213.250.1/24 dev lo && exec \"$0\" up --subnet 10.213.250.0/24",
                  exe});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.output.find("overlaps the host's network (the host has address 10.213.250.1 on lo)"), std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace sc::topology
