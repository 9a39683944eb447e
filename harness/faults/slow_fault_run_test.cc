// 'slow' on real processes (netns backend, real redis-server and Sentinels):
// the cap is in the node's cgroup while the fault holds and the kernel
// throttles a CPU-bound command under it; stopping lifts it; a machine
// without a usable cpu controller is refused before anything starts.
#include <stdlib.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/faults/fault.h"
#include "harness/runner/runner.h"
#include "harness/scenario/parser.h"
#include "harness/scenario/test_figures.h"
#include "topology/cgroup.h"
#include "topology/control.h"
#include "topology/session.h"
#include "topology/test_support.h"

namespace sc::faults {
namespace {

namespace fs = std::filesystem;

scenario::FaultSpec SpecOf(const std::string& line) {
  auto r = scenario::ParseScenario("scenario \"t\"\ntopology sentinel3\nload duration=30s\n" + line + "\n", "t.chaos",
                                   scenario::testing::ResultsDocContext());
  EXPECT_TRUE(r.ok()) << r.ErrorText();
  return std::get<scenario::StartFault>(r.plan->timeline.at(0).action).spec;
}

// "nr_throttled N" of the cgroup's cpu.stat (v1 and v2 both have it).
long Throttled(const std::string& dir) {
  std::ifstream in(dir + "/cpu.stat");
  std::string key;
  long value = 0;
  while (in >> key >> value)
    if (key == "nr_throttled") return value;
  return -1;
}

std::string Quota(const topology::CgroupHierarchy& h, const std::string& dir) {
  std::ifstream in(dir + (h.version == topology::CgroupVersion::kV1 ? "/cpu.cfs_quota_us" : "/cpu.max"));
  std::string line;
  std::getline(in, line);
  return line;
}

TEST(SlowFaultRun, CapsEveryProcessOfTheServerUntilStopped) {
  const topology::CgroupHierarchy h = topology::DetectCgroupHierarchy();
  const std::string before = topology::testing::HostSnapshot();
  {
    topology::Options o;
    o.down_after_ms = 5000;
    auto session = topology::OpenSession(o, "");
    auto& b = *session.backend;
    if (std::string why = b.CpuLimitProblem(); !why.empty()) GTEST_SKIP() << why;
    struct Down {
      topology::Backend& b;
      ~Down() {
        try {
          b.Down();
        } catch (...) {
        }
      }
    } down{b};
    b.Up();
    const topology::Node& n2 = *b.layout().Find("n2");
    const topology::Cgroup cg(h, n2.cgroup);
    const std::string cpu_dir = cg.dirs().back();
    auto fault = MakeFault(SpecOf("at 1s slow n2 cpu=5 as s"), "F1");
    const auto before_start = Fault::Clock::now();
    fault->Start(b);
    // The in-force instant is marked by the kind itself, between the call and its return.
    EXPECT_GE(fault->took_effect(), before_start);
    EXPECT_LE(fault->took_effect(), Fault::Clock::now());
    EXPECT_EQ(fault->target(), "n2");
    EXPECT_EQ(fault->detail(), "every process capped to 5 % of one core per 100 ms (cgroup cpu controller)");
    EXPECT_EQ(Quota(h, cpu_dir), h.version == topology::CgroupVersion::kV1 ? "5000" : "5000 100000");
    const long throttled = Throttled(cpu_dir);
    // 300 ms or so of pure CPU for redis-server: under 5 ms per 100 ms it is throttled many times.
    auto r = topology::Ask(n2.redis_socket(), {"EVAL", "local i=0 while i<5000000 do i=i+1 end return i", "0"}, "", 60000);
    EXPECT_TRUE(r.ok) << r.text;
    EXPECT_GT(Throttled(cpu_dir), throttled + 2) << "the kernel did not throttle the capped redis-server";
    const auto before_stop = Fault::Clock::now();
    fault->Stop(b, {});
    EXPECT_GE(fault->took_effect(), before_stop);
    EXPECT_LE(fault->took_effect(), Fault::Clock::now());
    EXPECT_EQ(fault->detail(), "CPU cap lifted");
    EXPECT_EQ(Quota(h, cpu_dir), h.version == topology::CgroupVersion::kV1 ? "-1" : "max 100000");
  }
  EXPECT_EQ(topology::testing::HostSnapshot(), before) << "the host's network or rules changed";
}

TEST(SlowFaultRun, AMachineWithoutTheCpuControllerIsRefusedBeforeAnythingStarts) {
  // On a hybrid host the cpu controller is bound to v1: cgroup v2 cannot cap CPU.
  topology::CgroupHierarchy v2;
  try {
    v2 = topology::DetectCgroupHierarchy("v2");
  } catch (const std::exception& e) {
    GTEST_SKIP() << "no cgroup v2 here: " << e.what();
  }
  std::ifstream controllers(v2.root + "/cgroup.controllers");
  std::stringstream list;
  list << controllers.rdbuf();
  if ((" " + list.str()).find(" cpu") != std::string::npos) GTEST_SKIP() << "cgroup v2 here has the cpu controller";
  auto parsed = scenario::ParseScenario(
      "scenario \"slow without cpu\"\ntopology sentinel3\nload clients=1 duration=3s\nat 1s slow n2 cpu=5 for 1s\nexpect lost == 0\n",
      "t.chaos", scenario::testing::ResultsDocContext());
  ASSERT_TRUE(parsed.ok()) << parsed.ErrorText();
  const std::string out = fs::temp_directory_path() / ("sc-slow-test-" + std::to_string(getpid()));
  runner::RunSettings rs;
  rs.out_root = out;
  rs.quiet = true;
  setenv("SENTINEL_CHAOS_CGROUP", "v2", 1);
  runner::RunOutcome o = runner::Run(*parsed.plan, rs);
  unsetenv("SENTINEL_CHAOS_CGROUP");
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_NE(o.error.find("'slow' (line 4) cannot run on this machine: CPU limits need the cpu controller in cgroup v2"),
            std::string::npos)
      << o.error;
  fs::remove_all(out);
}

}  // namespace
}  // namespace sc::faults
