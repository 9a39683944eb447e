#include "topology/options.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace sc::topology {
namespace {

bool HasError(const std::vector<std::string>& errs, const std::string& part) {
  for (auto& e : errs)
    if (e.find(part) != std::string::npos) return true;
  return false;
}

TEST(TopologyOptions, DefaultsAreTheTargetArchitecture) {
  Options o;
  EXPECT_EQ(o.kind, Kind::kSentinel3);
  EXPECT_EQ(o.Servers(), 3);
  EXPECT_EQ(o.Sentinels(), 3);
  EXPECT_EQ(o.EffectiveQuorum(), 2);
  EXPECT_TRUE(Validate(o).empty());
}

TEST(TopologyOptions, EachKindHasTheArticlesShape) {
  Options o;
  ASSERT_FALSE(SetOption(o, "topology", "single"));
  EXPECT_EQ(o.Servers(), 1);
  EXPECT_EQ(o.Sentinels(), 0);
  EXPECT_TRUE(Validate(o).empty());
  ASSERT_FALSE(SetOption(o, "topology", "sentinel1"));
  EXPECT_EQ(o.Servers(), 2);
  EXPECT_EQ(o.SentinelHosts(), std::vector<int>({1}));
  ASSERT_FALSE(SetOption(o, "topology", "sentinel2"));
  EXPECT_EQ(o.SentinelHosts(), std::vector<int>({1, 2}));
  EXPECT_EQ(o.EffectiveQuorum(), 2);
  ASSERT_FALSE(SetOption(o, "topology", "sentinel3"));
  ASSERT_FALSE(SetOption(o, "replicas", "1"));
  EXPECT_EQ(o.Servers(), 2);
  EXPECT_EQ(o.Hosts(), 3);
}

TEST(TopologyOptions, DurationsAcceptUnits) {
  EXPECT_EQ(ParseDurationNs("500ms"), 500000000);
  EXPECT_EQ(ParseDurationNs("1.5s"), 1500000000);
  EXPECT_EQ(ParseDurationNs("250"), 250000000);
  EXPECT_EQ(ParseDurationNs("2m"), 120000000000);
  EXPECT_FALSE(ParseDurationNs("fast"));
  EXPECT_FALSE(ParseDurationNs("-1s"));
  Options o;
  ASSERT_FALSE(SetOption(o, "down-after", "1s"));
  EXPECT_EQ(o.down_after_ms, 1000);
}

TEST(TopologyOptions, BadValuesNameTheOptionAndWhatIsAccepted) {
  Options o;
  auto e = SetOption(o, "vip", "maybe");
  ASSERT_TRUE(e);
  EXPECT_EQ(*e, "option 'vip': 'maybe' is not valid; expected on or off");
  EXPECT_EQ(*SetOption(o, "replicaz", "2"), "unknown topology option 'replicaz'");
  EXPECT_TRUE(SetOption(o, "subnet", "10.1.2.3/24"));
  EXPECT_TRUE(SetOption(o, "subnet", "10.1.2.0/16"));
  EXPECT_FALSE(SetOption(o, "subnet", "10.1.2.0/24"));
}

TEST(TopologyOptions, OnlyAPrivateSubnetIsAccepted) {
  Options o;
  for (const char* ok : {"10.213.7.0/24", "172.16.0.0/24", "172.31.255.0/24", "192.168.1.0/24"})
    EXPECT_FALSE(SetOption(o, "subnet", ok)) << ok;
  for (const char* bad : {"8.8.8.0/24", "127.0.0.0/24", "172.32.0.0/24", "172.15.9.0/24", "192.169.1.0/24", "11.0.0.0/24"}) {
    auto e = SetOption(o, "subnet", bad);
    ASSERT_TRUE(e) << bad;
    EXPECT_EQ(*e, std::string("option 'subnet': '") + bad +
                      "' is not valid; expected a private network (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) such as 10.213.7.0/24");
  }
}

TEST(TopologyOptions, ImpossibleCombinationsAreRefused) {
  Options o;
  ASSERT_FALSE(SetOption(o, "topology", "sentinel2"));
  ASSERT_FALSE(SetOption(o, "quorum", "3"));
  EXPECT_TRUE(HasError(Validate(o), "quorum=3 is larger than the 2 Sentinel(s)"));
  Options r;
  ASSERT_FALSE(SetOption(r, "replicas", "5"));
  EXPECT_TRUE(HasError(Validate(r), "replicas=5 is not possible with topology sentinel3"));
  Options m;
  ASSERT_FALSE(SetOption(m, "topology", "single"));
  ASSERT_FALSE(SetOption(m, "min-replicas-to-write", "1"));
  EXPECT_TRUE(HasError(Validate(m), "min-replicas-to-write=1 needs that many replicas"));
  Options d;
  ASSERT_FALSE(SetOption(d, "down-after", "0"));
  EXPECT_TRUE(HasError(Validate(d), "down-after must be more than 0"));
}

TEST(TopologyOptions, JsonFileErrorsNameFileLineAndColumn) {
  const std::string path = ::testing::TempDir() + "/topo_bad.json";
  { std::ofstream(path) << "{\n  \"topology\": \"sentinel2\",\n  \"replicas\" 1\n}\n"; }
  std::vector<std::string> errs;
  FromJsonFile(path, errs);
  std::remove(path.c_str());
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].rfind(path + ":3:14: malformed JSON", 0), 0u) << errs[0];
}

TEST(TopologyOptions, JsonFileSetsOptions) {
  const std::string path = ::testing::TempDir() + "/topo_ok.json";
  { std::ofstream(path) << R"({"topology": "sentinel2", "down-after": "500ms", "vip": false, "quorum": 1})"; }
  std::vector<std::string> errs;
  Options o = FromJsonFile(path, errs);
  std::remove(path.c_str());
  EXPECT_TRUE(errs.empty());
  EXPECT_EQ(o.kind, Kind::kSentinel2);
  EXPECT_EQ(o.down_after_ms, 500);
  EXPECT_FALSE(o.vip);
  EXPECT_EQ(o.quorum, 1);
}

}  // namespace
}  // namespace sc::topology
