// The 'slow' kind as the parser and validation see it: its plan, its JSON
// and the errors a person gets for bad use, with line and column (the style
// of harness/scenario/parser_errors_test.cc).
#include <gtest/gtest.h>

#include "harness/faults/fault_kind.h"
#include "harness/scenario/parser.h"
#include "harness/scenario/test_figures.h"

namespace sc::scenario {
namespace {

ParseResult Parse(const std::string& topology, const std::string& body) {
  return ParseScenario("scenario \"t\"\ntopology " + topology + "\nload duration=30s\n" + body + "\n", "t.chaos",
                       testing::ResultsDocContext());
}

TEST(SlowFault, ParsesTargetAndShare) {
  ParseResult r = Parse("sentinel3", "at 5s slow master cpu=10% for 5s as s\nat 6s slow n2 cpu=50\nat 7s stop f1");
  ASSERT_TRUE(r.ok()) << r.ErrorText();
  const auto& a = std::get<StartFault>(r.plan->timeline.at(0).action).spec;
  EXPECT_EQ(a.kind, "slow");
  EXPECT_EQ(a.target, "master");
  EXPECT_EQ(a.Option("cpu"), "10");
  EXPECT_EQ(DescribeFault(a), "slow master (cpu 10 % per 100 ms)");
  auto json = PlanToJson(*r.plan)["timeline"][0]["fault"];
  EXPECT_EQ(json["kind"], "slow");
  EXPECT_EQ(json["cpu"], 10);
  EXPECT_EQ(json["period"], 100);
  ParseResult p = Parse("sentinel3", "at 5s slow n3 cpu=5 period=1000ms");
  ASSERT_TRUE(p.ok()) << p.ErrorText();
  EXPECT_EQ(std::get<StartFault>(p.plan->timeline.at(0).action).spec.Option("period"), "1000");
}

TEST(SlowFault, BadUseIsRefusedWithTheExactMessageLineAndColumn) {
  struct Case {
    std::string topology, body;
    int line, column;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"sentinel3", "at 5s slow master", 4, 7,
       "'slow' needs cpu=N, the share of one core left to the server (1 to 100), e.g. slow master cpu=10"},
      {"sentinel3", "at 5s slow master cpu=0", 4, 23, "cpu must be a whole number from 1 to 100, got '0'"},
      {"sentinel3", "at 5s slow master cpu=101", 4, 23, "cpu must be a whole number from 1 to 100, got '101'"},
      {"sentinel3", "at 5s slow master cpu=ten", 4, 23, "cpu must be a whole number from 1 to 100, got 'ten'"},
      {"sentinel3", "at 5s slow n4 cpu=10", 4, 12, "topology sentinel3 has no n4 (its servers: n1, n2 and n3)"},
      {"single", "at 5s slow replica cpu=10", 4, 12, "topology single has no replica"},
      {"sentinel3", "at 5s slow master cpu=10 as s\nat 6s heal s", 5, 12,
       "'s' is a slow node, not a partition, cut or loss: stop it with 'stop s'"},
      {"sentinel3", "at 5s slow master cpu=10 speed=2", 4, 26,
       "'slow' has no option 'speed' (it takes cpu= or period=)"},
      {"sentinel3", "at 5s slow master cpu=10 period=2s", 4, 33, "period must be a whole number from 1 to 1000, got '2s'"},
  };
  for (const auto& c : cases) {
    ParseResult r = Parse(c.topology, c.body);
    SCOPED_TRACE(c.body);
    ASSERT_EQ(r.errors.size(), 1u) << r.ErrorText();
    EXPECT_EQ(r.errors[0].message, c.message);
    EXPECT_EQ(r.errors[0].line, c.line);
    EXPECT_EQ(r.errors[0].column, c.column);
  }
}

}  // namespace
}  // namespace sc::scenario
