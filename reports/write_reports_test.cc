#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "reports/test_fixtures.h"
#include "reports/write_reports.h"

namespace sc::reports {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace sc::reports::testing;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "sc-reports-XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void WriteJson(const fs::path& p, const json& j) { std::ofstream(p) << j.dump(); }

std::string ReadText(const fs::path& p) {
  std::stringstream s;
  s << std::ifstream(p).rdbuf();
  return s.str();
}

TEST(WriteRunReports, WritesReportAndJunitBesideResults) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  WriteJson(fs::path(dir.path()) / "results.json", MasterKillRun());
  std::string error;
  ASSERT_EQ(WriteRunReports(dir.path(), &error), 0) << error;
  EXPECT_NE(ReadText(fs::path(dir.path()) / "report.html").find("<svg id=\"timeline\""), std::string::npos);
  EXPECT_NE(ReadText(fs::path(dir.path()) / "junit.xml").find("<testsuites"), std::string::npos);
  EXPECT_FALSE(fs::exists(fs::path(dir.path()) / "report.html.tmp"));
}

TEST(WriteRunReports, MissingOrBrokenResultsIsAnErrorThatSaysWhatToDo) {
  TempDir dir;
  std::string error;
  EXPECT_EQ(WriteRunReports(dir.path(), &error), 1);
  EXPECT_NE(error.find("results.json"), std::string::npos);
  EXPECT_NE(error.find("run the scenario first"), std::string::npos);
  std::ofstream(fs::path(dir.path()) / "results.json") << "{\"schema_version\": 1,\n  \"run\": }";
  EXPECT_EQ(WriteRunReports(dir.path(), &error), 1);
  EXPECT_NE(error.find("not valid JSON"), std::string::npos) << error;
}

TEST(WriteSuiteReports, UsesTheBaselineNamedInTheSuite) {
  TempDir dir;
  fs::path d(dir.path());
  json suite = ExampleSuite(1.5, 1);
  suite["baseline"] = "old/suite.json";
  fs::create_directories(d / "old");
  WriteJson(d / "old" / "suite.json", ExampleSuite());
  WriteJson(d / "suite.json", suite);
  std::string error;
  ASSERT_EQ(WriteSuiteReports(dir.path(), "", &error), 0) << error;
  std::string html = ReadText(d / "index.html");
  EXPECT_NE(html.find("▲ regression"), std::string::npos);
  EXPECT_NE(ReadText(d / "junit.xml").find("no regression against baseline"), std::string::npos);
}

TEST(WriteSuiteReports, AnExplicitBaselineThatCannotBeReadIsAnError) {
  TempDir dir;
  WriteJson(fs::path(dir.path()) / "suite.json", ExampleSuite());
  std::string error;
  EXPECT_EQ(WriteSuiteReports(dir.path(), dir.path() + "/nope.json", &error), 1);
  EXPECT_NE(error.find("baseline: cannot read"), std::string::npos) << error;
  EXPECT_EQ(WriteSuiteReports(dir.path(), "", &error), 0) << error;
}

}  // namespace
}  // namespace sc::reports
