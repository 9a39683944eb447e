// Every library scenario holds at least one expectation that a broken
// harness fails: run against a deliberately broken set-up (the harness points
// every client at an address nobody holds: SC_TEST_BREAK=client-address),
// each scenario must end with a failed expectation, never a pass. Runs the
// whole library once (about as long as `suite scenarios/`), one test per scenario.
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
    if (e.path().extension() == ".chaos" && e.path().filename().string().rfind("soak-", 0) != 0)
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
  EXPECT_NE(r.exit_code, 0) << file << " passed with a broken harness:\n" << r.output;
  nlohmann::json res;
  for (auto& d : fs::recursive_directory_iterator(out))
    if (d.path().filename() == "results.json" && d.path().parent_path().filename() != "latest") std::ifstream(d.path()) >> res;
  fs::remove_all(out);
  ASSERT_TRUE(res.is_object()) << file << ": no results.json\n" << r.output;
  int failed = 0;
  std::string failing;
  for (auto& x : res["expectations"])
    if (!x.value("passed", true)) ++failed, failing += " [" + x.value("text", "") + "]";
  std::printf("%s: exit %d, failed expectations:%s\n", GetParam().c_str(), r.exit_code, failing.c_str());
  EXPECT_GE(failed, 1) << file << ": every expectation held with a broken harness: " << res["expectations"].dump();
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
