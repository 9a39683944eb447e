// Opens real report.html and index.html files in headless Chromium: the DOM
// must hold the timeline and its lanes, the page script must run without a
// console error, and the screenshot must show something.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "common/run.h"
#include "reports/renderer.h"
#include "reports/trend.h"
#include "reports/test_fixtures.h"
#include "reports/write_reports.h"

namespace sc::reports {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace sc::reports::testing;

constexpr char kChromium[] = "/usr/bin/chromium";

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "sc-browser-XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  fs::path path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadText(const fs::path& p) {
  std::stringstream s;
  s << std::ifstream(p).rdbuf();
  return s.str();
}

struct Outcome {
  bool timed_out = false;
  int exit_code = -1;
  std::string out, err;
};

// Runs argv (through common/run.h) with stdout and stderr captured apart;
// kills it and its process group (Chromium's helpers) after `timeout`.
Outcome RunWithTimeout(const std::vector<std::string>& argv, const fs::path& dir, std::chrono::seconds timeout) {
  sc::Program p;
  p.argv = argv;
  p.env["HOME"] = dir.string();  // the environment is minimal otherwise
  p.stderr_apart = true;
  auto r = sc::Run(p, timeout);
  Outcome o;
  o.timed_out = r.timed_out;
  o.exit_code = r.exit_code;
  o.out = r.output;
  o.err = r.started ? r.errors : r.error;
  return o;
}

std::vector<std::string> ChromiumArgs(const fs::path& tmp, std::vector<std::string> extra) {
  std::vector<std::string> args = {kChromium, "--headless", "--no-sandbox", "--disable-gpu",
                                   "--enable-logging=stderr", "--v=0", "--no-first-run",
                                   "--user-data-dir=" + (tmp / "profile").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Our pages log nothing, so any console line (Chromium prints them as
// "INFO:CONSOLE" / "ERROR:CONSOLE") is a defect, "Uncaught ..." above all.
bool ConsoleError(const std::string& err) {
  return err.find("Uncaught") != std::string::npos || err.find(":CONSOLE") != std::string::npos;
}

bool IsPng(const fs::path& p) {
  std::string head = ReadText(p).substr(0, 8);
  return head == "\x89PNG\r\n\x1a\n";
}

// Keeps screenshots for a person to look at when SC_SCREENSHOT_DIR is set.
void MaybeKeep(const fs::path& png) {
  if (const char* keep = std::getenv("SC_SCREENSHOT_DIR")) {
    std::error_code ec;
    fs::copy_file(png, fs::path(keep) / png.filename(), fs::copy_options::overwrite_existing, ec);
  }
}

class Browser : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kChromium)) GTEST_SKIP() << kChromium << " is not installed";
    ASSERT_FALSE(tmp_.path().empty());
  }

  // Dumps the DOM of `page` after its scripts ran; fails on a console error.
  std::string DumpDom(const fs::path& page) {
    Outcome o = RunWithTimeout(ChromiumArgs(tmp_.path(), {"--dump-dom", "file://" + page.string()}), tmp_.path(),
                    std::chrono::seconds(90));
    EXPECT_FALSE(o.timed_out) << "chromium did not finish within 90 s";
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_FALSE(ConsoleError(o.err)) << o.err;
    return o.out;
  }

  void Screenshot(const fs::path& page, const fs::path& png) {
    Outcome o = RunWithTimeout(ChromiumArgs(tmp_.path(), {"--screenshot=" + png.string(), "--window-size=1400,2000",
                                               "--hide-scrollbars", "file://" + page.string()}),
                    tmp_.path(), std::chrono::seconds(90));
    EXPECT_FALSE(o.timed_out);
    EXPECT_FALSE(ConsoleError(o.err)) << o.err;
    ASSERT_TRUE(fs::exists(png)) << o.err;
    EXPECT_TRUE(IsPng(png));
    EXPECT_GT(fs::file_size(png), 50u * 1024) << "a blank page compresses to almost nothing";
    MaybeKeep(png);
  }

  TempDir tmp_;
};

TEST_F(Browser, RunReportShowsTheTimelineAndRunsItsScriptCleanly) {
  fs::path run = tmp_.path() / "run";
  fs::create_directories(run);
  std::ofstream(run / "results.json") << MasterKillRun().dump();
  std::string error;
  ASSERT_EQ(WriteRunReports(run.string(), &error), 0) << error;

  std::string dom = DumpDom(run / "report.html");
  EXPECT_NE(dom.find("<svg id=\"timeline\""), std::string::npos);
  EXPECT_NE(dom.find("data-ready=\"1\""), std::string::npos) << "the page script did not finish";
  for (const char* lane : {"throughput", "faults", "unavailability", "role-n1", "role-n2", "role-n3", "sentinel-n1",
                           "sentinel-n2", "sentinel-n3", "vip", "split-brain", "latency"})
    EXPECT_NE(dom.find(std::string("data-lane=\"") + lane + "\""), std::string::npos) << lane;
  Screenshot(run / "report.html", tmp_.path() / "report.png");
}

TEST_F(Browser, SuiteIndexShowsTheMatrix) {
  fs::path suite = tmp_.path() / "suite";
  fs::create_directories(suite);
  std::ofstream(suite / "suite.json") << ExampleSuite(1.5, 1).dump();
  std::ofstream(suite / "baseline.json") << ExampleSuite().dump();
  std::string error;
  ASSERT_EQ(WriteSuiteReports(suite.string(), (suite / "baseline.json").string(), &error), 0) << error;

  std::string dom = DumpDom(suite / "index.html");
  EXPECT_NE(dom.find("<th data-architecture=\"sentinel3\">"), std::string::npos);
  EXPECT_NE(dom.find("data-option=\"down-after\""), std::string::npos);
  Screenshot(suite / "index.html", tmp_.path() / "index.png");
}

TEST_F(Browser, TrendPageDrawsASparklinePerRunAndFigure) {
  std::vector<TrendNight> nights;
  for (int i = 0; i < 5; ++i) {
    json suite = ExampleSuite(i == 4 ? 6.0 : 1.0, 0);
    nights.push_back({"night-" + std::to_string(i), "/nights/" + std::to_string(i), suite, ""});
  }
  std::string error;
  ASSERT_EQ(WriteTrend((tmp_.path() / "trend").string(), MakeTrend(nights, DefaultTrendSettings()), &error), 0) << error;
  std::string dom = DumpDom(tmp_.path() / "trend" / "trend.html");
  const size_t runs = ExampleSuite()["runs"].size();
  size_t sparks = 0;
  for (size_t p = dom.find("<svg class=\"spark\""); p != std::string::npos; p = dom.find("<svg class=\"spark\"", p + 1))
    ++sparks;
  EXPECT_EQ(sparks, runs * TrendFigureNames().size());
  EXPECT_NE(dom.find("pt regressed"), std::string::npos);
  Screenshot(tmp_.path() / "trend" / "trend.html", tmp_.path() / "trend.png");
}

}  // namespace
}  // namespace sc::reports
