#include <gtest/gtest.h>

#include "harness/runner/runner.h"

namespace sc::runner {
namespace {

TEST(Slug, NamesBecomeDirectoryNames) {
  EXPECT_EQ(Slug("Master redis-server killed"), "master-redis-server-killed");
  EXPECT_EQ(Slug("<script>alert(1)</script>"), "script-alert-1-script");
  EXPECT_EQ(Slug("***"), "scenario");
}

TEST(Judge, EveryExpectationBecomesAPassOrFailLine) {
  scenario::Plan plan;
  plan.expectations.push_back({"expect lost == 0", "lost", "==", 0, "", 3, 8});
  plan.expectations.push_back({"expect unavailability.longest < 4s", "unavailability.longest", "<", 4, "s", 4, 8});
  plan.expectations.push_back({"expect failover.time < 5s", "failover.time", "<", 5, "s", 5, 8});
  nlohmann::json results = {{"figures", {{"lost", 3}, {"unavailability.longest", 2.5}}}};
  Judge(plan, results);
  ASSERT_EQ(results["expectations"].size(), 3u);
  EXPECT_FALSE(results["expectations"][0]["passed"]);
  EXPECT_EQ(results["expectations"][0]["measured"], 3);
  EXPECT_TRUE(results["expectations"][1]["passed"]);
  EXPECT_FALSE(results["expectations"][2]["passed"]) << "a figure that was not measured cannot pass";
  EXPECT_EQ(results["expectations"][2]["note"], "not measured in this run");
  EXPECT_EQ(results["run"]["verdict"], "fail");
}

TEST(Judge, NoFailedExpectationMeansPass) {
  scenario::Plan plan;
  plan.expectations.push_back({"expect lost == 0", "lost", "==", 0, "", 3, 8});
  nlohmann::json results = {{"figures", {{"lost", 0}}}};
  Judge(plan, results);
  EXPECT_EQ(results["run"]["verdict"], "pass");
}

}  // namespace
}  // namespace sc::runner
