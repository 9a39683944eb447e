#include <gtest/gtest.h>

#include "harness/runner/fault_timing.h"
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

TEST(Judge, AGroupExpectationIsJudgedOnThatGroupsOwnFigures) {
  scenario::Plan plan;
  plan.expectations.push_back({"expect redis-py/defaults:unavailability.longest > 8s", "redis-py/defaults:unavailability.longest", ">", 8, "s", 3, 8});
  plan.expectations.push_back({"expect redis-py/tuned:unavailability.longest < 4s", "redis-py/tuned:unavailability.longest", "<", 4, "s", 4, 8});
  plan.expectations.push_back({"expect ioredis/tuned:lost == 0", "ioredis/tuned:lost", "==", 0, "", 5, 8});
  nlohmann::json results = {
      {"figures", {{"unavailability.longest", 2.4}, {"lost", 0}}},
      {"groups", {{{"name", "redis-py/defaults"}, {"figures", {{"unavailability.longest", 10.4}}}},
                  {{"name", "redis-py/tuned"}, {"figures", {{"unavailability.longest", 5.1}}}}}}};
  Judge(plan, results);
  ASSERT_EQ(results["expectations"].size(), 3u);
  EXPECT_TRUE(results["expectations"][0]["passed"]);
  EXPECT_EQ(results["expectations"][0]["measured"], 10.4);
  EXPECT_FALSE(results["expectations"][1]["passed"]) << "the group's own 5.1 s, not the run's 2.4 s";
  EXPECT_EQ(results["expectations"][1]["measured"], 5.1);
  EXPECT_FALSE(results["expectations"][2]["passed"]) << "a group the run did not have measured nothing";
  EXPECT_EQ(results["expectations"][2]["note"], "not measured in this run");
  EXPECT_EQ(results["run"]["verdict"], "fail");
}

TEST(LateFaults, AFaultBeyondTheToleranceOrAfterTheLoadIsLateAndNothingIsMeasured) {
  nlohmann::json results = {
      {"figures", {{"lost", 0}}},
      {"run", {{"load_end_ns", 20'000'000'000}}},
      {"faults",
       {{{"id", "F1"}, {"start_ns", 5'000'400'000}, {"scheduled_start_ns", 5'000'000'000}},
        {{"id", "F2"}, {"start_ns", 16'700'000'000}, {"scheduled_start_ns", 10'000'000'000}},
        {{"id", "F3"}, {"start_ns", 21'000'000'000}, {"scheduled_start_ns", 20'990'000'000}},
        {{"id", "F4"}, {"start_ns", 7'000'000'000}, {"scheduled_start_ns", nullptr}}}}};
  auto late = MarkLateFaults(results);
  ASSERT_EQ(late.size(), 2u);
  EXPECT_EQ(late[0], "fault F2 came into force 6700.0 ms after its scheduled instant (tolerance 250.0 ms)");
  EXPECT_EQ(late[1], "fault F3 came into force only after the load ended");
  EXPECT_EQ(results["faults"][0]["lateness_ns"], 400'000);
  EXPECT_FALSE(results["faults"][0]["late"]);
  EXPECT_TRUE(results["faults"][1]["late"]);
  EXPECT_TRUE(results["faults"][2]["late"]);
  EXPECT_TRUE(results["faults"][3]["lateness_ns"].is_null());
  EXPECT_FALSE(results["faults"][3]["late"]);
  EXPECT_EQ(results["run"]["late_faults"].size(), 2u);

  scenario::Plan plan;
  plan.expectations.push_back({"expect lost == 0", "lost", "==", 0, "", 3, 8});
  Judge(plan, results);
  EXPECT_FALSE(results["expectations"][0]["passed"]) << "a late fault is never a pass";
  EXPECT_TRUE(results["expectations"][0]["measured"].is_null());
  EXPECT_EQ(results["expectations"][0]["note"], "not measured: " + late[0]);
  EXPECT_NE(results["run"]["verdict"], "pass");
}

TEST(LateFaults, OnScheduleFaultsLeaveTheJudgementAlone) {
  nlohmann::json results = {{"figures", {{"lost", 0}}},
                            {"faults", {{{"id", "F1"}, {"start_ns", 5'049'000'000}, {"scheduled_start_ns", 5'000'000'000}}}}};
  EXPECT_TRUE(MarkLateFaults(results).empty());
  scenario::Plan plan;
  plan.expectations.push_back({"expect lost == 0", "lost", "==", 0, "", 3, 8});
  Judge(plan, results);
  EXPECT_EQ(results["run"]["verdict"], "pass");
}

}  // namespace
}  // namespace sc::runner
