// The proof that a new kind of failure is one registration: a fault kind
// declared only in this file (keyword, syntax, a typed option, a stop verb of
// its own, description, factory) parses, is refused with located errors when
// misused, validates against the topology, runs for real on the network
// namespace backend, and appears in plan.json, results.json and the report.
// No other file knows about it.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/faults/fault.h"
#include "harness/faults/fault_kind.h"
#include "harness/runner/runner.h"
#include "harness/scenario/parser.h"
#include "harness/scenario/test_figures.h"
#include "topology/test_support.h"

namespace sc::runner {
namespace {

namespace fs = std::filesystem;

// freeze TARGET [link=up|down]: every process of the server frozen in its
// cgroup, its link left up (or taken down); `thaw NAME` undoes it.
class FreezeFault : public faults::Fault {
 public:
  using Fault::Fault;
  void Start(topology::Backend& b) override {
    target_ = faults::ResolveTarget(b, spec_.target);
    if (spec_.Option("link") == "down") b.SetLinkUp(target_, false);
    b.Freeze(target_);
    detail_ = "processes frozen, link " + spec_.Option("link");
  }
  void Stop(topology::Backend& b, const faults::StopOptions&) override {
    b.Thaw(target_);
    b.SetLinkUp(target_, true);
    detail_ = "thawed";
  }
};

faults::FaultKind FreezeKind() {
  faults::FaultKind k;
  k.keyword = "freeze";
  k.noun = "a freeze";
  k.usage = "freeze TARGET";
  k.description = "freezes every process of the server (test-only kind)";
  k.syntax = [](faults::FaultWords& w, scenario::FaultSpec&) { w.TakeTarget(); };
  k.options = {faults::ChoiceOption("link", {"up", "down"}, "up", "whether the server's link stays up")};
  k.stop = {"thaw", {}};
  k.describe = [](const scenario::FaultSpec& f) { return "freeze " + f.target + " (link " + f.Option("link") + ")"; };
  k.make = [](const scenario::FaultSpec& f, const std::string& tag) { return std::make_unique<FreezeFault>(f, tag); };
  return k;
}

void RegisterOnce() {
  if (!faults::FaultKinds().Find("freeze")) faults::FaultKinds().Register(FreezeKind());
}

const char* kScenario = R"(scenario "a replica frozen"
description "A kind of failure the product does not know, registered by this test."
topology sentinel3 down-after=5s
load clients=2 workload=set via=vip duration=4s
at 1s freeze replica link=down as z
at 2500ms thaw z
expect no failover
expect lost == 0
)";

scenario::ParseResult Parse(const std::string& text) {
  return scenario::ParseScenario(text, "t.chaos", scenario::testing::ResultsDocContext());
}

TEST(NewFaultKind, ParsesWithItsOptionAndStopVerb) {
  RegisterOnce();
  auto r = Parse(kScenario);
  ASSERT_TRUE(r.ok()) << r.ErrorText();
  const auto& start = std::get<scenario::StartFault>(r.plan->timeline.at(0).action);
  EXPECT_EQ(start.spec.kind, "freeze");
  EXPECT_EQ(start.spec.target, "replica");
  EXPECT_EQ(start.spec.Option("link"), "down");
  EXPECT_EQ(std::get<scenario::StopFault>(r.plan->timeline.at(1).action).verb, "thaw");
  EXPECT_EQ(scenario::DescribeFault(start.spec), "freeze replica (link down)");
  auto json = scenario::PlanToJson(*r.plan)["timeline"][0]["fault"];
  EXPECT_EQ(json["kind"], "freeze");
  EXPECT_EQ(json["link"], "down");
}

TEST(NewFaultKind, MisuseIsRefusedWithLocatedErrors) {
  RegisterOnce();
  const std::string head = "scenario \"t\"\ntopology sentinel3\nload duration=30s\n";
  struct Case {
    std::string body;
    int column;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"at 5s freeze replica link=sideways", 27, "link must be up or down, got 'sideways'"},
      {"at 5s freeze replica lnk=up", 22, "'freeze' has no option 'lnk' (it takes link=); did you mean 'link'?"},
      {"at 5s freeze n4", 14, "topology sentinel3 has no n4 (its servers: n1, n2 and n3)"},
      {"at 5s frees n2", 7, "unknown action 'frees'; did you mean 'freeze'?"},
      {"at 5s freeze n2 as z\nat 6s heal z", 12, "'z' is a freeze, not a partition, cut or loss: stop it with 'thaw z'"},
      {"at 5s kill redis on n2 as z\nat 6s thaw z", 12, "'z' is a kill, not a freeze: stop it with 'restart z'"},
  };
  for (const auto& c : cases) {
    auto r = Parse(head + c.body + "\n");
    SCOPED_TRACE(c.body);
    ASSERT_EQ(r.errors.size(), 1u) << r.ErrorText();
    EXPECT_EQ(r.errors[0].message, c.message);
    EXPECT_EQ(r.errors[0].column, c.column);
  }
}

TEST(NewFaultKind, RunsForRealAndAppearsInResultsAndReport) {
  RegisterOnce();
  const std::string before = topology::testing::HostSnapshot();
  const std::string out = fs::temp_directory_path() / ("sc-new-fault-test-" + std::to_string(getpid()));
  auto r = Parse(kScenario);
  ASSERT_TRUE(r.ok()) << r.ErrorText();
  RunSettings rs;
  rs.out_root = out;
  rs.quiet = true;
  RunOutcome o = runner::Run(*r.plan, rs);
  EXPECT_EQ(o.exit_code, 0) << o.error << o.results.dump(1);

  ASSERT_EQ(o.results["faults"].size(), 1u) << o.results["faults"].dump(1);
  const auto& f = o.results["faults"][0];
  EXPECT_EQ(f["kind"], "freeze");
  EXPECT_NE(f["target"], "n1") << "the replica, not the master";
  EXPECT_TRUE(f["stop_ns"].is_number()) << f.dump();
  EXPECT_NEAR((f["stop_ns"].get<double>() - f["start_ns"].get<double>()) / 1e9, 1.5, 0.3);
  std::ifstream plan_file(o.run_dir + "/plan.json");
  nlohmann::json plan = nlohmann::json::parse(plan_file);
  EXPECT_EQ(plan["timeline"][0]["fault"]["kind"], "freeze");
  EXPECT_EQ(plan["timeline"][0]["fault"]["link"], "down");
  std::ifstream report_file(o.run_dir + "/report.html");
  std::stringstream report;
  report << report_file.rdbuf();
  EXPECT_NE(report.str().find("freeze"), std::string::npos);
  fs::remove_all(out);
  EXPECT_EQ(topology::testing::HostSnapshot(), before) << "the host's network or rules changed";
}

}  // namespace
}  // namespace sc::runner
