// Every scenario of the library parses without error against the figures of
// docs/results.md, and says what it shows.
#include <filesystem>

#include <gtest/gtest.h>

#include "common/source_dir.h"
#include "harness/scenario/parser.h"
#include "harness/scenario/test_figures.h"

namespace sc::scenario {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> LibraryFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(sc::SourceDir()) / "scenarios"))
    if (entry.is_regular_file() && entry.path().extension() == ".chaos") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ScenarioLibrary, EveryFileParsesWithADescriptionAndExpectations) {
  const auto ctx = testing::ResultsDocContext();
  const auto files = LibraryFiles();
  EXPECT_GE(files.size(), 20u);
  for (const auto& file : files) {
    ParseResult r = ParseScenarioFile(file.string(), ctx);
    EXPECT_TRUE(r.ok()) << r.ErrorText();
    if (!r.ok()) continue;
    EXPECT_FALSE(r.plan->description.empty()) << file;
    EXPECT_FALSE(r.plan->expectations.empty()) << file;
    if (file.filename().string().rfind("soak-", 0) == 0) {
      // Long runs, only in the nightly (`sentinel-chaos nightly --soak`), never in the regular suite.
      EXPECT_GE(r.plan->load.duration_ns, 600'000'000'000) << file;
      continue;
    }
    EXPECT_GE(r.plan->load.duration_ns, 15'000'000'000) << file;
    EXPECT_LE(r.plan->load.duration_ns, 25'000'000'000) << file;
  }
}

TEST(ScenarioLibrary, FilesLiveUnderTheirArchitecture) {
  const auto ctx = testing::ResultsDocContext();
  for (const auto& file : LibraryFiles()) {
    ParseResult r = ParseScenarioFile(file.string(), ctx);
    if (!r.ok()) continue;
    EXPECT_EQ(file.parent_path().filename().string(), topology::ToString(r.plan->topology.kind)) << file;
  }
}

TEST(ScenarioLibrary, TheDefaultDemoExists) {
  ParseResult r = ParseScenarioFile(std::string(sc::SourceDir()) + "/scenarios/sentinel3/master-kill.chaos",
                                    testing::ResultsDocContext());
  ASSERT_TRUE(r.ok()) << r.ErrorText();
}

}  // namespace
}  // namespace sc::scenario
