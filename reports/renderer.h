// Renderers: each turns one document (a run's results.json, see
// docs/results.md, or a suite's suite.json, see docs/reports.md) into the
// text of one file. A renderer reads nothing but the document it is given:
// no raw logs, no history, no redis.
//
// Every renderer tolerates missing, null or mistyped sections (an empty run,
// a run cut short, no failover): it renders what is there and says what is
// not. Every string taken from the document is escaped. Render never throws.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace sc::reports {

class Renderer {
 public:
  virtual ~Renderer() = default;
  // The file's text for `doc`.
  virtual std::string Render(const nlohmann::json& doc) const = 0;
  // The file name the output is written to inside the run or suite directory.
  virtual std::string FileName() const = 0;
};

// report.html of one run: verdict, expectations, key figures, timeline,
// failover anatomy, data loss, topology. One self-contained file (inline CSS,
// SVG and a small script; nothing fetched). Input: results.json.
// The timeline is binned to at most kMaxTimelineColumns columns, so the page
// size does not grow with the run's length.
class HtmlRunReport : public Renderer {
 public:
  std::string Render(const nlohmann::json& results) const override;
  std::string FileName() const override { return "report.html"; }
};

// junit.xml of one run: one <testcase> per expectation; a failed one carries
// <failure message="measured X, expected OP Y">. A run cut short adds a
// "run completed" testcase with an <error>. Input: results.json.
class JunitRun : public Renderer {
 public:
  std::string Render(const nlohmann::json& results) const override;
  std::string FileName() const override { return "junit.xml"; }
};

// index.html of a suite: the architecture x failure-class matrix, sweeps
// over matrix options (table and plot), every run, and, when a baseline
// suite is given, each figure beside its baseline with regressions flagged
// (thresholds: docs/reports.md, CompareToBaseline in suite.h).
// Input: suite.json.
class HtmlSuiteIndex : public Renderer {
 public:
  // `baseline`: an earlier suite.json, or null for none.
  explicit HtmlSuiteIndex(nlohmann::json baseline = nullptr) : baseline_(std::move(baseline)) {}
  std::string Render(const nlohmann::json& suite) const override;
  std::string FileName() const override { return "index.html"; }

 private:
  nlohmann::json baseline_;
};

// junit.xml of a suite: one <testsuite> per run, one <testcase> per
// expectation, plus a "no regression against baseline" testcase per run when
// a baseline is given. Input: suite.json.
class JunitSuite : public Renderer {
 public:
  explicit JunitSuite(nlohmann::json baseline = nullptr) : baseline_(std::move(baseline)) {}
  std::string Render(const nlohmann::json& suite) const override;
  std::string FileName() const override { return "junit.xml"; }

 private:
  nlohmann::json baseline_;
};

}  // namespace sc::reports
