#include "topology/layout.h"

#include <gtest/gtest.h>

namespace sc::topology {
namespace {

TEST(Layout, Sentinel3HasThreeServersAClientAndAVip) {
  Options o;
  Layout l = MakeLayout(o, "ab12cd", "10.213.9", "/tmp/run");
  ASSERT_EQ(l.nodes.size(), 3u);
  EXPECT_EQ(l.nodes[0].address, "10.213.9.11");
  EXPECT_EQ(l.nodes[2].netns, "sc-ab12cd-n3");
  EXPECT_TRUE(l.nodes[2].redis);
  EXPECT_TRUE(l.nodes[2].sentinel);
  EXPECT_EQ(l.vip, "10.213.9.100");
  EXPECT_EQ(l.client.address, "10.213.9.200");
  EXPECT_EQ(l.Find("client"), &l.client);
  EXPECT_EQ(l.Find("n4"), nullptr);
}

TEST(Layout, Sentinel3WithOneReplicaKeepsAThirdHostForItsSentinel) {
  Options o;
  o.replicas = 1;
  Layout l = MakeLayout(o, "x", "10.213.9", "/tmp/run");
  ASSERT_EQ(l.nodes.size(), 3u);
  EXPECT_FALSE(l.nodes[2].redis);
  EXPECT_TRUE(l.nodes[2].sentinel);
}

TEST(Layout, Sentinel1RunsItsOnlySentinelBesideTheMaster) {
  Options o;
  ASSERT_FALSE(SetOption(o, "topology", "sentinel1"));
  Layout l = MakeLayout(o, "x", "10.213.9", "/tmp/run");
  ASSERT_EQ(l.nodes.size(), 2u);
  EXPECT_TRUE(l.nodes[0].sentinel);
  EXPECT_FALSE(l.nodes[1].sentinel);
}

TEST(Config, ReplicasReplicateTheFirstServerAndListenOnTheControlSocket) {
  Options o;
  o.min_replicas_to_write = 1;
  o.min_replicas_max_lag = 1;
  Layout l = MakeLayout(o, "r1", "10.213.9", "/tmp/run");
  std::string master = RedisConfig(o, l, l.nodes[0]);
  std::string replica = RedisConfig(o, l, l.nodes[1]);
  EXPECT_EQ(master.find("replicaof"), std::string::npos);
  EXPECT_NE(replica.find("replicaof 10.213.9.11 6379\n"), std::string::npos);
  EXPECT_NE(replica.find("unixsocket /run/sentinel-chaos/r1/n2/redis.sock\n"), std::string::npos);
  EXPECT_NE(master.find("min-replicas-to-write 1\nmin-replicas-max-lag 1\n"), std::string::npos);
  EXPECT_NE(master.find("repl-diskless-sync-delay 0\n"), std::string::npos);
  EXPECT_NE(master.find("save \"\"\nappendonly no\n"), std::string::npos);
}

TEST(Config, PersistenceAndPasswordAreWritten) {
  Options o;
  ASSERT_FALSE(SetOption(o, "persistence", "aof"));
  ASSERT_FALSE(SetOption(o, "appendfsync", "always"));
  ASSERT_FALSE(SetOption(o, "requirepass", "s3cret"));
  Layout l = MakeLayout(o, "r1", "10.213.9", "/tmp/run");
  std::string c = RedisConfig(o, l, l.nodes[1]);
  EXPECT_NE(c.find("appendonly yes\nappendfsync always\n"), std::string::npos);
  EXPECT_NE(c.find("requirepass s3cret\nmasterauth s3cret\n"), std::string::npos);
  EXPECT_NE(SentinelConfig(o, l, l.nodes[0], "/x.sh").find("sentinel auth-pass mymaster s3cret\n"), std::string::npos);
}

TEST(Config, SentinelMonitorsTheFirstServerWithTheQuorumAndTheVipHook) {
  Options o;
  o.down_after_ms = 700;
  Layout l = MakeLayout(o, "r1", "10.213.9", "/tmp/run");
  std::string c = SentinelConfig(o, l, l.nodes[1], "/src/topology/vip-reconfig.sh");
  EXPECT_NE(c.find("sentinel monitor mymaster 10.213.9.11 6379 2\n"), std::string::npos);
  EXPECT_NE(c.find("sentinel down-after-milliseconds mymaster 700\n"), std::string::npos);
  EXPECT_NE(c.find("sentinel client-reconfig-script mymaster /src/topology/vip-reconfig.sh\n"), std::string::npos);
  o.vip = false;
  EXPECT_EQ(SentinelConfig(o, l, l.nodes[1], "/x").find("client-reconfig-script"), std::string::npos);
}

TEST(Config, SupervisorRestartsBothServicesAndPassesTheVipEnvironment) {
  Options o;
  o.supervisor = true;
  Layout l = MakeLayout(o, "r1", "10.213.9", "/tmp/run");
  std::string c = SupervisorConfig(o, l, l.nodes[0]);
  EXPECT_NE(c.find("[program:redis]\ncommand=/usr/bin/redis-server /tmp/run/n1/redis.conf\nautostart=true\nautorestart=true"),
            std::string::npos);
  EXPECT_NE(c.find("SC_VIP=\"10.213.9.100\""), std::string::npos);
  o.supervisor_restart_delay_ms = 1500;
  EXPECT_NE(SupervisorConfig(o, l, l.nodes[0]).find("sleep 1.5; exec /usr/bin/redis-server"), std::string::npos);
}

TEST(Subnet, PrefixOfAcceptsOnlySlash24Networks) {
  EXPECT_EQ(PrefixOf("10.213.7.0/24"), "10.213.7");
  EXPECT_EQ(PrefixOf("10.213.7.0/16"), "");
  EXPECT_EQ(PrefixOf("10.213.7.5/24"), "");
}

TEST(Subnet, LoopbackAndTheHostsOwnNetworkClash) {
  std::string why;
  EXPECT_TRUE(ClashesWithHost("127.0.0", &why));
  EXPECT_NE(why.find("127.0.0.1"), std::string::npos) << why;
}

TEST(Subnet, PickedPrefixAvoidsUsedOnes) {
  std::string first = PickFreePrefix({});
  ASSERT_FALSE(first.empty());
  EXPECT_NE(PickFreePrefix({first}), first);
  EXPECT_FALSE(ClashesWithHost(first, nullptr));
}

}  // namespace
}  // namespace sc::topology
