// The trend's logic on hand-made suites: rolling median, tolerances, and the
// nights that must not be compared silently.
#include "reports/trend.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace sc::reports {
namespace {

using nlohmann::json;

json Entry(const std::string& cls, double longest, double lost, const std::string& verdict = "pass",
           const std::string& sha = "aaa") {
  return {{"run_dir", "runs/" + cls}, {"scenario", cls}, {"scenario_file", "scenarios/sentinel3/" + cls + ".chaos"},
          {"scenario_sha256", sha}, {"architecture", "sentinel3"}, {"failure_class", cls},
          {"matrix", json::object()}, {"verdict", verdict}, {"cut_short", verdict == "error"},
          {"figures", {{"unavailability.longest", longest}, {"unavailability.total", longest}, {"lost", lost},
                       {"failover.time", 1.5}}}};
}

TrendNight Night(const std::string& label, std::vector<json> entries) {
  return {label, "/nights/" + label, {{"schema_version", 1}, {"created", label}, {"runs", entries}}, ""};
}

const json& Cell(const json& trend, const std::string& cls, size_t night) {
  for (const json& row : trend["scenarios"])
    if (row["failure_class"] == cls) return row["nights"][night];
  throw std::runtime_error("no row " + cls);
}

std::vector<std::string> RegressedFigures(const json& cell) {
  std::vector<std::string> v;
  for (auto& r : cell["regressed"]) v.push_back(r["figure"]);
  return v;
}

TEST(Trend, AWorseNightIsFlaggedAgainstTheRollingMedianAndNoiseIsNot) {
  std::vector<TrendNight> nights = {Night("n1", {Entry("kill", 2.3, 0)}), Night("n2", {Entry("kill", 2.5, 0)}),
                                    Night("n3", {Entry("kill", 2.2, 0)}), Night("n4", {Entry("kill", 6.4, 0)}),
                                    Night("n5", {Entry("kill", 2.6, 3)})};
  json t = MakeTrend(nights, DefaultTrendSettings());
  EXPECT_FALSE(Cell(t, "kill", 0)["judged"]);  // no history yet
  EXPECT_FALSE(Cell(t, "kill", 1)["judged"]);  // one night is not enough (min_history 2)
  EXPECT_TRUE(Cell(t, "kill", 2)["regressed"].empty());
  EXPECT_EQ(RegressedFigures(Cell(t, "kill", 3)),
            (std::vector<std::string>{"unavailability.longest", "unavailability.total"}));
  EXPECT_DOUBLE_EQ(Cell(t, "kill", 3)["median"]["unavailability.longest"].get<double>(), 2.3);
  // Night 5: median of 2.3, 2.5, 2.2, 6.4 is 2.4; 2.6 is noise; 3 lost writes are under +10.
  EXPECT_TRUE(Cell(t, "kill", 4)["regressed"].empty()) << Cell(t, "kill", 4).dump();
  EXPECT_EQ(NewestNightRegressions(t), 0);
  EXPECT_EQ(t["regressions"].size(), 2u);
  EXPECT_EQ(t["regressions"][0]["night"], "n4");
}

TEST(Trend, WindowAndTolerancesAreConfigurable) {
  std::vector<TrendNight> nights = {Night("n1", {Entry("kill", 1.0, 0)}), Night("n2", {Entry("kill", 1.0, 0)}),
                                    Night("n3", {Entry("kill", 1.0, 0)}), Night("n4", {Entry("kill", 1.4, 5)})};
  EXPECT_EQ(NewestNightRegressions(MakeTrend(nights, DefaultTrendSettings())), 0);
  TrendSettings s = DefaultTrendSettings();
  std::string error;
  ASSERT_TRUE(ParseTrendTolerance("unavailability.longest=20%,100ms", &s, &error)) << error;
  ASSERT_TRUE(ParseTrendTolerance("lost=0,2", &s, &error)) << error;
  json t = MakeTrend(nights, s);
  EXPECT_EQ(RegressedFigures(Cell(t, "kill", 3)), (std::vector<std::string>{"unavailability.longest", "lost"}));
  EXPECT_EQ(NewestNightRegressions(t), 2);
  s.min_history = 4;
  EXPECT_EQ(NewestNightRegressions(MakeTrend(nights, s)), 0);
  EXPECT_FALSE(ParseTrendTolerance("latency=1,2", &s, &error));
  EXPECT_NE(error.find("unknown figure"), std::string::npos);
  EXPECT_FALSE(ParseTrendTolerance("lost=50%", &s, &error));
  EXPECT_FALSE(ParseTrendTolerance("lost=50%,2s", &s, &error));  // a count is not a duration
}

TEST(Trend, TheMedianIsOverTheLastNNightsOnly) {
  std::vector<TrendNight> nights;
  for (int i = 0; i < 5; ++i) nights.push_back(Night("a" + std::to_string(i), {Entry("kill", 10.0, 0)}));
  for (int i = 0; i < 3; ++i) nights.push_back(Night("b" + std::to_string(i), {Entry("kill", 2.0, 0)}));
  nights.push_back(Night("c", {Entry("kill", 4.0, 0)}));
  TrendSettings s = DefaultTrendSettings();
  s.window = 3;  // the median of the three 2.0 nights: 4.0 regressed
  EXPECT_EQ(RegressedFigures(Cell(MakeTrend(nights, s), "kill", 8))[0], "unavailability.longest");
  s.window = 8;  // median of 10,10,10,10,10,2,2,2 = 10: not regressed
  EXPECT_TRUE(Cell(MakeTrend(nights, s), "kill", 8)["regressed"].empty());
}

TEST(Trend, FailedMissingAndChangedNightsAreShownNeverCompared) {
  std::vector<TrendNight> nights = {
      Night("n1", {Entry("kill", 2.0, 0), Entry("part", 0, 0)}),
      Night("n2", {Entry("kill", 2.0, 0), Entry("part", 0, 0)}),
      Night("n3", {Entry("kill", 9.0, 0, "error"), Entry("part", 0, 0)}),  // failed run: not compared
      {"n4", "/nights/n4", nullptr, "no suite.json: the night's suite did not finish or did not run"},
      Night("n5", {Entry("kill", 2.1, 0), Entry("new", 1.0, 0)}),           // part gone, new appears
      Night("n6", {Entry("kill", 8.0, 0, "pass", "bbb"), Entry("new", 1.0, 0), Entry("part", 0, 0)}),
  };
  json t = MakeTrend(nights, DefaultTrendSettings());
  EXPECT_EQ(Cell(t, "kill", 2)["state"], "failed");
  EXPECT_TRUE(Cell(t, "kill", 2)["regressed"].empty());
  EXPECT_EQ(Cell(t, "kill", 3)["state"], "night-missing");
  EXPECT_EQ(Cell(t, "kill", 4)["state"], "ok");
  EXPECT_TRUE(Cell(t, "kill", 4)["regressed"].empty());
  EXPECT_DOUBLE_EQ(Cell(t, "kill", 4)["median"]["unavailability.longest"].get<double>(), 2.0);  // 9.0 left out
  // The scenario file changed: shown, history starts again, 8 s not flagged.
  EXPECT_TRUE(Cell(t, "kill", 5)["changed"].get<bool>());
  EXPECT_FALSE(Cell(t, "kill", 5)["judged"]);
  EXPECT_TRUE(Cell(t, "kill", 5)["regressed"].empty());
  EXPECT_EQ(Cell(t, "part", 4)["state"], "absent");
  EXPECT_TRUE(Cell(t, "part", 5)["reappeared"].get<bool>());
  EXPECT_EQ(Cell(t, "new", 0)["state"], "absent");
  EXPECT_TRUE(Cell(t, "new", 4)["appeared"].get<bool>());
  EXPECT_EQ(t["regressions"].size(), 0u);

  std::string html = RenderTrendHtml(t);
  EXPECT_NE(html.find("class=\"changed\""), std::string::npos);
  EXPECT_NE(html.find("s-night-missing"), std::string::npos);
  EXPECT_NE(html.find("first seen this night"), std::string::npos);
  EXPECT_NE(html.find("scenario file changed"), std::string::npos);
  EXPECT_NE(html.find("run cut short: not compared"), std::string::npos);
  EXPECT_EQ(html.find("<script src"), std::string::npos);  // self-contained
}

TEST(Trend, AVerdictThatTurnsToFailIsARegression) {
  std::vector<TrendNight> nights = {Night("n1", {Entry("kill", 2.0, 0)}), Night("n2", {Entry("kill", 2.0, 0)}),
                                    Night("n3", {Entry("kill", 2.0, 0, "fail")})};
  json t = MakeTrend(nights, DefaultTrendSettings());
  EXPECT_EQ(RegressedFigures(Cell(t, "kill", 2)), std::vector<std::string>{"verdict"});
  EXPECT_EQ(NewestNightRegressions(t), 1);
  std::string html = RenderTrendHtml(t);
  EXPECT_NE(html.find("class=\"regression\""), std::string::npos);
  EXPECT_NE(html.find("v-fail regressed"), std::string::npos);
}

TEST(Trend, NamesAreEscaped) {
  json e = Entry("<script>alert(1)</script>", 1, 0);
  json t = MakeTrend({Night("<b>n1</b>", {e})}, DefaultTrendSettings());
  std::string html = RenderTrendHtml(t);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<b>n1</b>"), std::string::npos);
}

TEST(Trend, LoadsADirectoryOfNightsInOrder) {
  namespace fs = std::filesystem;
  const std::string dir = fs::temp_directory_path() / ("sc-trend-test-" + std::to_string(getpid()));
  fs::create_directories(dir + "/2026-11-02/suite-20261102-010000");
  fs::create_directories(dir + "/2026-11-01");
  fs::create_directories(dir + "/2026-11-03");  // a night that left nothing
  std::ofstream(dir + "/2026-11-01/suite.json") << R"({"schema_version":1,"runs":[]})";
  std::ofstream(dir + "/2026-11-02/suite-20261102-010000/suite.json") << R"({"schema_version":1,"runs":[]})";
  std::vector<TrendNight> nights;
  std::string error;
  ASSERT_TRUE(LoadTrendNights({dir}, &nights, &error)) << error;
  ASSERT_EQ(nights.size(), 3u);
  EXPECT_EQ(nights[0].label, "2026-11-01");
  EXPECT_TRUE(nights[1].problem.empty());
  EXPECT_NE(nights[1].path.find("suite-20261102"), std::string::npos);
  EXPECT_FALSE(nights[2].problem.empty());
  EXPECT_FALSE(LoadTrendNights({dir + "/nope"}, &nights, &error));
  std::string werr;
  EXPECT_EQ(WriteTrend(dir + "/out", MakeTrend(nights, DefaultTrendSettings()), &werr), 0) << werr;
  EXPECT_TRUE(fs::exists(dir + "/out/trend.html"));
  EXPECT_TRUE(fs::exists(dir + "/out/trend.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sc::reports
