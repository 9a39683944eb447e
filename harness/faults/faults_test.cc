// Integration: each fault on a real sentinel3 topology, checked with real
// traffic and with iptables-legacy -S inside the namespaces.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "harness/faults/fault.h"
#include "topology/control.h"
#include "topology/converge.h"
#include "topology/session.h"
#include "topology/test_support.h"

namespace sc::faults {
namespace {

using scenario::FaultSpec;
using namespace topology;

class FaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    before_ = testing::HostSnapshot();
    Options o;
    o.down_after_ms = 1000;
    s_ = OpenSession(o, "");
    s_.backend->Up();
  }
  void TearDown() override {
    s_.backend->Down();
    EXPECT_EQ(testing::HostSnapshot(), before_) << "the host's network or rules changed";
  }
  const Layout& l() { return s_.backend->layout(); }
  // PING over TCP from `from`'s namespace to `to_addr`.
  bool Ping(const std::string& from, const std::string& to_addr) {
    Reply r;
    RunInNetns(l().Find(from)->netns, [&] { r = AskTcp(to_addr, 6379, {"PING"}, "", 300); });
    return r.ok && r.text == "PONG";
  }
  std::string Rules(const std::string& host) {
    return RunCommand({"/usr/sbin/iptables-legacy", "-S"}, l().Find(host)->netns).output;
  }
  std::string addr(const std::string& n) { return l().Find(n)->address; }

  Session s_;
  std::string before_;
};

FaultSpec Partition(std::vector<std::string> a, std::vector<std::string> b, const std::string& direction = "both") {
  FaultSpec f;
  f.kind = "partition";
  f.groups = {a, b};
  f.options["direction"] = direction;
  return f;
}

TEST_F(FaultTest, PartitionBetweenTwoServersCutsThemAndNothingElse) {
  auto f = MakeFault(Partition({"n2"}, {"n3"}), "F1");
  auto t0 = std::chrono::steady_clock::now();
  f->Start(*s_.backend);
  std::printf("partition in force after %.2f ms\n",
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  EXPECT_EQ(f->target(), "n2 | n3");
  EXPECT_FALSE(Ping("n2", addr("n3")));
  EXPECT_FALSE(Ping("n3", addr("n2")));
  EXPECT_TRUE(Ping("n2", addr("n1")));
  EXPECT_TRUE(Ping("client", l().vip));
  const std::string chain = l().chain + "-F1";
  EXPECT_NE(Rules("n2").find("-A " + chain + " -d " + addr("n3") + "/32 -j DROP"), std::string::npos) << Rules("n2");
  EXPECT_NE(Rules("n2").find("-A INPUT -j " + chain), std::string::npos);
  EXPECT_NE(Rules("n3").find("-A " + chain + " -s " + addr("n2") + "/32 -j DROP"), std::string::npos);
  EXPECT_EQ(Rules("n1").find(chain), std::string::npos);

  t0 = std::chrono::steady_clock::now();
  f->Stop(*s_.backend, {});
  std::printf("healed after %.2f ms\n",
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  EXPECT_TRUE(Ping("n2", addr("n3")));
  EXPECT_EQ(Rules("n2").find(chain), std::string::npos) << Rules("n2");
  EXPECT_EQ(Rules("n3").find(chain), std::string::npos);
}

TEST_F(FaultTest, AnArmedPartitionHoldsOnlyFromStartAndAnArmedHealOnlyFromStop) {
  auto f = MakeFault(Partition({"n2"}, {"n3"}), "F1");
  const std::string chain = l().chain + "-F1";
  f->Prepare(*s_.backend);
  f->Arm(*s_.backend, AskRoles(*s_.backend));
  // Armed: every table is built in memory, nothing written yet.
  EXPECT_TRUE(Ping("n2", addr("n3")));
  EXPECT_EQ(Rules("n2").find(chain), std::string::npos) << Rules("n2");
  EXPECT_EQ(Rules("n3").find(chain), std::string::npos) << Rules("n3");
  auto t0 = std::chrono::steady_clock::now();
  f->Start(*s_.backend);
  std::printf("armed partition in force %.3f ms after Start was called\n",
              std::chrono::duration<double, std::milli>(f->took_effect() - t0).count());
  EXPECT_EQ(f->target(), "n2 | n3");
  EXPECT_FALSE(Ping("n2", addr("n3")));
  EXPECT_FALSE(Ping("n3", addr("n2")));
  EXPECT_NE(Rules("n2").find("-A " + chain + " -d " + addr("n3") + "/32 -j DROP"), std::string::npos) << Rules("n2");
  EXPECT_NE(Rules("n3").find("-A " + chain + " -s " + addr("n2") + "/32 -j DROP"), std::string::npos) << Rules("n3");

  f->ArmStop(*s_.backend, {});
  EXPECT_FALSE(Ping("n2", addr("n3"))) << "an armed heal already healed";
  EXPECT_NE(Rules("n2").find(chain), std::string::npos);
  t0 = std::chrono::steady_clock::now();
  f->Stop(*s_.backend, {});
  std::printf("armed heal out of force %.3f ms after Stop was called\n",
              std::chrono::duration<double, std::milli>(f->took_effect() - t0).count());
  EXPECT_TRUE(Ping("n2", addr("n3")));
  EXPECT_EQ(Rules("n2").find(chain), std::string::npos) << Rules("n2");
  EXPECT_EQ(Rules("n3").find(chain), std::string::npos) << Rules("n3");
}

TEST_F(FaultTest, ADisarmedPartitionNeverHolds) {
  auto f = MakeFault(Partition({"master"}, {"others"}), "F1");
  f->Prepare(*s_.backend);
  f->Arm(*s_.backend, AskRoles(*s_.backend));
  f->Disarm(*s_.backend);
  f->Abandon(*s_.backend);
  EXPECT_TRUE(Ping("n1", addr("n2")));
  for (const char* n : {"n1", "n2", "n3"}) EXPECT_EQ(Rules(n).find(l().chain + "-F1"), std::string::npos) << Rules(n);
}

TEST_F(FaultTest, APartitionArmedAgainAfterTheRolesChangedCutsTheNewMaster) {
  // What the runner does when the observer's roles changed between arming
  // and the instant: disarm, arm against the new roles, start.
  auto f = MakeFault(Partition({"master"}, {"others"}), "F1");
  f->Prepare(*s_.backend);
  f->Arm(*s_.backend, AskRoles(*s_.backend));
  f->Disarm(*s_.backend);
  f->Arm(*s_.backend, Roles{{"n1", "replica"}, {"n2", "master"}, {"n3", "replica"}});
  f->Start(*s_.backend);
  EXPECT_EQ(f->target(), "n2 | n1,n3");
  EXPECT_FALSE(Ping("n1", addr("n2")));
  EXPECT_TRUE(Ping("n1", addr("n3"))) << "the tables armed for n1 as master were committed";
  f->Stop(*s_.backend, {});
  EXPECT_TRUE(Ping("n1", addr("n2")));
  for (const char* n : {"n1", "n2", "n3"}) EXPECT_EQ(Rules(n).find(l().chain + "-F1"), std::string::npos) << Rules(n);
}

TEST_F(FaultTest, APreparedFilterChangeMadeStaleIsMadeAgainNotLost) {
  const std::string netns = l().Find("n2")->netns;
  const std::string x1 = l().chain + "-X1", x2 = l().chain + "-X2";
  auto p = PreparedFilterChange::AddDropRules(netns, x1, {{"", addr("n3"), "", ""}});
  // Another change to the same table between the reading and the commit:
  // committing the table read before would throw it away.
  topology::AddDropRules(netns, x2, {{"", addr("n1"), "", ""}});
  p.Commit();
  EXPECT_TRUE(p.redone());
  const std::string rules = Rules("n2");
  EXPECT_NE(rules.find("-A " + x1 + " -d " + addr("n3") + "/32 -j DROP"), std::string::npos) << rules;
  EXPECT_NE(rules.find("-A " + x2 + " -d " + addr("n1") + "/32 -j DROP"), std::string::npos) << rules;
  auto q = PreparedFilterChange::RemoveChain(netns, x1);
  q.Commit();
  EXPECT_FALSE(q.redone());
  EXPECT_EQ(Rules("n2").find(x1), std::string::npos) << Rules("n2");
  RemoveChain(netns, x2);
  EXPECT_EQ(Rules("n2").find(x2), std::string::npos) << Rules("n2");
}

TEST_F(FaultTest, OneWayPartitionDropsOnlyThatDirection) {
  auto f = MakeFault(Partition({"n2"}, {"n3"}, "to"), "F1");
  f->Start(*s_.backend);
  const std::string chain = l().chain + "-F1";
  std::string n2 = Rules("n2"), n3 = Rules("n3");
  EXPECT_NE(n2.find("-A " + chain + " -d " + addr("n3") + "/32 -j DROP"), std::string::npos) << n2;
  EXPECT_EQ(n2.find("-A " + chain + " -s " + addr("n3")), std::string::npos) << n2;
  EXPECT_NE(n3.find("-A " + chain + " -s " + addr("n2") + "/32 -j DROP"), std::string::npos) << n3;
  EXPECT_EQ(n3.find("-A " + chain + " -d " + addr("n2")), std::string::npos) << n3;
  EXPECT_FALSE(Ping("n2", addr("n3")));
  f->Stop(*s_.backend, {});
  EXPECT_TRUE(Ping("n2", addr("n3")));
}

TEST_F(FaultTest, IsolatedMasterStillReachesTheClient) {
  auto f = MakeFault(Partition({"master"}, {"others"}), "F1");
  f->Start(*s_.backend);
  EXPECT_EQ(f->target(), "n1 | n2,n3");
  EXPECT_TRUE(Ping("client", l().vip));
  EXPECT_TRUE(Ping("client", addr("n1")));
  EXPECT_FALSE(Ping("n2", addr("n1")));
  EXPECT_FALSE(Ping("n1", addr("n3")));
  EXPECT_TRUE(Ping("n2", addr("n3")));
  f->Stop(*s_.backend, {});
  EXPECT_TRUE(Ping("n2", addr("n1")));
}

TEST_F(FaultTest, ClientCutFromTheMasterLeavesTheServersConnected) {
  FaultSpec spec;
  spec.kind = "cut";
  spec.target = "master";
  auto f = MakeFault(spec, "F1");
  f->Start(*s_.backend);
  EXPECT_FALSE(Ping("client", l().vip));
  EXPECT_TRUE(Ping("client", addr("n2")));
  EXPECT_TRUE(Ping("n2", addr("n1")));
  f->Stop(*s_.backend, {});
  EXPECT_TRUE(Ping("client", l().vip));
}

TEST_F(FaultTest, PacketLossUsesTheStatisticMatch) {
  FaultSpec spec;
  spec.kind = "loss";
  spec.target = "n2";
  spec.options["percent"] = "30";
  auto f = MakeFault(spec, "F1");
  f->Start(*s_.backend);
  EXPECT_NE(Rules("n2").find("-m statistic --mode random --probability 0.2999"), std::string::npos) << Rules("n2");
  f->Stop(*s_.backend, {});
  EXPECT_EQ(Rules("n2").find("statistic"), std::string::npos);
}

// State letter of a process ("S" sleeping, "T" stopped), "" when it is gone.
std::string ProcState(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string s;
  if (!std::getline(in, s) || s.rfind(')') == std::string::npos) return "";
  return s.substr(s.rfind(')') + 2, 1);
}

TEST_F(FaultTest, AnArmedPauseOrKillSignalsOnlyAtStart) {
  FaultSpec pause;
  pause.kind = "pause";
  pause.target = "replica";
  auto p = MakeFault(pause, "F1");
  p->Arm(*s_.backend, AskRoles(*s_.backend));
  const pid_t replica = s_.backend->Pid(p->target(), Service::kRedis);
  ASSERT_NE(replica, 0);
  EXPECT_NE(ProcState(replica), "T") << "an armed pause already stopped the process";
  auto t0 = std::chrono::steady_clock::now();
  p->Start(*s_.backend);
  std::printf("armed pause in force %.3f ms after Start was called\n",
              std::chrono::duration<double, std::milli>(p->took_effect() - t0).count());
  EXPECT_TRUE(WaitFor([&] { return ProcState(replica) == "T"; }, 2000, 1));
  p->Stop(*s_.backend, {});
  EXPECT_TRUE(WaitFor([&] { return ProcState(replica) != "T"; }, 2000, 1));

  FaultSpec kill;
  kill.kind = "kill";
  kill.target = "replica";
  auto k = MakeFault(kill, "F2");
  k->Arm(*s_.backend, AskRoles(*s_.backend));
  EXPECT_EQ(s_.backend->Pid(k->target(), Service::kRedis), replica) << "an armed kill already killed";
  t0 = std::chrono::steady_clock::now();
  k->Start(*s_.backend);
  std::printf("armed kill in force %.3f ms after Start was called\n",
              std::chrono::duration<double, std::milli>(k->took_effect() - t0).count());
  EXPECT_TRUE(WaitFor([&] { return s_.backend->Pid(k->target(), Service::kRedis) == 0; }, 2000, 1));
  k->Stop(*s_.backend, {});
  EXPECT_EQ(WaitConverged(*s_.backend, 20000), "");
}

TEST_F(FaultTest, AnArmedNodeDownCutsOnlyAtStartAndAnArmedUpOnlyAtStop) {
  FaultSpec down;
  down.kind = "down";
  down.target = "replica";
  down.options["mode"] = "resume";
  auto f = MakeFault(down, "F1");
  f->Arm(*s_.backend, AskRoles(*s_.backend));
  const std::string replica = addr(f->target());
  EXPECT_TRUE(Ping("client", replica)) << "an armed node down already cut the node off";
  auto t0 = std::chrono::steady_clock::now();
  f->Start(*s_.backend);
  std::printf("armed node down in force %.3f ms after Start was called\n",
              std::chrono::duration<double, std::milli>(f->took_effect() - t0).count());
  EXPECT_FALSE(Ping("client", replica));
  f->ArmStop(*s_.backend, {});
  EXPECT_FALSE(Ping("client", replica)) << "an armed up already brought the node back";
  t0 = std::chrono::steady_clock::now();
  f->Stop(*s_.backend, {});
  std::printf("armed up (resume) out of force %.3f ms after Stop was called\n",
              std::chrono::duration<double, std::milli>(f->took_effect() - t0).count());
  EXPECT_TRUE(WaitFor([&] { return Ping("client", replica); }, 5000, 20));
}

TEST_F(FaultTest, KilledMasterFailsOverTheVipFollowsAndTheOldMasterRejoinsAsReplica) {
  FaultSpec spec;
  spec.kind = "kill";
  spec.target = "master";
  auto f = MakeFault(spec, "F1");
  auto t0 = std::chrono::steady_clock::now();
  f->Start(*s_.backend);
  EXPECT_EQ(f->target(), "n1");
  std::string master;
  ASSERT_TRUE(WaitFor([&] {
    master = CurrentMaster(*s_.backend);
    return !master.empty() && master != "n1" && s_.backend->VipHolder() == master && Ping("client", l().vip);
  }, 20000, 20));
  std::printf("failover to %s, VIP moved and answering after %.0f ms\n", master.c_str(),
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  f->Stop(*s_.backend, {});
  EXPECT_EQ(WaitConverged(*s_.backend, 20000), "");
  EXPECT_NE(CurrentMaster(*s_.backend), "n1") << "the restarted old master must come back as a replica";
}

TEST_F(FaultTest, MastersNodeDownFailsOverAndRebootRejoinsAsReplica) {
  FaultSpec spec;
  spec.kind = "down";
  spec.target = "master";
  auto f = MakeFault(spec, "F1");
  f->Start(*s_.backend);
  EXPECT_FALSE(Ping("n2", addr("n1")));
  std::string master;
  ASSERT_TRUE(WaitFor([&] {
    // n1 is frozen: only ask the others.
    for (auto* n : {"n2", "n3"})
      if (InfoField(Ask(l().Find(n)->redis_socket(), {"INFO", "replication"}).text, "role") == "master") master = n;
    return !master.empty() && Ping("client", l().vip);
  }, 20000, 20));
  f->Stop(*s_.backend, {{"mode", "reboot"}});
  EXPECT_EQ(WaitConverged(*s_.backend, 30000), "");
  EXPECT_NE(CurrentMaster(*s_.backend), "n1") << "the rebooted old master must come back as a replica";
}

}  // namespace
}  // namespace sc::faults
