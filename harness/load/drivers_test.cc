// Unit: the driver registry (drivers.h) and the driver protocol's harness side
// (driver_load.h), with fake drivers written by the test.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "harness/load/driver_load.h"
#include "harness/load/drivers.h"

namespace sc::load {
namespace {

namespace fs = std::filesystem;

class DriversTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sc-drivers-test-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    setenv("SC_DRIVERS_DIR", dir_.c_str(), 1);
  }
  void TearDown() override {
    unsetenv("SC_DRIVERS_DIR");
    fs::remove_all(dir_);
  }
  void Driver(const std::string& name, const std::string& manifest, const std::string& program = "") {
    fs::create_directories(dir_ + "/" + name);
    std::ofstream(dir_ + "/" + name + "/driver.json") << manifest;
    if (!program.empty()) std::ofstream(dir_ + "/" + name + "/driver.py") << program;
  }
  std::string dir_;
};

TEST_F(DriversTest, AFolderWithAManifestIsAClientName) {
  Driver("mylib", R"({"library":"mylib","command":["/usr/bin/python3","{dir}/driver.py"]})");
  auto names = ClientNames();
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "hiredis");
  EXPECT_EQ(names[1], "mylib");
  auto d = FindDriver("mylib");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->command[1], dir_ + "/mylib/driver.py");
}

TEST_F(DriversTest, AMissingLibraryNamesWhatToInstall) {
  Driver("nolib", R"({"command":["/usr/bin/python3","x"],"check":["/usr/bin/python3","-c","import no_such_module_here"],
                      "install":"apt-get install python3-nolib"})");
  auto d = FindDriver("nolib");
  ASSERT_TRUE(d);
  std::string why = CheckDriver(*d);
  EXPECT_NE(why.find("apt-get install python3-nolib"), std::string::npos) << why;
}

TEST_F(DriversTest, AMissingInterpreterIsNamed) {
  Driver("nointerp", R"({"command":["/no/such/interpreter","x"],"install":"apt-get install interp"})");
  std::string why = CheckDriver(*FindDriver("nointerp"));
  EXPECT_NE(why.find("/no/such/interpreter"), std::string::npos) << why;
  EXPECT_NE(why.find("apt-get install interp"), std::string::npos) << why;
}

TEST_F(DriversTest, ABrokenManifestIsReported) {
  Driver("broken", R"({"command":"not a list")");
  std::string why;
  EXPECT_FALSE(FindDriver("broken", &why));
  EXPECT_NE(why.find("driver.json"), std::string::npos) << why;
}

TEST_F(DriversTest, TheShippedDriversAreFound) {
  unsetenv("SC_DRIVERS_DIR");
  auto names = ClientNames();
  for (const char* n : {"hiredis", "ioredis", "redis-py", "redis-rb"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
}

TEST_F(DriversTest, ClientAndProfileOptions) {
  Driver("mylib", R"({"command":["/usr/bin/python3","x"]})");
  LoadOptions o;
  EXPECT_FALSE(SetLoadOption(o, "client", "mylib"));
  EXPECT_TRUE(SetLoadOption(o, "client", "nosuchlib"));
  EXPECT_TRUE(SetLoadOption(o, "profile", "fast"));
  EXPECT_FALSE(SetLoadOption(o, "profile", "tuned"));
  EXPECT_TRUE(ValidateLoad(o).empty());
  EXPECT_FALSE(SetLoadOption(o, "timeout", "50ms"));
  EXPECT_EQ(ValidateLoad(o).size(), 1u) << "a library takes its timeouts from its profile";
  LoadOptions h;
  EXPECT_FALSE(SetLoadOption(h, "profile", "tuned"));
  EXPECT_EQ(ValidateLoad(h).size(), 1u) << "hiredis has no profile";
  EXPECT_EQ(EffectiveProfile(h), "");
}

// The harness side of the protocol: config, ready, start, op lines into the
// journal on the run clock; bad lines are dropped and reported.
TEST_F(DriversTest, OpLinesGoIntoTheJournalAndBadLinesAreReported) {
  Driver("fake", R"({"command":["/usr/bin/python3","{dir}/driver.py"]})", R"(
import json, sys, time
cfg = json.loads(sys.stdin.readline())
zero = int(cfg["clock_zero_ns"])
print(json.dumps({"t": "ready", "library": "fake", "version": "1.2", "settings": {"x": 1}}), flush=True)
start = json.loads(sys.stdin.readline())
now = lambda: time.monotonic_ns() - zero
b = cfg["client_base"]
for s in range(3):
    i = now(); e = now()
    print(json.dumps({"t": "op", "o": "ok", "c": b, "s": s, "k": "w", "v": "c%d-%d" % (b, s), "i": i, "e": e, "srv": "1.2.3.4:6379"}))
print(json.dumps({"t": "op", "c": b + 7, "s": 0, "k": "w", "v": "x", "i": now(), "e": now(), "o": "ok"}))
print(json.dumps({"t": "op", "c": b, "s": 9, "k": "w", "v": "x", "i": now(), "e": now(), "o": "unknown", "x": "timeout", "m": "lib.Timeout: slow"}))
print(json.dumps({"t": "done"}), flush=True)
)");
  RunClock clock;
  const std::string journal_path = dir_ + "/h.jsonl";
  {
    JournalWriter journal(journal_path, nlohmann::json::object());
    DriverSetup setup;
    setup.options.client = "fake";
    setup.options.clients = 1;
    setup.options.duration_ns = 500'000'000;
    setup.first_client = 4;
    setup.log_path = dir_ + "/fake.log";
    setup.endpoints.sentinels = [] { return std::vector<Address>{{"10.0.0.1", 26379}}; };
    DriverLoad load(*FindDriver("fake"), setup, clock);
    EXPECT_EQ(load.ready().library, "fake");
    EXPECT_EQ(load.ready().version, "1.2");
    EXPECT_EQ(load.ready().settings["x"], 1);
    load.Attach(journal);
    load.Start();
    load.Join();
    EXPECT_EQ(load.stats().ok, 3u);
    EXPECT_EQ(load.stats().unknown, 1u);
    auto errors = load.ThreadErrors();
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("client 11 is not one of this group's (4..4)"), std::string::npos) << errors[0];
    journal.Close();
  }
  std::vector<Op> ops;
  JournalReader reader;
  reader.on_op = [&](const Op& op) { ops.push_back(op); };
  EXPECT_EQ(reader.Read(journal_path), "");
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[0].client, 4);
  EXPECT_EQ(ops[0].value, "c4-0");
  EXPECT_EQ(ops[0].server, "1.2.3.4:6379");
  EXPECT_GE(ops[0].invoke, 0);
  EXPECT_LT(ops[0].complete, clock.Now());
  EXPECT_EQ(ops[3].outcome, Outcome::kUnknown);
  EXPECT_EQ(ops[3].error, ErrorClass::kTimeout);
  EXPECT_EQ(ops[3].error_text, "lib.Timeout: slow");
}

TEST_F(DriversTest, ADriverThatDiesBeforeReadyFailsWithItsStderr) {
  Driver("dies", R"({"command":["/usr/bin/python3","{dir}/driver.py"]})",
         "import sys\nsys.stderr.write('cannot import the library\\n')\nsys.exit(3)\n");
  RunClock clock;
  DriverSetup setup;
  setup.options.client = "dies";
  setup.log_path = dir_ + "/dies.log";
  try {
    DriverLoad load(*FindDriver("dies"), setup, clock);
    FAIL() << "a driver that exits is not ready";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot import the library"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sc::load
