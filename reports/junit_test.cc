#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include "reports/renderer.h"
#include "reports/test_fixtures.h"

namespace sc::reports {
namespace {

using nlohmann::json;
using namespace sc::reports::testing;
namespace pt = boost::property_tree;

// Parses the XML (throws on a document that is not well-formed).
pt::ptree Parse(const std::string& xml) {
  std::istringstream in(xml);
  pt::ptree tree;
  pt::read_xml(in, tree);
  return tree;
}

std::string Attr(const pt::ptree& node, const std::string& name) {
  return node.get<std::string>("<xmlattr>." + name, "");
}

std::vector<pt::ptree> Children(const pt::ptree& node, const std::string& tag) {
  std::vector<pt::ptree> out;
  for (const auto& [k, v] : node)
    if (k == tag) out.push_back(v);
  return out;
}

TEST(JunitRun, OneTestcasePerExpectationWithMeasuredAndExpected) {
  std::string xml = JunitRun().Render(MasterKillRun());
  pt::ptree doc = Parse(xml);
  const pt::ptree& suites = doc.get_child("testsuites");
  EXPECT_EQ(Attr(suites, "tests"), "2");
  EXPECT_EQ(Attr(suites, "failures"), "1");
  EXPECT_EQ(Attr(suites, "errors"), "0");
  std::vector<pt::ptree> ts = Children(suites, "testsuite");
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(Attr(ts[0], "name"), "Master redis-server killed");
  std::vector<pt::ptree> cases = Children(ts[0], "testcase");
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(Attr(cases[0], "name"), "expect unavailability.longest < 4s");
  EXPECT_EQ(Attr(cases[0], "classname"), "sentinel-chaos.sentinel3.master-kill");
  EXPECT_EQ(cases[0].count("failure"), 0u);
  ASSERT_EQ(cases[1].count("failure"), 1u);
  EXPECT_EQ(Attr(cases[1].get_child("failure"), "message"), "measured 12, expected == 0");
}

TEST(JunitRun, SecondsCarryTheirUnit) {
  json r = MasterKillRun();
  r["expectations"][0]["measured"] = 5.1;
  r["expectations"][0]["passed"] = false;
  pt::ptree doc = Parse(JunitRun().Render(r));
  auto cases = Children(Children(doc.get_child("testsuites"), "testsuite")[0], "testcase");
  EXPECT_EQ(Attr(cases[0].get_child("failure"), "message"), "measured 5.1 s, expected < 4 s");
}

TEST(JunitRun, HostileStringsStayWellFormed) {
  json r = MasterKillRun();
  r["scenario"]["name"] = "a <b> & \"c\" 'd' ]]> \x01";
  r["expectations"][0]["text"] = "expect x < 1 && y > 2 </testcase>";
  r["run"]["rerun"] = "sentinel-chaos run \"a&b\"";
  pt::ptree doc = Parse(JunitRun().Render(r));
  auto ts = Children(doc.get_child("testsuites"), "testsuite")[0];
  EXPECT_EQ(Attr(ts, "name"), "a <b> & \"c\" 'd' ]]> ");
  EXPECT_EQ(Attr(Children(ts, "testcase")[0], "name"), "expect x < 1 && y > 2 </testcase>");
}

TEST(JunitRun, RunCutShortAddsAnErrorAndNotMeasuredFails) {
  pt::ptree doc = Parse(JunitRun().Render(CutShortRun()));
  const pt::ptree& suites = doc.get_child("testsuites");
  EXPECT_EQ(Attr(suites, "tests"), "3");
  EXPECT_EQ(Attr(suites, "failures"), "1");
  EXPECT_EQ(Attr(suites, "errors"), "1");
  auto cases = Children(Children(suites, "testsuite")[0], "testcase");
  EXPECT_EQ(Attr(cases[1].get_child("failure"), "message"), "lost not measured, expected == 0");
  EXPECT_EQ(Attr(cases[2], "name"), "run completed");
  EXPECT_EQ(Attr(cases[2].get_child("error"), "message"), "run cut short");
}

TEST(JunitRun, EmptyAndNullDocumentsAreWellFormed) {
  EXPECT_EQ(Attr(Parse(JunitRun().Render(EmptyRun())).get_child("testsuites"), "tests"), "0");
  EXPECT_EQ(Attr(Parse(JunitRun().Render(NullSectionsRun())).get_child("testsuites"), "tests"), "0");
  EXPECT_EQ(Attr(Parse(JunitRun().Render(json(nullptr))).get_child("testsuites"), "errors"), "1");
}

TEST(JunitSuite, OneTestsuitePerRunAndTotalsAddUp) {
  json suite = ExampleSuite();
  pt::ptree doc = Parse(JunitSuite().Render(suite));
  const pt::ptree& suites = doc.get_child("testsuites");
  auto ts = Children(suites, "testsuite");
  ASSERT_EQ(ts.size(), suite["runs"].size());
  size_t tests = 0, failures = 0;
  for (const auto& t : ts) {
    tests += std::stoul(Attr(t, "tests"));
    failures += std::stoul(Attr(t, "failures"));
    EXPECT_EQ(Children(t, "testcase").size(), std::stoul(Attr(t, "tests")));
  }
  EXPECT_EQ(std::to_string(tests), Attr(suites, "tests"));
  EXPECT_EQ(std::to_string(failures), Attr(suites, "failures"));
  EXPECT_EQ(tests, 2 * suite["runs"].size());
  EXPECT_EQ(Attr(ts.back(), "name"), "sentinel3 / master kill / down-after=5s, vip=on");
}

TEST(JunitSuite, RegressionAgainstBaselineIsAFailure) {
  json baseline = ExampleSuite();
  json slower = ExampleSuite(1.5, 1);
  pt::ptree doc = Parse(JunitSuite(baseline).Render(slower));
  auto ts = Children(doc.get_child("testsuites"), "testsuite");
  auto cases = Children(ts[0], "testcase");
  ASSERT_EQ(cases.size(), 3u);
  EXPECT_EQ(Attr(cases[2], "name"), "no regression against baseline");
  ASSERT_EQ(cases[2].count("failure"), 1u);
  EXPECT_NE(Attr(cases[2].get_child("failure"), "message").find("lost 0 -> 1 (any increase)"), std::string::npos);
  pt::ptree same = Parse(JunitSuite(baseline).Render(baseline));
  for (const auto& t : Children(same.get_child("testsuites"), "testsuite"))
    EXPECT_EQ(Children(t, "testcase").back().count("failure"), 0u);
}

}  // namespace
}  // namespace sc::reports
