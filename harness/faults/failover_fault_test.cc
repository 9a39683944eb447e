// The 'failover' kind as the parser and validation see it: its plan, its JSON
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

TEST(FailoverFault, ParsesWithTheFirstSentinelByDefault) {
  ParseResult r = Parse("sentinel3", "at 5s failover as pf\nat 8s failover via=n3 for 2s");
  ASSERT_TRUE(r.ok()) << r.ErrorText();
  const auto& a = std::get<StartFault>(r.plan->timeline.at(0).action).spec;
  EXPECT_EQ(a.kind, "failover");
  EXPECT_EQ(a.Option("via"), "n1");
  EXPECT_EQ(DescribeFault(a), "planned failover (SENTINEL FAILOVER via n1)");
  const auto& b = std::get<StartFault>(r.plan->timeline.at(1).action).spec;
  EXPECT_EQ(b.Option("via"), "n3");
  auto json = PlanToJson(*r.plan)["timeline"][1]["fault"];
  EXPECT_EQ(json["kind"], "failover");
  EXPECT_EQ(json["via"], "n3");
}

TEST(FailoverFault, BadUseIsRefusedWithTheExactMessageLineAndColumn) {
  struct Case {
    std::string topology, body;
    int line, column;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"sentinel3", "at 5s failover via=n4", 4, 16, "topology sentinel3 has no n4 (its servers: n1, n2 and n3)"},
      {"sentinel3", "at 5s failover via=x", 4, 20, "via must be a server such as n1, got 'x'"},
      {"sentinel3", "at 5s failover master", 4, 16, "unexpected 'master' after the fault"},
      {"sentinel3", "at 5s failover speed=3", 4, 16, "'failover' has no option 'speed' (it takes via=)"},
      {"sentinel3", "at 5s failover as pf\nat 6s heal pf", 5, 12,
       "'pf' is a planned failover, not a partition, cut or loss: stop it with 'stop pf'"},
      {"single", "at 5s failover", 4, 7, "topology single runs no Sentinel to ask for a failover"},
      {"sentinel1", "at 5s failover via=n2", 4, 16, "n2 runs no Sentinel in topology sentinel1 (Sentinels run on n1)"},
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
