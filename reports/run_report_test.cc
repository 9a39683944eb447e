#include <gtest/gtest.h>

#include <string>

#include "reports/html_util.h"
#include "reports/renderer.h"
#include "reports/test_fixtures.h"
#include "reports/timeline_svg.h"

namespace sc::reports {
namespace {

using nlohmann::json;
using namespace sc::reports::testing;

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + needle.size())) ++n;
  return n;
}

bool Has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

std::string Lane(const std::string& id) { return "class=\"lane\" data-lane=\"" + id + "\""; }

TEST(HtmlRunReport, EveryStringFromTheResultsIsRenderedAsText) {
  json r = MasterKillRun();
  const std::string evil = "<script>alert(1)</script>";
  r["scenario"]["name"] = evil;
  r["scenario"]["description"] = evil;
  r["faults"][0]["target"] = evil;
  r["faults"][0]["detail"] = evil;
  r["timeline"]["sentinel_events"][0]["detail"] = evil;
  r["timeline"]["roles"][0]["node"] = evil;
  r["data_loss"]["lost_elements"][0]["value"] = evil;
  r["topology"]["options"]["requirepass"] = evil;
  r["run"]["rerun"] = evil;
  r["expectations"][0]["text"] = evil;
  std::string html = HtmlRunReport().Render(r);
  EXPECT_FALSE(Has(html, "<script>alert")) << "an unescaped string reached the page";
  EXPECT_GE(Count(html, "&lt;script&gt;alert(1)&lt;/script&gt;"), 8u);
  EXPECT_EQ(Count(html, "<script>"), 1u) << "only our own hover script";
}

TEST(HtmlRunReport, ShowsVerdictExpectationsAndKeyFigures) {
  std::string html = HtmlRunReport().Render(MasterKillRun());
  EXPECT_TRUE(Has(html, "id=\"verdict\">fail<"));
  EXPECT_TRUE(Has(html, "expect unavailability.longest &lt; 4s"));
  EXPECT_TRUE(Has(html, ">2.4 s<")) << "measured value of the first expectation";
  EXPECT_TRUE(Has(html, ">== 0<")) << "expected value of the second expectation";
  EXPECT_TRUE(Has(html, "data-figure=\"unavailability.longest\""));
  EXPECT_TRUE(Has(html, ">2.40 s<"));
  EXPECT_TRUE(Has(html, "unexpected 0 · recovered 30"));
  EXPECT_TRUE(Has(html, "data-figure=\"latency.p99\""));
  EXPECT_TRUE(Has(html, "data-figure=\"split_brain\""));
  EXPECT_TRUE(Has(html, "sentinel-chaos run scenarios/sentinel3/master-kill.chaos --seed 42"));
  EXPECT_TRUE(Has(html, "redis 7.0.15"));
}

TEST(HtmlRunReport, TimelineHasALanePerServerSentinelAndTheVip) {
  std::string html = HtmlRunReport().Render(MasterKillRun());
  EXPECT_EQ(Count(html, "<svg id=\"timeline\""), 1u);
  for (const char* lane : {"throughput", "faults", "unavailability", "role-n1", "role-n2", "role-n3", "sentinel-n1",
                           "sentinel-n2", "sentinel-n3", "vip", "split-brain", "latency"})
    EXPECT_TRUE(Has(html, Lane(lane))) << lane;
  EXPECT_TRUE(Has(html, "class=\"fault-shade\""));
  EXPECT_TRUE(Has(html, "m1 kill n1"));
  EXPECT_TRUE(Has(html, "class=\"ev ev-switch\""));
  EXPECT_TRUE(Has(html, "sentinel n2 +switch-master mymaster n1 n2"));
  EXPECT_TRUE(Has(html, "seg role-down"));
}

TEST(HtmlRunReport, MixedWorkloadGetsAReadUnavailabilityLane) {
  json r = MasterKillRun();
  EXPECT_FALSE(Has(HtmlRunReport().Render(r), Lane("read-unavailability"))) << "reads is null";
  r["availability"]["reads"] = r["availability"]["writes"];
  EXPECT_TRUE(Has(HtmlRunReport().Render(r), Lane("read-unavailability")));
}

TEST(HtmlRunReport, FailoverAnatomySplitsTheTimeAtEachInstant) {
  std::string html = HtmlRunReport().Render(MasterKillRun());
  // fault 5.000, odown 6.050, leader 6.900, became master 6.960, +promoted-slave
  // 7.100, switch 7.150, vip 7.200, first ok 7.401: promotion and Sentinel's
  // notice of it are separate steps.
  for (const char* part : {">1050 ms<", ">850 ms<", ">60 ms<", ">140 ms<", ">50 ms<", ">201 ms<"})
    EXPECT_TRUE(Has(html, part)) << part;
  EXPECT_TRUE(Has(html, "Sentinel notices"));
  EXPECT_EQ(Count(html, "<div class=\"failover\">"), 1u);
  EXPECT_TRUE(Has(html, "new master n2: 2.40 s"));
}

TEST(HtmlRunReport, SeveralFailoversEachGetABar) {
  std::string html = HtmlRunReport().Render(TwoFailoversRun());
  EXPECT_EQ(Count(html, "<div class=\"failover\">"), 2u);
  EXPECT_TRUE(Has(html, "new master n3"));
  EXPECT_TRUE(Has(html, "not observed")) << "the second failover's VIP move is missing";
  EXPECT_EQ(Count(html, "class=\"failover-line\""), 2u);
}

TEST(HtmlRunReport, RunWithoutFailoverOrSentinelSaysSo) {
  std::string html = HtmlRunReport().Render(NoFailoverRun());
  EXPECT_TRUE(Has(html, "No failover happened in this run."));
  EXPECT_TRUE(Has(html, Lane("role-n1")));
  EXPECT_FALSE(Has(html, "data-lane=\"sentinel-"));
  EXPECT_FALSE(Has(html, Lane("vip"))) << "single has no VIP";
  EXPECT_TRUE(Has(html, "id=\"verdict\">pass<"));
}

TEST(HtmlRunReport, EmptyAndNullDocumentsRenderAPage) {
  for (const json& doc : {EmptyRun(), NullSectionsRun()}) {
    std::string html = HtmlRunReport().Render(doc);
    EXPECT_TRUE(Has(html, "<svg id=\"timeline\""));
    EXPECT_TRUE(Has(html, "no throughput recorded"));
    EXPECT_TRUE(Has(html, "No failover happened"));
    EXPECT_TRUE(Has(html, "No data-loss check in this run."));
    EXPECT_TRUE(Has(html, "The scenario states no expectations."));
    EXPECT_TRUE(Has(html, "</html>"));
  }
  for (const json& doc : {json(nullptr), json::array(), json("text")})
    EXPECT_TRUE(Has(HtmlRunReport().Render(doc), "nothing to report"));
}

TEST(HtmlRunReport, MistypedValuesDoNotThrow) {
  json r = MasterKillRun();
  r["faults"][0]["start_ns"] = "soon";
  r["throughput"]["buckets"][3] = "garbage";
  r["timeline"]["roles"] = {{"not", "an array"}};
  r["failovers"][0] = 7;
  r["expectations"][0]["measured"] = {1, 2};
  EXPECT_NO_THROW(HtmlRunReport().Render(r));
  EXPECT_TRUE(Has(HtmlRunReport().Render(r), "</html>"));
}

// A fault the runner could not apply was never in force: it is named with
// its reason, and gets no bar or shade (a bar from 0 to the end would say
// the opposite).
TEST(HtmlRunReport, AFaultNotAppliedIsNamedWithoutABar) {
  json r = MasterKillRun();
  const size_t shades = Count(HtmlRunReport().Render(r), "class=\"fault-shade\"");
  r["faults"].push_back({{"id", "m9"}, {"kind", "kill"}, {"target", ""}, {"applied", false},
                         {"detail", "not applied: there is no single master to target now"}, {"start_ns", nullptr},
                         {"stop_ns", nullptr}, {"ttr_ns", nullptr}});
  const std::string html = HtmlRunReport().Render(r);
  EXPECT_EQ(Count(html, "class=\"fault-shade\""), shades);
  EXPECT_EQ(Count(html, "data-fault=\"m9\""), 0u);
  EXPECT_TRUE(Has(html, "m9 kill: not applied: there is no single master to target now"));
  EXPECT_TRUE(Has(html, ">not applied<"));
}

TEST(HtmlRunReport, RunCutShortIsFlaggedAndOpenIntervalsReachTheEnd) {
  std::string html = HtmlRunReport().Render(CutShortRun());
  EXPECT_TRUE(Has(html, "id=\"cut-short\""));
  EXPECT_TRUE(Has(html, "did not settle before the final read: run interrupted"));
  EXPECT_TRUE(Has(html, "not stopped"));
  EXPECT_TRUE(Has(html, "never stopped"));
  EXPECT_TRUE(Has(html, ">open<")) << "the window still open when the run stopped";
  EXPECT_TRUE(Has(html, "data-end-ns=\"6500000000\"")) << "the axis ends where the run stopped";
  EXPECT_TRUE(Has(html, ">not measured<"));
  EXPECT_TRUE(Has(html, "seg role-down"));
  EXPECT_EQ(Count(html, "<div class=\"failover\">"), 1u);
}

TEST(HtmlRunReport, ShowsTheFirstHundredLostElementsAndCountsTheRest) {
  json r = BigRun(120, 2, 150);
  std::string html = HtmlRunReport().Render(r);
  size_t start = html.find("id=\"lost-elements\"");
  ASSERT_NE(start, std::string::npos);
  std::string table = html.substr(start, html.find("</table>", start) - start);
  EXPECT_EQ(Count(table, "<tr>"), 101u) << "header and 100 rows";
  EXPECT_TRUE(Has(html, "and 50 more lost elements."));
}

TEST(HtmlRunReport, LostCountBeyondTheListedElementsIsCounted) {
  json r = MasterKillRun();
  r["data_loss"]["lost"] = 5000;
  r["data_loss"]["lost_elements_truncated"] = true;
  EXPECT_TRUE(Has(HtmlRunReport().Render(r), "and 4988 more lost elements."));
}

TEST(HtmlRunReport, LongRunIsBinnedToAFewThousandShapes) {
  json r = BigRun(1800, 8, 400);
  std::string html = HtmlRunReport().Render(r);
  EXPECT_LT(html.size(), 3u * 1024 * 1024);
  // Throughput is drawn as three paths whatever the number of buckets.
  EXPECT_EQ(Count(html, "class=\"tp-ok\" d="), 1u);
  size_t ok = html.find("class=\"tp-ok\" d=\"");
  std::string path = html.substr(ok, html.find("\"/>", ok) - ok);
  EXPECT_LE(Count(path, "M"), static_cast<size_t>(kMaxTimelineColumns));
  EXPECT_LT(Count(html, "class=\"window\""), 200u) << "flapping windows are merged per pixel";
}

TEST(HtmlRunReport, HasNoExternalResources) {
  std::string html = HtmlRunReport().Render(MasterKillRun());
  EXPECT_FALSE(Has(html, "src=\""));
  EXPECT_FALSE(Has(html, "<link"));
  EXPECT_FALSE(Has(html, "@import"));
  EXPECT_EQ(Count(html, "http"), Count(html, "http://www.w3.org/2000/svg")) << "only the SVG namespace";
}

}  // namespace
}  // namespace sc::reports

namespace sc::reports {
namespace {

TEST(HtmlRunReport, SettingsShowDurationsAsAPersonWritesThem) {
  json r = testing::MasterKillRun();
  r["topology"]["options"]["down-after"] = "1000ms";
  r["topology"]["options"]["failover-timeout"] = "5000ms";
  std::string html = HtmlRunReport().Render(r);
  EXPECT_NE(html.find("<th>duration</th><td>30s</td>"), std::string::npos);
  EXPECT_NE(html.find("<th>bucket</th><td>100ms</td>"), std::string::npos);
  EXPECT_NE(html.find("<th>gap threshold</th><td>50ms</td>"), std::string::npos);
  EXPECT_NE(html.find("<th>down-after</th><td>1s</td>"), std::string::npos);
  EXPECT_NE(html.find("<th>failover-timeout</th><td>5s</td>"), std::string::npos);
  EXPECT_EQ(html.find("30000000000"), std::string::npos);
  EXPECT_EQ(html.find("_ns"), std::string::npos);
}

TEST(FormatSettingNs, WholeUnitsWhenExact) {
  EXPECT_EQ(FormatSettingNs(20'000'000'000), "20s");
  EXPECT_EQ(FormatSettingNs(100'000'000), "100ms");
  EXPECT_EQ(FormatSettingNs(1'500'000'000), "1.5s");
  EXPECT_EQ(FormatSettingNs(1'800'000'000'000), "30m");
  EXPECT_EQ(FormatSettingNs(7'200'000'000'000), "2h");
  EXPECT_EQ(FormatSettingNs(250'000), "250us");
  EXPECT_EQ(FormatSettingNs(0), "0s");
  EXPECT_EQ(FormatSettingNs(1'234'567), "1.235ms");
}

}  // namespace
}  // namespace sc::reports
