#include "harness/scenario/parser.h"

#include <gtest/gtest.h>

#include "harness/scenario/test_figures.h"

namespace sc::scenario {
namespace {

using testing::ResultsDocContext;

constexpr int64_t kS = 1'000'000'000;
constexpr int64_t kMs = 1'000'000;

const char* kHeader =
    "scenario \"Test\"\n"
    "topology sentinel3 replicas=2\n"
    "load duration=60s\n";

Plan MustParse(const std::string& body, const std::string& header = kHeader) {
  ParseResult r = ParseScenario(header + body, "t.chaos", ResultsDocContext());
  EXPECT_TRUE(r.ok()) << r.ErrorText();
  return r.plan ? *r.plan : Plan{};
}

const StartFault& StartAt(const Plan& p, size_t i) { return std::get<StartFault>(p.timeline.at(i).action); }
const StopFault& StopAt(const Plan& p, size_t i) { return std::get<StopFault>(p.timeline.at(i).action); }

TEST(FiguresFromDoc, ExpandsSlashListsOfTheResultsTable) {
  auto ctx = ResultsDocContext();
  for (const char* f : {"unavailability.longest", "unavailability.total", "unavailability.count", "lost",
                        "latency.p999", "failover.time", "failovers", "split_brain.count", "settled"})
    EXPECT_TRUE(ctx.is_known_figure(f)) << f;
  EXPECT_FALSE(ctx.is_known_figure("unavailability"));
}

TEST(Parser, TheDesignExampleBecomesAPlan) {
  ParseResult r = ParseScenario(
      "scenario \"Master redis-server killed\"\n"
      "description \"Sentinel fails over; the VIP follows the master.\"\n"
      "topology sentinel3 replicas=2 down-after=1s failover-timeout=5s vip=on\n"
      "load clients=8 workload=set via=vip duration=30s\n"
      "at 5s  kill redis on master as m1\n"
      "at 20s restart m1\n"
      "expect unavailability.longest < 4s\n"
      "expect lost == 0\n",
      "scenarios/x.chaos", ResultsDocContext());
  ASSERT_TRUE(r.ok()) << r.ErrorText();
  const Plan& p = *r.plan;
  EXPECT_EQ(p.name, "Master redis-server killed");
  EXPECT_EQ(p.description, "Sentinel fails over; the VIP follows the master.");
  EXPECT_EQ(p.file, "scenarios/x.chaos");
  EXPECT_EQ(p.topology.kind, topology::Kind::kSentinel3);
  EXPECT_EQ(p.topology.down_after_ms, 1000);
  EXPECT_EQ(p.topology.failover_timeout_ms, 5000);
  EXPECT_EQ(p.load.clients, 8);
  EXPECT_EQ(p.load.duration_ns, 30 * kS);
  ASSERT_EQ(p.timeline.size(), 2u);
  EXPECT_EQ(p.timeline[0].at_ns, 5 * kS);
  const FaultSpec& kill = StartAt(p, 0).spec;
  EXPECT_EQ(kill.id, "m1");
  EXPECT_EQ(kill.kind, "kill");
  EXPECT_EQ(kill.Option("process"), "redis");
  EXPECT_EQ(kill.Option("signal"), "KILL");
  EXPECT_EQ(kill.target, "master");
  EXPECT_EQ(kill.line, 5);
  EXPECT_EQ(kill.source, "at 5s  kill redis on master as m1");
  EXPECT_EQ(p.timeline[1].at_ns, 20 * kS);
  EXPECT_EQ(StopAt(p, 1).id, "m1");
  EXPECT_EQ(StopAt(p, 1).verb, "restart");
  ASSERT_EQ(p.expectations.size(), 2u);
  EXPECT_EQ(p.expectations[0].figure, "unavailability.longest");
  EXPECT_EQ(p.expectations[0].op, "<");
  EXPECT_DOUBLE_EQ(p.expectations[0].value, 4.0);
  EXPECT_EQ(p.expectations[0].unit, "s");
  EXPECT_EQ(p.expectations[0].line, 7);
  EXPECT_EQ(p.expectations[0].text, "expect unavailability.longest < 4s");
  EXPECT_EQ(p.expectations[1].figure, "lost");
  EXPECT_EQ(p.expectations[1].unit, "");
}

TEST(Parser, AfterIsRelativeToThePreviousStep) {
  Plan p = MustParse(
      "at 5s kill redis on master as m1\n"
      "after 3s restart m1\n"
      "after 1.5s pause redis on replica as p\n"
      "after 500ms resume p\n");
  ASSERT_EQ(p.timeline.size(), 4u);
  EXPECT_EQ(p.timeline[1].at_ns, 8 * kS);
  EXPECT_EQ(p.timeline[2].at_ns, 9500 * kMs);
  EXPECT_EQ(p.timeline[3].at_ns, 10 * kS);
}

TEST(Parser, AStatementWithoutTimeHappensWithThePreviousOne) {
  Plan p = MustParse(
      "at 5s kill redis on master as m1\n"
      "wait until failover timeout 10s\n"
      "restart m1\n");
  ASSERT_EQ(p.timeline.size(), 3u);
  EXPECT_EQ(p.timeline[1].at_ns, 5 * kS);
  auto wait = std::get<WaitUntil>(p.timeline[1].action);
  EXPECT_EQ(wait.condition, "failover");
  EXPECT_EQ(wait.timeout_ns, 10 * kS);
  EXPECT_EQ(p.timeline[2].at_ns, 5 * kS);
  EXPECT_EQ(StopAt(p, 2).id, "m1");
}

TEST(Parser, TimelineIsSortedByTimeAndKeepsFileOrderForTies) {
  Plan p = MustParse(
      "at 10s down n2 as d\n"
      "at 2s kill sentinel on n3 as s\n"
      "at 10s up d mode=resume\n"
      "at 12s restart s\n");
  ASSERT_EQ(p.timeline.size(), 4u);
  EXPECT_EQ(StartAt(p, 0).spec.id, "s");
  EXPECT_EQ(StartAt(p, 1).spec.id, "d");
  EXPECT_EQ(StopAt(p, 2).id, "d");
  ASSERT_TRUE(StopAt(p, 2).options.count("mode"));
  EXPECT_EQ(StopAt(p, 2).options.at("mode"), "resume");
  EXPECT_EQ(StartAt(p, 0).spec.Option("process"), "sentinel");
}

TEST(Parser, ForAddsTheAutomaticStop) {
  Plan p = MustParse("at 5s pause redis on master for 500ms\n");
  ASSERT_EQ(p.timeline.size(), 2u);
  EXPECT_EQ(StartAt(p, 0).spec.kind, "pause");
  EXPECT_EQ(StartAt(p, 0).spec.id, "f1");
  EXPECT_EQ(p.timeline[1].at_ns, 5500 * kMs);
  EXPECT_EQ(StopAt(p, 1).id, "f1");
  EXPECT_EQ(StopAt(p, 1).verb, "for");
}

TEST(Parser, GeneratedIdsSkipNamesTheUserChose) {
  Plan p = MustParse(
      "at 1s kill redis on n2 for 1s\n"
      "at 5s kill redis on n3 for 1s as f2\n"
      "at 9s down n2 for 1s\n");
  EXPECT_EQ(StartAt(p, 0).spec.id, "f1");
  EXPECT_EQ(StartAt(p, 2).spec.id, "f2");
  EXPECT_EQ(StartAt(p, 4).spec.id, "f3");
}

TEST(Parser, EveryExpandsToStartsAndStops) {
  Plan p = MustParse("at 5s every 4s for 12s partition master | others for 1s as flap\n");
  ASSERT_EQ(p.timeline.size(), 6u);
  const int64_t starts[] = {5 * kS, 9 * kS, 13 * kS};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(p.timeline[2 * i].at_ns, starts[i]);
    EXPECT_EQ(StartAt(p, 2 * i).spec.id, "flap." + std::to_string(i + 1));
    EXPECT_EQ(p.timeline[2 * i + 1].at_ns, starts[i] + kS);
    EXPECT_EQ(StopAt(p, 2 * i + 1).id, "flap." + std::to_string(i + 1));
  }
  const FaultSpec& part = StartAt(p, 0).spec;
  EXPECT_EQ(part.kind, "partition");
  ASSERT_EQ(part.groups.size(), 2u);
  EXPECT_EQ(part.groups[0], std::vector<std::string>{"master"});
  EXPECT_EQ(part.groups[1], std::vector<std::string>{"others"});
}

TEST(Parser, PartitionGroupsAndDirection) {
  Plan p = MustParse("at 2s partition master,client | n2, n3 direction=to for 3s\n");
  const FaultSpec& f = StartAt(p, 0).spec;
  EXPECT_EQ(f.groups[0], (std::vector<std::string>{"master", "client"}));
  EXPECT_EQ(f.groups[1], (std::vector<std::string>{"n2", "n3"}));
  EXPECT_EQ(f.Option("direction"), "to");
}

TEST(Parser, CutLossDownAndSignal) {
  Plan p = MustParse(
      "at 1s cut client from master for 2s\n"
      "at 4s loss n2 percent=30 for 2s\n"
      "at 7s down replica mode=resume for 2s\n"
      "at 10s kill redis on n1 signal=TERM for 2s\n");
  EXPECT_EQ(StartAt(p, 0).spec.kind, "cut");
  EXPECT_EQ(StartAt(p, 0).spec.target, "master");
  EXPECT_EQ(StartAt(p, 2).spec.kind, "loss");
  EXPECT_EQ(StartAt(p, 2).spec.Option("percent"), "30");
  EXPECT_EQ(StartAt(p, 4).spec.kind, "down");
  EXPECT_EQ(StartAt(p, 4).spec.Option("mode"), "resume");
  EXPECT_EQ(StartAt(p, 6).spec.Option("signal"), "TERM");
}

TEST(Parser, HealAndStopStopFaults) {
  Plan p = MustParse(
      "at 1s partition n2 | n3 as p\n"
      "at 3s heal p\n"
      "at 4s loss master percent=10 as l\n"
      "at 6s stop l\n");
  EXPECT_EQ(StopAt(p, 1).verb, "heal");
  EXPECT_EQ(StopAt(p, 3).verb, "stop");
}

TEST(Parser, OneOfKeepsTheAlternativesUntilResolved) {
  Plan p = MustParse("at 5s one of { kill redis on master ; down replica ; partition master | others } for 5s as r\n");
  ASSERT_EQ(p.timeline.size(), 2u);
  const StartFault& s = StartAt(p, 0);
  EXPECT_EQ(s.spec.id, "r");
  ASSERT_EQ(s.alternatives.size(), 3u);
  EXPECT_EQ(s.alternatives[0].kind, "kill");
  EXPECT_EQ(s.alternatives[1].kind, "down");
  EXPECT_EQ(s.alternatives[2].kind, "partition");
  EXPECT_EQ(p.timeline[1].at_ns, 10 * kS);
}

TEST(ResolveRandom, PicksTheSameChoicesForTheSameSeed) {
  const std::string body =
      "at 2s every 3s for 15s one of { kill redis on random ; down random ; partition random | others } for 1s\n";
  Plan a = MustParse(body), b = MustParse(body), c = MustParse(body);
  ResolveRandom(a, 7);
  ResolveRandom(b, 7);
  ResolveRandom(c, 8);
  EXPECT_EQ(PlanToJson(a), PlanToJson(b));
  EXPECT_NE(PlanToJson(a)["timeline"], PlanToJson(c)["timeline"]);
  EXPECT_EQ(a.seed, std::optional<uint64_t>(7));
  for (const auto& s : a.timeline) {
    auto* start = std::get_if<StartFault>(&s.action);
    if (!start) continue;
    EXPECT_TRUE(start->alternatives.empty());
    EXPECT_NE(start->spec.target, "random");
    for (const auto& g : start->spec.groups)
      for (const auto& t : g) EXPECT_NE(t, "random");
  }
}

TEST(ResolveRandom, ARandomPartitionSideAvoidsTheServersAlreadyNamed) {
  for (uint64_t seed = 0; seed < 20; ++seed) {
    Plan p = MustParse("at 2s partition random | n1 for 1s\n");
    ResolveRandom(p, seed);
    EXPECT_NE(StartAt(p, 0).spec.groups[0][0], "n1");
  }
}

TEST(Parser, SugarExpectations) {
  Plan p = MustParse(
      "at 5s kill redis on master as m1\n"
      "expect failover within 5s\n"
      "expect no failover\n"
      "expect no loss\n"
      "expect no split-brain\n"
      "expect ttr.m1 <= 2500ms\n"
      "expect latency.p99 < 0.2\n"
      "expect failovers != 3\n");
  ASSERT_EQ(p.expectations.size(), 7u);
  EXPECT_EQ(p.expectations[0].figure, "failover.time");
  EXPECT_EQ(p.expectations[0].op, "<=");
  EXPECT_DOUBLE_EQ(p.expectations[0].value, 5.0);
  EXPECT_EQ(p.expectations[1].figure, "failovers");
  EXPECT_EQ(p.expectations[1].op, "==");
  EXPECT_DOUBLE_EQ(p.expectations[1].value, 0);
  EXPECT_EQ(p.expectations[2].figure, "lost");
  EXPECT_EQ(p.expectations[3].figure, "split_brain");
  EXPECT_EQ(p.expectations[4].figure, "ttr.m1");
  EXPECT_DOUBLE_EQ(p.expectations[4].value, 2.5);
  EXPECT_DOUBLE_EQ(p.expectations[5].value, 0.2);
  EXPECT_EQ(p.expectations[5].unit, "");
  EXPECT_EQ(p.expectations[6].op, "!=");
}

TEST(Parser, SeedSettleCommentsAndDescriptionLines) {
  Plan p = MustParse(
      "# a comment line\n"
      "description \"First part.\"   # trailing comment\n"
      "description \"Second part.\"\n"
      "seed 1234\n"
      "settle timeout 45s\n");
  EXPECT_EQ(p.description, "First part. Second part.");
  EXPECT_EQ(p.seed, std::optional<uint64_t>(1234));
  EXPECT_EQ(p.settle_timeout_ns, 45 * kS);
}

TEST(Parser, EveryTopologyOptionIsAccepted) {
  Plan p = MustParse("",
                     "scenario \"x\"\n"
                     "topology sentinel3 replicas=1 quorum=2 down-after=2s failover-timeout=10s "
                     "min-replicas-to-write=1 min-replicas-max-lag=2 persistence=aof appendfsync=always vip=off "
                     "supervisor=on supervisor-delay=3s requirepass=secret port=7000 sentinel-port=27000 "
                     "master-name=svc\n"
                     "load clients=4 workload=counter via=sentinel rate=500 duration=20s connect-timeout=50ms "
                     "timeout=200ms key=k\n");
  EXPECT_EQ(p.topology.replicas, 1);
  EXPECT_EQ(p.topology.quorum, 2);
  EXPECT_EQ(p.topology.persistence, topology::Persistence::kAof);
  EXPECT_FALSE(p.topology.vip);
  EXPECT_TRUE(p.topology.supervisor);
  EXPECT_EQ(p.topology.master_name, "svc");
  EXPECT_EQ(p.load.workload, "counter");
  EXPECT_EQ(p.load.via, load::Via::kSentinel);
  EXPECT_EQ(p.load.command_timeout_ns, 200 * kMs);
}

TEST(Parser, KindSetsTheReplicaCount) {
  Plan p = MustParse("", "scenario \"x\"\ntopology single\n");
  EXPECT_EQ(p.topology.replicas, 0);
  p = MustParse("", "scenario \"x\"\ntopology sentinel2\n");
  EXPECT_EQ(p.topology.replicas, 1);
}

TEST(Overrides, SetTopologyAndLoadOptions) {
  Plan p = MustParse("at 5s kill redis on n3 for 2s\n");
  EXPECT_TRUE(ApplyOverride(p, "down-after=2s").empty());
  EXPECT_EQ(p.topology.down_after_ms, 2000);
  EXPECT_TRUE(ApplyOverride(p, "clients=2").empty());
  EXPECT_EQ(p.load.clients, 2);
}

TEST(Overrides, UnknownOptionSuggestsTheClosest) {
  Plan p = MustParse("");
  auto errors = ApplyOverride(p, "replica=1");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].ToString(),
            "--set replica=1: unknown option 'replica' (neither a topology nor a load option); "
            "did you mean 'replicas'?\n");
}

TEST(Overrides, AreValidatedAgainstThePlan) {
  Plan p = MustParse("at 5s kill redis on n3 for 2s\n");
  auto errors = ApplyOverride(p, "replicas=1");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 4);
  EXPECT_EQ(errors[0].column, 21);
  EXPECT_EQ(errors[0].message, "topology sentinel3 with replicas=1 has no n3 (its servers: n1 and n2)");
  errors = ApplyOverride(p, "duration=6s");
  ASSERT_EQ(errors.size(), 2u);  // replicas=1 still
  EXPECT_EQ(errors[1].message,
            "the fault stops at 7s, after the load ends at 6s: lengthen the load (load duration=...) or move this earlier");
}

TEST(Overrides, GivenToTheParserApplyBeforeValidation) {
  ParseResult r = ParseScenario(std::string(kHeader) + "at 5s kill redis on n3 for 2s\n", "t.chaos",
                                ResultsDocContext(), {"replicas=1"});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "topology sentinel3 with replicas=1 has no n3 (its servers: n1 and n2)");
  r = ParseScenario(std::string(kHeader) + "at 5s kill redis on n3 for 2s\n", "t.chaos", ResultsDocContext(),
                    {"clients=3"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.plan->load.clients, 3);
}

TEST(Errors, AreFormattedNinjaStyle) {
  ParseResult r = ParseScenario("scenario \"x\"\ntopology sentinel3\nat 5s kil redis on master\n", "a.chaos",
                                ResultsDocContext());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.ErrorText(),
            "a.chaos:3:7: unknown action 'kil'; did you mean 'kill'?\n"
            "at 5s kil redis on master\n"
            "      ^\n");
}

TEST(Errors, SeveralAreCollectedInLineOrder) {
  ParseResult r = ParseScenario(
      "scenario \"x\"\n"
      "topology sentinel3 replcas=2\n"
      "at 5s kil redis on master\n"
      "expect lsot == 0\n",
      "a.chaos", ResultsDocContext());
  ASSERT_EQ(r.errors.size(), 3u) << r.ErrorText();
  EXPECT_EQ(r.errors[0].line, 2);
  EXPECT_EQ(r.errors[1].line, 3);
  EXPECT_EQ(r.errors[2].line, 4);
  EXPECT_FALSE(r.plan.has_value());
}

TEST(PlanOutput, DescribeAndJsonShowTheResolvedTimeline) {
  Plan p = MustParse("at 5s kill redis on master as m1\nat 20s restart m1\nexpect lost == 0\n");
  std::string text = DescribePlan(p);
  EXPECT_NE(text.find("Scenario: Test (t.chaos)"), std::string::npos) << text;
  EXPECT_NE(text.find("    5.000s  start m1: kill redis (SIGKILL) on master  [line 4]"), std::string::npos) << text;
  EXPECT_NE(text.find("   20.000s  stop m1 (restart)"), std::string::npos) << text;
  EXPECT_NE(text.find("lost == 0"), std::string::npos) << text;
  nlohmann::json j = PlanToJson(p);
  EXPECT_EQ(j["name"], "Test");
  EXPECT_EQ(j["timeline"][0]["at_ns"], 5 * kS);
  EXPECT_EQ(j["timeline"][0]["fault"]["target"], "master");
  EXPECT_EQ(j["timeline"][1]["action"], "stop");
  EXPECT_EQ(j["expectations"][0]["figure"], "lost");
  EXPECT_EQ(j["topology"]["topology"], "sentinel3");
  EXPECT_TRUE(j["seed"].is_null());
}

TEST(Parser, TheExamplesOfTheLanguageDocParse) {
  Plan p = MustParse(
      "at 5s kill redis on master signal=TERM as m1\n"
      "after 3s restart m1\n"
      "at 10s pause redis on master for 600ms as stall\n"
      "at 12s down master mode=resume for 5s\n"
      "at 20s partition master,client | others direction=from for 2s\n"
      "at 25s cut client from master for 3s as blocked\n"
      "at 30s loss n2 percent=30 for 5s\n"
      "at 36s kill redis on master as m2\n"
      "wait until failover timeout 10s\n"
      "after 2s restart m2   # 2 s after the failover\n"
      "at 40s wait until settled timeout 5s\n"
      "expect ttr.m1 <= 3s\n",
      "scenario \"x\"\n"
      "topology sentinel3 min-replicas-to-write=1 min-replicas-max-lag=1\n"
      "load clients=4 via=direct server=n1 rate=1000 duration=60s\n");
  ASSERT_EQ(p.timeline.size(), 16u);
  EXPECT_EQ(p.timeline.back().at_ns, 40 * kS);
}

TEST(Holds, ComparesWithEachOperator) {
  EXPECT_TRUE(Holds("<", 1, 2));
  EXPECT_FALSE(Holds("<", 2, 2));
  EXPECT_TRUE(Holds("<=", 2, 2));
  EXPECT_TRUE(Holds(">", 3, 2));
  EXPECT_TRUE(Holds(">=", 2, 2));
  EXPECT_TRUE(Holds("==", 0, 0));
  EXPECT_TRUE(Holds("!=", 1, 0));
  EXPECT_FALSE(Holds("~", 1, 0));
}

TEST(DidYouMean, SuggestsOnlyCloseWords) {
  EXPECT_EQ(DidYouMean("kil", {"kill", "pause"}), std::optional<std::string>("kill"));
  EXPECT_EQ(DidYouMean("sentinal", {"redis", "sentinel"}), std::optional<std::string>("sentinel"));
  EXPECT_EQ(DidYouMean("zzz", {"kill", "pause"}), std::nullopt);
}

}  // namespace
}  // namespace sc::scenario

namespace sc::scenario {
namespace {

ParseContext WithUnits() {
  ParseContext ctx = testing::ResultsDocContext();
  ctx.figure_is_duration = [](const std::string& f) { return f == "unavailability.longest" || f == "split_brain"; };
  return ctx;
}

TEST(ExpectationUnits, ACountComparedWithADurationIsAnError) {
  auto r = ParseScenario(std::string(kHeader) + "expect lost < 4s\n", "t.chaos", WithUnits());
  ASSERT_EQ(r.errors.size(), 1u) << r.ErrorText();
  EXPECT_EQ(r.errors[0].line, 4);
  EXPECT_EQ(r.errors[0].column, 8);
  EXPECT_EQ(r.errors[0].message, "'lost' is a count, not a duration: compare it with a number such as 0 or 12");
}

TEST(ExpectationUnits, ADurationNeedsAUnitExceptZero) {
  auto r = ParseScenario(std::string(kHeader) + "expect unavailability.longest < 4\n", "t.chaos", WithUnits());
  ASSERT_EQ(r.errors.size(), 1u) << r.ErrorText();
  EXPECT_EQ(r.errors[0].message, "'unavailability.longest' is a duration: give the value a unit, e.g. 4s or 4ms");
  EXPECT_TRUE(ParseScenario(std::string(kHeader) + "expect split_brain == 0\nexpect unavailability.longest < 4s\n",
                            "t.chaos", WithUnits()).ok());
}

// expect GROUP:FIGURE names one client group (a load line) by the name the
// run gives it: hiredis, CLIENT/PROFILE, a repeated one with #2.
TEST(GroupExpectations, NameALoadLinesGroupAndAKnownFigureWithItsUnit) {
  const std::string loads = "load client=redis-py profile=tuned\nload client=redis-py profile=tuned\nload client=ioredis\n";
  auto ok = ParseScenario(std::string(kHeader) + loads +
                              "expect redis-py/tuned:unavailability.longest < 4s\n"
                              "expect redis-py/tuned#2:lost == 0\nexpect ioredis/defaults:lost == 0\nexpect hiredis:lost == 0\n",
                          "t.chaos", WithUnits());
  ASSERT_TRUE(ok.ok()) << ok.ErrorText();
  EXPECT_EQ(ClientGroupNames(*ok.plan),
            (std::vector<std::string>{"hiredis", "redis-py/tuned", "redis-py/tuned#2", "ioredis/defaults"}));
  EXPECT_EQ(ok.plan->expectations[0].figure, "redis-py/tuned:unavailability.longest");

  auto unknown_group = ParseScenario(std::string(kHeader) + loads + "expect redis-rb/tuned:lost == 0\n", "t.chaos", WithUnits());
  ASSERT_EQ(unknown_group.errors.size(), 1u) << unknown_group.ErrorText();
  EXPECT_NE(unknown_group.errors[0].message.find("no client group is named 'redis-rb/tuned'"), std::string::npos)
      << unknown_group.errors[0].message;
  auto unknown_figure = ParseScenario(std::string(kHeader) + loads + "expect ioredis/defaults:lots == 0\n", "t.chaos", WithUnits());
  ASSERT_EQ(unknown_figure.errors.size(), 1u) << unknown_figure.ErrorText();
  EXPECT_NE(unknown_figure.errors[0].message.find("unknown figure 'lots'"), std::string::npos);
  auto unit = ParseScenario(std::string(kHeader) + loads + "expect ioredis/defaults:lost < 4s\n", "t.chaos", WithUnits());
  ASSERT_EQ(unit.errors.size(), 1u) << unit.ErrorText();
  EXPECT_NE(unit.errors[0].message.find("'lost' is a count"), std::string::npos);
}

}  // namespace
}  // namespace sc::scenario
