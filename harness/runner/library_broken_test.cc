// Every library scenario holds at least one expectation that a broken
// harness fails: run against a deliberately broken set-up (the harness points
// every client at an address nobody holds: SC_TEST_BREAK=client-address),
// each scenario must end with a measured expectation failed, never a pass.
// With nothing acknowledged when its first fault is due, a run ends at it
// ("nothing to measure", exit 3), so each takes its time to the first fault,
// not the whole scenario: one test per scenario, the whole library
// (soak included) in about 6 minutes at -j1.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "common/source_dir.h"
#include "topology/process.h"
#include "topology/test_support.h"

namespace sc::runner {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> LibraryScenarios() {
  std::vector<std::string> files;
  for (auto& e : fs::recursive_directory_iterator(fs::path(sc::SourceDir()) / "scenarios"))
    if (e.path().extension() == ".chaos")
      files.push_back(e.path().parent_path().filename().string() + "/" + e.path().filename().string());
  std::sort(files.begin(), files.end());
  return files;
}

class LibraryBroken : public ::testing::TestWithParam<std::string> {};

TEST_P(LibraryBroken, FailsAnExpectationWhenTheHarnessIsBroken) {
  const std::string before = topology::testing::HostSnapshot();
  const std::string file = std::string(sc::SourceDir()) + "/scenarios/" + GetParam();
  const std::string out = fs::temp_directory_path() / ("sc-library-broken-" + std::to_string(getpid()));
  auto r = topology::RunCommand({"/usr/bin/env", "SC_TEST_BREAK=client-address",
                                 std::string(SC_BINARY_DIR) + "/sentinel-chaos", "run", file, "--out", out, "--quiet",
                                 "--seed", "7"},
                                "", 600000);
  EXPECT_EQ(r.exit_code, 3) << file << " with a broken harness:\n" << r.output;
  EXPECT_NE(r.output.find("nothing to measure"), std::string::npos) << r.output;
  nlohmann::json res;
  for (auto& d : fs::recursive_directory_iterator(out))
    if (d.path().filename() == "results.json" && d.path().parent_path().filename() != "latest") std::ifstream(d.path()) >> res;
  fs::remove_all(out);
  ASSERT_TRUE(res.is_object()) << file << ": no results.json\n" << r.output;
  // A failed expectation that was measured: "not measured" alone would say
  // nothing about what the scenario checks.
  int failed = 0;
  std::string failing;
  for (auto& x : res["expectations"])
    if (!x.value("passed", true) && x.contains("measured") && x["measured"].is_number())
      ++failed, failing += " [" + x.value("text", "") + ": measured " + x["measured"].dump() + "]";
  std::printf("%s: exit %d after %.1f s, failed expectations:%s\n", GetParam().c_str(), r.exit_code,
              res["run"].value("duration_ns", 0.0) / 1e9, failing.c_str());
  EXPECT_GE(failed, 1) << file << ": no measured expectation failed with a broken harness: " << res["expectations"].dump();
  EXPECT_EQ(topology::testing::HostSnapshot(), before) << "the host's network or rules changed";
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string s;
  for (char c : info.param) s += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(Library, LibraryBroken, ::testing::ValuesIn(LibraryScenarios()), TestName);

}  // namespace
}  // namespace sc::runner
