#include <gtest/gtest.h>

#include <string>

#include "reports/renderer.h"
#include "reports/suite.h"
#include "reports/test_fixtures.h"

namespace sc::reports {
namespace {

using nlohmann::json;
using namespace sc::reports::testing;

bool Has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + needle.size())) ++n;
  return n;
}

json Entry(double longest, double lost, const std::string& verdict = "pass") {
  return {{"architecture", "sentinel3"}, {"failure_class", "process kill"}, {"matrix", json::object()},
          {"verdict", verdict}, {"figures", {{"unavailability.longest", longest}, {"lost", lost}}}};
}

TEST(MakeSuiteEntry, CopiesIdentityVerdictFiguresAndExpectations) {
  json e = MakeSuiteEntry(MasterKillRun(), "runs/001", "process kill", {{"down-after", "1s"}});
  EXPECT_EQ(e["run_dir"], "runs/001");
  EXPECT_EQ(e["architecture"], "sentinel3");
  EXPECT_EQ(e["failure_class"], "process kill");
  EXPECT_EQ(e["matrix"]["down-after"], "1s");
  EXPECT_EQ(e["verdict"], "fail");
  EXPECT_EQ(e["seed"], 42);
  EXPECT_DOUBLE_EQ(e["figures"]["unavailability.longest"].get<double>(), 2.4);
  EXPECT_EQ(e["figures"]["lost"], 12);
  EXPECT_TRUE(e["figures"].contains("ttr"));
  ASSERT_EQ(e["expectations"].size(), 2u);
  EXPECT_EQ(e["expectations"][1]["measured"], 12);
}

TEST(MakeSuiteDocument, IsSchemaVersionOneWithItsRuns) {
  json doc = MakeSuiteDocument("nightly", "2026-11-26T12:00:00Z", {MakeSuiteEntry(MasterKillRun(), "runs/1", "kill", nullptr)});
  EXPECT_EQ(doc["schema_version"], 1);
  EXPECT_EQ(doc["name"], "nightly");
  ASSERT_EQ(doc["runs"].size(), 1u);
  EXPECT_EQ(doc["runs"][0]["run_dir"], "runs/1");
}

TEST(MakeSuiteEntry, FallsBackToSectionsWhenFiguresAreMissing) {
  json r = MasterKillRun();
  r.erase("figures");
  json e = MakeSuiteEntry(r, "runs/001", "kill", nullptr);
  EXPECT_DOUBLE_EQ(e["figures"]["unavailability.longest"].get<double>(), 2.4);
  EXPECT_EQ(e["figures"]["lost"], 12);
  EXPECT_TRUE(e["figures"]["ttr"].is_null()) << "never invented";
  EXPECT_EQ(e["matrix"], json::object());
}

TEST(MakeSuiteEntry, EmptyResultsGiveAnErrorEntryWithNullFigures) {
  json e = MakeSuiteEntry(EmptyRun(), "runs/x", "partition", nullptr);
  EXPECT_EQ(e["verdict"], "error");
  EXPECT_EQ(e["architecture"], "unknown");
  EXPECT_TRUE(e["figures"]["unavailability.longest"].is_null());
  EXPECT_TRUE(e["figures"]["lost"].is_null());
}

TEST(CompareToBaseline, UnavailabilityNeedsBothTwentyPercentAndTwoHundredMs) {
  EXPECT_TRUE(CompareToBaseline(Entry(2.3, 0), Entry(2.0, 0)).empty()) << "+15%";
  EXPECT_TRUE(CompareToBaseline(Entry(0.25, 0), Entry(0.1, 0)).empty()) << "+150% but only +150 ms";
  auto r = CompareToBaseline(Entry(2.5, 0), Entry(2.0, 0));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].figure, "unavailability.longest");
  EXPECT_EQ(r[0].rule, "+20% and +0.2 s");
}

TEST(CompareToBaseline, AnyMoreLostWritesIsARegression) {
  EXPECT_EQ(CompareToBaseline(Entry(1, 1), Entry(1, 0)).size(), 1u);
  EXPECT_TRUE(CompareToBaseline(Entry(1, 0), Entry(1, 3)).empty()) << "fewer is better";
}

TEST(CompareToBaseline, PassBecomingFailIsARegressionAndNullIsNotCompared) {
  auto r = CompareToBaseline(Entry(1, 0, "fail"), Entry(1, 0, "pass"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].rule, "pass became fail");
  json cur = Entry(9, 9);
  cur["figures"]["unavailability.longest"] = nullptr;
  json base = Entry(1, 0);
  base["figures"]["lost"] = nullptr;
  EXPECT_TRUE(CompareToBaseline(cur, base).empty());
}

TEST(FindBaselineEntry, MatchesArchitectureClassAndMatrix) {
  json suite = ExampleSuite();
  const json& entry = suite["runs"].back();
  const json* found = FindBaselineEntry(suite, entry);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ((*found)["run_dir"], entry["run_dir"]);
  json other = entry;
  other["matrix"]["down-after"] = "9s";
  EXPECT_EQ(FindBaselineEntry(suite, other), nullptr);
}

TEST(HtmlSuiteIndex, MatrixHasEveryFailureClassByArchitecture) {
  std::string html = HtmlSuiteIndex().Render(ExampleSuite());
  for (const char* a : {"single", "sentinel1", "sentinel2", "sentinel3"})
    EXPECT_TRUE(Has(html, std::string("<th data-architecture=\"") + a + "\">" + a + "</th>")) << a;
  for (const char* c : {"process kill", "node down", "partition", "master kill"})
    EXPECT_TRUE(Has(html, std::string("<tr data-failure-class=\"") + c + "\"><th class=\"rowhead\">" + c + "</th>")) << c;
  EXPECT_TRUE(Has(html, "href=\"runs/000-single/report.html\""));
  EXPECT_TRUE(Has(html, "<span class=\"badge v-pass\">pass</span>"));
  EXPECT_TRUE(Has(html, "<span class=\"badge v-fail\">fail</span>"));
  EXPECT_TRUE(Has(html, "<span class=\"fig sev-2\">1.00 s</span> · <span class=\"fig sev-0\">0 lost</span>"));
  EXPECT_TRUE(Has(html, "id=\"legend\""));
}

TEST(HtmlSuiteIndex, CellsAreColouredAndSortedByWhatWasMeasuredNotByTheVerdict) {
  json suite = ExampleSuite();
  // A passing run with a 15 s outage and 137,831 lost writes is the worst cell, whatever its verdict.
  json bad = suite["runs"][0];
  bad["architecture"] = "sentinel2";
  bad["failure_class"] = "master node down";
  bad["verdict"] = "pass";
  bad["figures"]["unavailability.longest"] = 15.2;
  bad["figures"]["lost"] = 137831;
  bad["run_dir"] = "runs/bad";
  suite["runs"].push_back(bad);
  json calm = bad;
  calm["failure_class"] = "replica partition";
  calm["figures"]["unavailability.longest"] = 0;
  calm["figures"]["lost"] = 0;
  calm["run_dir"] = "runs/calm";
  suite["runs"].push_back(calm);
  std::string html = HtmlSuiteIndex().Render(suite);
  size_t link = html.find("href=\"runs/bad/report.html\"");
  ASSERT_NE(link, std::string::npos);
  size_t a = html.rfind("<a class=\"run ", link);
  EXPECT_EQ(html.substr(a, 50).find("run sev-4"), 10u) << html.substr(a, 80);
  EXPECT_TRUE(Has(html, "<span class=\"fig sev-4\">15.20 s</span> · <span class=\"fig sev-4\">137,831 lost</span>"));
  EXPECT_TRUE(Has(html, "href=\"runs/calm/report.html\""));
  // Worst row first in the matrix; worst run first in the list of runs.
  size_t matrix = html.find("id=\"matrix\"");
  EXPECT_LT(html.find("data-failure-class=\"master node down\"", matrix),
            html.find("data-failure-class=\"replica partition\"", matrix));
  size_t list = html.find("id=\"runs\"");
  EXPECT_LT(html.find("runs/bad/report.html", list), html.find("runs/calm/report.html", list));
}

TEST(HtmlSuiteIndex, SweepHasATableAndPlotsInValueOrder) {
  std::string html = HtmlSuiteIndex().Render(ExampleSuite());
  EXPECT_EQ(Count(html, "<section class=\"sweep\""), 1u) << "only down-after varies";
  EXPECT_TRUE(Has(html, "data-option=\"down-after\""));
  size_t a = html.find("<th>down-after = 500ms</th>"), b = html.find("<th>down-after = 1s</th>"),
         c = html.find("<th>down-after = 5s</th>");
  ASSERT_NE(a, std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_TRUE(Has(html, "<svg class=\"plot\" data-figure=\"unavailability.longest\""));
  EXPECT_TRUE(Has(html, "<svg class=\"plot\" data-figure=\"lost\""));
}

TEST(HtmlSuiteIndex, BaselineFiguresSitBesideTheirValueAndRegressionsAreFlagged) {
  std::string html = HtmlSuiteIndex(ExampleSuite()).Render(ExampleSuite(1.5, 1));
  EXPECT_TRUE(Has(html, "id=\"regressions\""));
  EXPECT_TRUE(Has(html, "baseline 1.00 s · 0 lost"));
  EXPECT_TRUE(Has(html, "▲ regression"));
  EXPECT_TRUE(Has(html, "any increase"));
  std::string same = HtmlSuiteIndex(ExampleSuite()).Render(ExampleSuite());
  EXPECT_TRUE(Has(same, "None: no figure crossed its threshold."));
  EXPECT_FALSE(Has(same, "▲ regression"));
}

TEST(HtmlSuiteIndex, EscapesStringsAndLinks) {
  json suite = ExampleSuite();
  suite["name"] = "<script>alert(1)</script>";
  suite["runs"][0]["failure_class"] = "<img src=x onerror=alert(1)>";
  suite["runs"][0]["run_dir"] = "javascript:alert(1)//";
  suite["runs"][1]["matrix"] = {{"<b>", "\"><script>"}};
  std::string html = HtmlSuiteIndex().Render(suite);
  EXPECT_FALSE(Has(html, "<script>"));
  EXPECT_FALSE(Has(html, "<img"));
  EXPECT_TRUE(Has(html, "href=\"javascript%3Aalert%281%29//report.html\""));
}

// A run with client groups: each group's figures go into the suite entry,
// and the index has a "library x failure" table, one row per group.
json ClientsRun(double py_longest, double py_lost) {
  json r = MasterKillRun();
  auto group = [](const std::string& name, const std::string& client, double longest, double lost) {
    return json{{"name", name}, {"client", client}, {"profile", "defaults"},
                {"info", {{"library", client}, {"version", "1.0"}}},
                {"figures", {{"unavailability.longest", longest}, {"lost", lost}, {"acknowledged", 5000}}},
                {"failovers", json::array({{{"switch_master_ns", 9'000'000'000LL}, {"first_ok_ns", 9'250'000'000LL}}})}};
  };
  r["groups"] = json::array({group("hiredis", "hiredis", 1.75, 0), group("redis-py/defaults", "redis-py", py_longest, py_lost)});
  return r;
}

TEST(MakeSuiteEntry, CopiesEachClientGroupsFigures) {
  json e = MakeSuiteEntry(ClientsRun(10.45, 2633), "runs/001", "node down", nullptr);
  ASSERT_EQ(e["groups"].size(), 2u);
  EXPECT_EQ(e["groups"][1]["name"], "redis-py/defaults");
  EXPECT_EQ(e["groups"][1]["library"], "redis-py");
  EXPECT_DOUBLE_EQ(e["groups"][1]["figures"]["unavailability.longest"].get<double>(), 10.45);
  EXPECT_EQ(e["groups"][1]["figures"]["lost"], 2633);
  EXPECT_DOUBLE_EQ(e["groups"][1]["figures"]["first_ok_after_switch"].get<double>(), 0.25);
  EXPECT_FALSE(MakeSuiteEntry(MasterKillRun(), "runs/002", "kill", nullptr).contains("groups"));
}

TEST(HtmlSuiteIndex, ClientLibrariesByFailureTableHasARowPerGroupAndAColumnPerClass) {
  json suite = MakeSuiteDocument("libs", "now", {MakeSuiteEntry(ClientsRun(1.82, 0), "runs/001", "process kill", nullptr),
                                                 MakeSuiteEntry(ClientsRun(10.45, 2633), "runs/002", "node down", nullptr)});
  std::string html = HtmlSuiteIndex().Render(suite);
  ASSERT_TRUE(Has(html, "<section id=\"clients\">")) << html;
  EXPECT_TRUE(Has(html, "Client libraries × failure"));
  EXPECT_EQ(Count(html, "<tr data-client-group="), 2u);
  EXPECT_TRUE(Has(html, "<tr data-client-group=\"redis-py/defaults\">"));
  const std::string table = html.substr(html.find("<section id=\"clients\">"));
  EXPECT_TRUE(Has(table, "<th data-failure-class=\"process kill\">"));
  EXPECT_TRUE(Has(table, "<th data-failure-class=\"node down\">"));
  EXPECT_TRUE(Has(table, "2,633 lost")) << table;
  EXPECT_TRUE(Has(table, "10.45 s") || Has(table, "10.4 s") || Has(table, "10 s")) << table;
  EXPECT_TRUE(Has(table, "href=\"runs/002/report.html\"")) << table;
  EXPECT_TRUE(Has(table, "new master +"));
  // A suite without client groups has no such table.
  EXPECT_FALSE(Has(HtmlSuiteIndex().Render(ExampleSuite()), "<section id=\"clients\">"));
}

TEST(HtmlSuiteIndex, EmptySuiteRendersAPage) {
  std::string html = HtmlSuiteIndex().Render(json{{"schema_version", 1}, {"runs", json::array()}});
  EXPECT_TRUE(Has(html, "This suite has no runs."));
  EXPECT_TRUE(Has(HtmlSuiteIndex().Render(json(nullptr)), "not an object"));
}

}  // namespace
}  // namespace sc::reports
