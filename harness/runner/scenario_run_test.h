// Test support for integration tests that run the whole program on short
// scenarios through its command line: a temp directory per test, the
// scenario files written there, the run's results read back, and a check that
// the host's network and rules are as they were before the test.
#pragma once

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "topology/process.h"
#include "topology/test_support.h"

namespace sc::runner::testing {

class ScenarioRunTest : public ::testing::Test {
 protected:
  // `prefix` names the temp directory: /tmp/PREFIX-PID-TESTNAME.
  explicit ScenarioRunTest(std::string prefix) : prefix_(std::move(prefix)) {}

  void SetUp() override {
    before_ = topology::testing::HostSnapshot();
    dir_ = std::filesystem::temp_directory_path() /
           (prefix_ + "-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    EXPECT_EQ(topology::testing::HostSnapshot(), before_) << "the host's network or rules changed";
  }
  // Writes `text` to DIR/name and returns its path.
  std::string Write(const std::string& name, const std::string& text) {
    std::string p = dir_ + "/" + name;
    std::ofstream(p) << text;
    return p;
  }
  // Runs sentinel-chaos with `args` (a whole run: up to 10 minutes).
  topology::CommandResult Sc(std::vector<std::string> args) {
    args.insert(args.begin(), bin_);
    return topology::RunCommand(args, "", 600000);
  }
  // results.json of the latest run of a scenario written under DIR/out.
  nlohmann::json Results(const std::string& scenario_slug) {
    std::ifstream in(dir_ + "/out/" + scenario_slug + "/latest/results.json");
    nlohmann::json j;
    in >> j;
    return j;
  }

  const std::string bin_ = std::string(SC_BINARY_DIR) + "/sentinel-chaos";
  const std::string prefix_;
  std::string dir_, before_;
};

}  // namespace sc::runner::testing
