// The 'crash leader' kind as the parser and validation see it: its plan, its
// JSON and the errors a person gets for bad use, with line and column (the
// style of harness/scenario/parser_errors_test.cc).
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

TEST(CrashLeaderFault, ParsesAndIsStoppedByRestart) {
  ParseResult r = Parse("sentinel3", "at 5s crash leader after=promotion as lc\nat 20s restart lc");
  ASSERT_TRUE(r.ok()) << r.ErrorText();
  const auto& a = std::get<StartFault>(r.plan->timeline.at(0).action).spec;
  EXPECT_EQ(a.kind, "crash");
  EXPECT_EQ(a.Option("after"), "promotion");
  EXPECT_EQ(DescribeFault(a), "Sentinel leader crash after promotion");
  EXPECT_EQ(std::get<StopFault>(r.plan->timeline.at(1).action).verb, "restart");
  auto json = PlanToJson(*r.plan)["timeline"][0]["fault"];
  EXPECT_EQ(json["kind"], "crash");
  EXPECT_EQ(json["after"], "promotion");
  EXPECT_TRUE(Parse("sentinel2", "at 5s crash leader after=election for 10s").ok());
}

TEST(CrashLeaderFault, BadUseIsRefusedWithTheExactMessageLineAndColumn) {
  struct Case {
    std::string topology, body;
    int line, column;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"sentinel3", "at 5s crash leader", 4, 7,
       "'crash leader' needs after=election or after=promotion (when the elected leader crashes)"},
      {"sentinel3", "at 5s crash master after=election", 4, 13,
       "expected 'leader' after 'crash', e.g. crash leader after=election, got 'master'"},
      {"sentinel3", "at 5s crash", 4, 12, "expected 'leader' after 'crash', e.g. crash leader after=election"},
      {"sentinel3", "at 5s crash leader after=lunch", 4, 26, "after must be election or promotion, got 'lunch'"},
      {"sentinel3", "at 5s crash leader after=election extra", 4, 35, "unexpected 'extra' after the fault"},
      {"sentinel3", "at 5s crash leader after=election as c\nat 6s heal c", 5, 12,
       "'c' is a leader crash, not a partition, cut or loss: stop it with 'restart c'"},
      {"single", "at 5s crash leader after=election", 4, 7,
       "topology single runs no Sentinel: 'crash leader' needs another Sentinel to finish the failover"},
      {"sentinel1", "at 5s crash leader after=election", 4, 7,
       "topology sentinel1 runs one Sentinel: 'crash leader' needs another Sentinel to finish the failover"},
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
