#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "harness/checkers/availability.h"
#include "harness/checkers/element_set.h"
#include "harness/checkers/figures.h"
#include "harness/checkers/log_histogram.h"
#include "harness/checkers/run_checks.h"

namespace sc {
namespace {

constexpr Nanos kMs = 1'000'000;
constexpr Nanos kS = 1'000'000'000;

// A hand-built history: ops and events, then RunChecks over them.
class History {
 public:
  Op& Write(int client, Nanos invoke_ms, Nanos complete_ms, Outcome o = Outcome::kOk,
            ErrorClass e = ErrorClass::kNone) {
    Op op;
    op.client = client;
    op.seq = seq_[client]++;
    op.value = "c" + std::to_string(client) + "-" + std::to_string(op.seq);
    op.invoke = invoke_ms * kMs;
    op.complete = complete_ms * kMs;
    op.outcome = o;
    op.error = o == Outcome::kOk ? ErrorClass::kNone : e;
    op.server = "10.0.0.1:6379";
    ops_.push_back(op);
    return ops_.back();
  }
  Op& Read(int client, Nanos invoke_ms, Nanos complete_ms, Outcome o = Outcome::kOk) {
    Op& op = Write(client, invoke_ms, complete_ms, o, ErrorClass::kRefused);
    op.kind = OpKind::kRead;
    op.value = "";
    return op;
  }
  // Writes of `client` back to back every `step_ms` in [from, to), all ok.
  void OkWrites(int client, Nanos from_ms, Nanos to_ms, Nanos step_ms = 1) {
    for (Nanos t = from_ms; t < to_ms; t += step_ms) Write(client, t, t + step_ms);
  }
  Event& Ev(Nanos at_ms, const std::string& type) {
    Event ev;
    ev.at = at_ms * kMs;
    ev.type = type;
    events_.push_back(ev);
    return events_.back();
  }
  void Fault(Nanos at_ms, const std::string& id) {
    Ev(at_ms, "fault-start").name = id;
  }
  void Role(Nanos at_ms, const std::string& node, const std::string& role) {
    Event& ev = Ev(at_ms, "role");
    ev.node = node;
    ev.role = role;
  }
  void Sentinel(Nanos at_ms, const std::string& sentinel, const std::string& name,
                const std::string& detail = "master mymaster 10.0.0.1 6379") {
    Event& ev = Ev(at_ms, "sentinel-event");
    ev.node = sentinel;
    ev.name = name;
    ev.detail = detail;
  }
  void FinalRead(const std::string& node, const std::string& role, std::vector<std::string> values) {
    Event& ev = Ev(100000, "final-read");
    ev.node = node;
    ev.role = role;
    ev.values = std::move(values);
  }
  nlohmann::json Check(CheckSettings settings = CheckSettings()) {
    return RunChecks(meta_, ops_, events_, settings);
  }
  std::vector<Op>& ops() { return ops_; }
  std::vector<Event>& events() { return events_; }
  nlohmann::json meta_ = nlohmann::json::object();

 private:
  std::map<int, uint64_t> seq_;
  std::vector<Op> ops_;
  std::vector<Event> events_;
};

const nlohmann::json& Writes(const nlohmann::json& r) { return r["availability"]["writes"]; }

// ---------------------------------------------------------------- data loss

TEST(DataLoss, AcknowledgedButAbsentIsLost) {
  History h;
  h.Write(0, 0, 1);
  h.Write(0, 1, 2);
  h.Write(0, 2, 3);
  h.FinalRead("n1", "master", {"c0-0", "c0-2"});
  auto r = h.Check();
  EXPECT_EQ(r["data_loss"]["attempted"], 3);
  EXPECT_EQ(r["data_loss"]["acknowledged"], 3);
  EXPECT_EQ(r["data_loss"]["lost"], 1);
  ASSERT_EQ(r["data_loss"]["lost_elements"].size(), 1u);
  EXPECT_EQ(r["data_loss"]["lost_elements"][0]["value"], "c0-1");
  EXPECT_EQ(r["data_loss"]["lost_elements"][0]["acked_ns"], 2 * kMs);
  EXPECT_EQ(r["data_loss"]["lost_elements"][0]["server"], "10.0.0.1:6379");
  EXPECT_EQ(r["data_loss"]["lost_elements_truncated"], false);
  EXPECT_EQ(r["figures"]["lost"], 1);
}

TEST(DataLoss, AWriteThroughTheVipWasAcknowledgedByTheServerHoldingItThen) {
  History h;
  h.meta_ = {{"topology", {{"vip", "10.0.0.100"}, {"servers", {{{"name", "n1"}, {"address", "10.0.0.1"}}}}}}};
  h.Ev(0, "vip").node = "n1";
  h.Ev(5, "vip").node = "n2";
  h.Write(0, 0, 1).server = "10.0.0.100:6379";
  h.Write(0, 6, 7).server = "10.0.0.100:6379";
  h.Write(0, 8, 9).server = "10.0.0.1:6379";
  h.FinalRead("n2", "master", {});
  auto lost = h.Check()["data_loss"]["lost_elements"];
  ASSERT_EQ(lost.size(), 3u);
  EXPECT_EQ(lost[0]["node"], "n1");
  EXPECT_EQ(lost[0]["server"], "n1 (10.0.0.100:6379)");
  EXPECT_EQ(lost[1]["node"], "n2");
  EXPECT_EQ(lost[2]["node"], "n1");
}

// The VIP sample said "n1,n2" (or was 20 ms stale): the connection's own
// server id names the server that really acknowledged the write.
TEST(DataLoss, AWriteNamesTheServerItsConnectionIdentified) {
  History h;
  h.meta_ = {{"topology", {{"vip", "10.0.0.100"}, {"servers", {{{"name", "n1"}, {"address", "10.0.0.1"}}}}}}};
  h.Ev(0, "vip").node = "n1,n2";
  for (auto [node, id] : {std::pair{"n1", "aaaa1111"}, std::pair{"n2", "bbbb2222"}}) {
    Event& e = h.Ev(1, "server-id");
    e.node = node;
    e.detail = id;
  }
  h.Write(0, 2, 3).server = "10.0.0.100:6379@bbbb2222";
  h.Write(0, 4, 5).server = "10.0.0.100:6379@aaaa1111";
  h.Write(0, 6, 7).server = "10.0.0.100:6379@cccc3333";
  h.FinalRead("n2", "master", {});
  auto lost = h.Check()["data_loss"]["lost_elements"];
  ASSERT_EQ(lost.size(), 3u);
  EXPECT_EQ(lost[0]["node"], "n2");
  EXPECT_EQ(lost[1]["node"], "n1");
  EXPECT_EQ(lost[2]["node"], "server cccc3333") << "an id nobody reported is named as such, never guessed";
}

TEST(DataLoss, PresentButNeverAttemptedIsUnexpected) {
  History h;
  h.Write(0, 0, 1);
  h.FinalRead("n1", "master", {"c0-0", "c5-99", "stranger"});
  auto r = h.Check();
  EXPECT_EQ(r["data_loss"]["unexpected"], 2);
  EXPECT_EQ(r["data_loss"]["lost"], 0);
}

// The data-loss checker inserts a final read's ranges whole instead of
// expanding them into strings: it must hold exactly what expanding gives.
TEST(ElementSet, ARangeInsertsExactlyTheElementsItExpandsTo) {
  std::vector<std::string> ranges = {"c3-0..63",   "c3-64..64",  "c3-65..200", "c0-5..9",     "c1-63..129",
                                     "c2-0..0",    "c2-7",       "c4-05..7",   "c4-9..011",   "c5-9..3",
                                     "c6-1..x",    "x-1..3",     "plain",      "c7-..3",      "c8-100..1000"};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    uint64_t first = rng() % 5000, len = rng() % 300;
    ranges.push_back("c" + std::to_string(rng() % 4) + "-" + std::to_string(first) + ".." +
                     std::to_string(first + len));
  }
  ElementSet by_range, by_text;
  std::vector<std::string> expanded;
  for (const std::string& r : ranges) {
    by_range.InsertRange(r);
    expanded.clear();
    ExpandRange(r, expanded);
    for (const std::string& e : expanded) by_text.Insert(e);
  }
  std::vector<std::string> a, b;
  by_range.ForEach([&](const Element& e) { a.push_back(e.ToString()); });
  by_text.ForEach([&](const Element& e) { b.push_back(e.ToString()); });
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(by_range.Size(), by_text.Size());
  EXPECT_EQ(a, b);
  EXPECT_TRUE(by_range.Contains("c4-5"));       // a leading zero still expands
  EXPECT_TRUE(by_range.Contains("c5-9..3"));    // not a range: kept as text
  EXPECT_TRUE(by_range.Contains("c3-200"));
  EXPECT_FALSE(by_range.Contains("c3-201"));
}

// The data-loss checker compares sets 64 ids at a time (ForEachExcept): it
// must report exactly the elements that a lookup per element reports, in the
// same order, ids and text elements alike, whatever the bitmaps' lengths.
TEST(ElementSet, ForEachExceptReportsWhatALookupPerElementReports) {
  std::mt19937_64 rng(11);
  auto random_set = [&](int clients, uint64_t seqs, int texts) {
    ElementSet s;
    for (int i = 0; i < 3000; ++i)
      s.Insert("c" + std::to_string(rng() % clients) + "-" + std::to_string(rng() % seqs));
    s.InsertRange("c" + std::to_string(rng() % clients) + "-10..700");
    for (int i = 0; i < texts; ++i) s.Insert("t" + std::to_string(rng() % 40));
    s.Insert("c1-07");  // a leading zero: text, not an id
    return s;
  };
  for (int round = 0; round < 20; ++round) {
    // Different client counts and bitmap lengths, so that words exist in one
    // set and not in another; an empty set among them.
    ElementSet a = random_set(4, 5000, 30), b = random_set(2 + round % 4, 1000 + 300 * round, 20);
    ElementSet c = random_set(6, 200, 10), empty;
    for (auto excluded : std::vector<std::vector<const ElementSet*>>{{}, {&b}, {&b, &c}, {&empty}, {&a}}) {
      std::vector<std::string> want, got;
      a.ForEach([&](const Element& e) {
        for (const ElementSet* x : excluded)
          if (x->Contains(e)) return;
        want.push_back(e.ToString());
      });
      std::initializer_list<const ElementSet*> none = {};
      if (excluded.empty()) a.ForEachExcept(none, [&](const Element& e) { got.push_back(e.ToString()); });
      else if (excluded.size() == 1)
        a.ForEachExcept({excluded[0]}, [&](const Element& e) { got.push_back(e.ToString()); });
      else
        a.ForEachExcept({excluded[0], excluded[1]}, [&](const Element& e) { got.push_back(e.ToString()); });
      EXPECT_EQ(got, want) << "round " << round << ", " << excluded.size() << " excluded";
    }
    std::vector<std::string> from_empty;
    empty.ForEachExcept({&a}, [&](const Element& e) { from_empty.push_back(e.ToString()); });
    EXPECT_TRUE(from_empty.empty());
  }
}

TEST(DataLoss, FailedOrUnknownButPresentIsRecovered) {
  History h;
  h.Write(0, 0, 1, Outcome::kFail, ErrorClass::kReadonly);
  h.Write(0, 1, 101, Outcome::kUnknown, ErrorClass::kTimeout);
  h.Write(0, 101, 201, Outcome::kUnknown, ErrorClass::kTimeout);
  h.FinalRead("n1", "master", {"c0-0", "c0-1"});
  auto r = h.Check();
  EXPECT_EQ(r["data_loss"]["attempted"], 3);
  EXPECT_EQ(r["data_loss"]["acknowledged"], 0);
  EXPECT_EQ(r["data_loss"]["recovered"], 2);
  EXPECT_EQ(r["data_loss"]["lost"], 0);  // an unknown write that is absent is not lost
  EXPECT_EQ(r["data_loss"]["unexpected"], 0);
}

// Rotating keys (load key-ops): finished keys are read and deleted during the
// run ("key-read"); their elements count as present, the final read holds the rest.
TEST(DataLoss, ElementsOfKeysReadDuringTheRunArePresent) {
  History h;
  h.OkWrites(0, 0, 6);
  h.Write(0, 6, 700, Outcome::kUnknown, ErrorClass::kTimeout);
  Event& k = h.Ev(5000, "key-read");
  k.node = "n2";
  k.name = "sc:set:0:0";
  k.values = {"c0-0", "c0-1", "c0-2", "c0-6"};  // c0-6: an unknown write that was applied
  h.FinalRead("n1", "master", {"c0-3", "c0-5"});  // c0-4 is gone
  h.FinalRead("n2", "replica", {"c0-3", "c0-5"});
  auto r = h.Check();
  EXPECT_EQ(r["data_loss"]["lost"], 1);
  EXPECT_EQ(r["data_loss"]["lost_elements"][0]["value"], "c0-4");
  EXPECT_EQ(r["data_loss"]["recovered"], 1);
  EXPECT_EQ(r["data_loss"]["unexpected"], 0);
  EXPECT_EQ(r["figures"]["diverged"], 0);  // replicas are compared with the master's final read only
}

TEST(DataLoss, LostElementsListTheEarliestAcknowledgedFirstAndTruncate) {
  History h;
  h.OkWrites(0, 0, 10);
  h.FinalRead("n1", "master", {});
  CheckSettings s;
  s.max_lost_elements = 3;
  auto r = h.Check(s);
  EXPECT_EQ(r["data_loss"]["lost"], 10);
  ASSERT_EQ(r["data_loss"]["lost_elements"].size(), 3u);
  EXPECT_EQ(r["data_loss"]["lost_elements"][0]["value"], "c0-0");
  EXPECT_EQ(r["data_loss"]["lost_elements"][2]["value"], "c0-2");
  EXPECT_EQ(r["data_loss"]["lost_elements_truncated"], true);
}

TEST(DataLoss, WithoutAMasterFinalReadLossIsNotMeasured) {
  History h;
  h.Write(0, 0, 1);
  h.FinalRead("n2", "replica", {"c0-0"});
  auto r = h.Check();
  EXPECT_TRUE(r["data_loss"]["lost"].is_null());
  EXPECT_FALSE(r["figures"].contains("lost"));
  EXPECT_EQ(r["figures"]["acknowledged"], 1);
  EXPECT_TRUE(r["divergence"].is_null());
}

TEST(DataLoss, FinalReadInPartsIsTheirUnion) {
  History h;
  h.Write(0, 0, 1);
  h.Write(0, 1, 2);
  h.FinalRead("n1", "master", {"c0-0"});
  h.FinalRead("n1", "master", {"c0-1"});
  auto r = h.Check();
  EXPECT_EQ(r["data_loss"]["lost"], 0);
}

TEST(DataLoss, ReplicaThatDisagreesWithTheMasterDiverged) {
  History h;
  h.OkWrites(0, 0, 3);
  h.FinalRead("n1", "master", {"c0-0", "c0-1", "c0-2"});
  h.FinalRead("n2", "replica", {"c0-0", "c0-1", "c0-2"});
  h.FinalRead("n3", "replica", {"c0-0", "c9-9"});
  auto r = h.Check();
  ASSERT_EQ(r["divergence"]["replicas"].size(), 2u);
  EXPECT_EQ(r["divergence"]["replicas"][0]["missing"], 0);
  EXPECT_EQ(r["divergence"]["replicas"][1]["node"], "n3");
  EXPECT_EQ(r["divergence"]["replicas"][1]["missing"], 2);
  EXPECT_EQ(r["divergence"]["replicas"][1]["extra"], 1);
  EXPECT_EQ(r["divergence"]["diverged"], 1);
  EXPECT_EQ(r["figures"]["diverged"], 1);
}

TEST(DataLoss, CounterLostIncrementsAreAcknowledgedMinusFinal) {
  History h;
  for (int i = 0; i < 10; ++i) h.Write(0, i, i + 1).value = "1";
  h.Write(0, 10, 110, Outcome::kUnknown, ErrorClass::kTimeout).value = "1";
  h.FinalRead("n1", "master", {"7"});
  auto r = h.Check();
  EXPECT_EQ(r["data_loss"]["workload"], "counter");  // inferred from the values
  EXPECT_EQ(r["data_loss"]["counter"]["acknowledged_increments"], 10);
  EXPECT_EQ(r["data_loss"]["counter"]["attempted_increments"], 11);
  EXPECT_EQ(r["data_loss"]["counter"]["final_value"], 7);
  EXPECT_EQ(r["data_loss"]["counter"]["lost_increments"], 3);
  EXPECT_EQ(r["figures"]["lost_increments"], 3);
}

TEST(DataLoss, CounterNeverGoesBelowZeroLost) {
  History h;
  h.meta_ = {{"load", {{"workload", "counter"}}}};
  h.Write(0, 0, 1).value = "1";
  h.Write(0, 1, 101, Outcome::kUnknown, ErrorClass::kTimeout).value = "1";
  h.FinalRead("n1", "master", {"2"});
  auto r = h.Check();
  EXPECT_EQ(r["data_loss"]["counter"]["lost_increments"], 0);
  EXPECT_EQ(r["data_loss"]["recovered"], 1);
}

// ---------------------------------------------------------------- availability

TEST(Availability, GapShorterThanTheThresholdIsNoWindow) {
  History h;
  h.OkWrites(0, 0, 100);
  h.Write(0, 100, 130, Outcome::kFail, ErrorClass::kRefused);  // 40 ms gap with a failure
  h.Write(0, 130, 140);
  h.OkWrites(0, 140, 200);
  auto r = h.Check();
  EXPECT_EQ(Writes(r)["count"], 0);
  EXPECT_EQ(r["figures"]["unavailability.longest"], 0.0);
}

TEST(Availability, FailingWritesMakeAWindowFromLastOkToNextOk) {
  History h;
  h.OkWrites(0, 0, 100);  // last ok completes at 100 ms
  for (Nanos t = 100; t < 300; t += 10) h.Write(0, t, t + 10, Outcome::kFail, ErrorClass::kRefused);
  h.Write(0, 300, 301, Outcome::kUnknown, ErrorClass::kReset);
  h.Write(0, 301, 305);  // first ok after
  h.OkWrites(0, 305, 400);
  auto r = h.Check();
  ASSERT_EQ(Writes(r)["count"], 1);
  const auto& w = Writes(r)["windows"][0];
  EXPECT_EQ(w["start_ns"], 100 * kMs);
  EXPECT_EQ(w["end_ns"], 305 * kMs);
  EXPECT_EQ(w["duration_ns"], 205 * kMs);
  EXPECT_EQ(w["failed_ops"], 20);
  EXPECT_EQ(w["unknown_ops"], 1);
  EXPECT_EQ(w["errors"]["refused"], 20);
  EXPECT_EQ(w["errors"]["reset"], 1);
  EXPECT_FALSE(w.contains("open"));
  EXPECT_DOUBLE_EQ(r["figures"]["unavailability.longest"], 0.205);
}

TEST(Availability, WindowAtTheStartBeginsAtTheFirstInvoke) {
  History h;
  for (Nanos t = 1000; t < 1500; t += 100) h.Write(0, t, t + 100, Outcome::kFail, ErrorClass::kRefused);
  h.OkWrites(0, 1500, 1600);
  auto r = h.Check();
  ASSERT_EQ(Writes(r)["count"], 1);
  EXPECT_EQ(Writes(r)["windows"][0]["start_ns"], 1000 * kMs);
  EXPECT_EQ(Writes(r)["windows"][0]["end_ns"], 1501 * kMs);
}

TEST(Availability, WindowAtTheEndIsOpenAndEndsWithTheLoad) {
  History h;
  h.OkWrites(0, 0, 100);
  for (Nanos t = 100; t < 1000; t += 100) h.Write(0, t, t + 100, Outcome::kUnknown, ErrorClass::kTimeout);
  auto r = h.Check();
  ASSERT_EQ(Writes(r)["count"], 1);
  EXPECT_EQ(Writes(r)["windows"][0]["start_ns"], 100 * kMs);
  EXPECT_EQ(Writes(r)["windows"][0]["end_ns"], 1000 * kMs);
  EXPECT_EQ(Writes(r)["windows"][0]["open"], true);
}

TEST(Availability, NoOkAtAllIsOneOpenWindowOverTheWholeLoad) {
  History h;
  for (Nanos t = 10; t < 500; t += 10) h.Write(0, t, t + 10, Outcome::kFail, ErrorClass::kNoMaster);
  auto r = h.Check();
  ASSERT_EQ(Writes(r)["count"], 1);
  EXPECT_EQ(Writes(r)["windows"][0]["start_ns"], 10 * kMs);
  EXPECT_EQ(Writes(r)["windows"][0]["end_ns"], 500 * kMs);
  EXPECT_EQ(Writes(r)["windows"][0]["errors"]["no-master"], 49);
}

TEST(Availability, IdleGapWithNothingOutstandingIsNoWindow) {
  History h;  // a slow open-loop load: one quick write a second
  for (Nanos t = 0; t < 5000; t += 1000) h.Write(0, t, t + 1);
  auto r = h.Check();
  EXPECT_EQ(Writes(r)["count"], 0);
}

TEST(Availability, WriteOutstandingLongerThanTheThresholdIsAWindow) {
  History h;
  h.OkWrites(0, 0, 100);
  h.Write(0, 100, 400);  // ok, but after 300 ms
  h.OkWrites(0, 400, 500);
  auto r = h.Check();
  ASSERT_EQ(Writes(r)["count"], 1);
  EXPECT_EQ(Writes(r)["windows"][0]["start_ns"], 100 * kMs);
  EXPECT_EQ(Writes(r)["windows"][0]["end_ns"], 400 * kMs);
  EXPECT_EQ(Writes(r)["windows"][0]["failed_ops"], 0);
}

TEST(Availability, OneClientStuckIsAClientWindowNotASystemWindow) {
  History h;
  h.OkWrites(0, 0, 1000);
  h.OkWrites(1, 0, 200);
  for (Nanos t = 200; t < 600; t += 100) h.Write(1, t, t + 100, Outcome::kUnknown, ErrorClass::kTimeout);
  h.OkWrites(1, 600, 1000);
  auto r = h.Check();
  EXPECT_EQ(Writes(r)["count"], 0);
  const auto& pc = r["availability"]["per_client"];
  ASSERT_EQ(pc.size(), 2u);
  EXPECT_EQ(pc[0]["client"], 0);
  EXPECT_EQ(pc[0]["count"], 0);
  EXPECT_EQ(pc[1]["count"], 1);
  EXPECT_EQ(pc[1]["longest_ns"], 401 * kMs);
  EXPECT_DOUBLE_EQ(r["figures"]["client_unavailability.longest"], 0.401);
}

TEST(Availability, AllClientsFailingIsASystemWindow) {
  History h;
  for (int c = 0; c < 3; ++c) {
    h.OkWrites(c, 0, 100);
    for (Nanos t = 100; t < 400; t += 50) h.Write(c, t, t + 50, Outcome::kFail, ErrorClass::kRefused);
    h.OkWrites(c, 400 + c, 500);
  }
  auto r = h.Check();
  ASSERT_EQ(Writes(r)["count"], 1);
  EXPECT_EQ(Writes(r)["windows"][0]["start_ns"], 100 * kMs);
  EXPECT_EQ(Writes(r)["windows"][0]["end_ns"], 401 * kMs);  // the first ok of any client
  EXPECT_EQ(Writes(r)["windows"][0]["failed_ops"], 18);
  EXPECT_EQ(r["availability"]["per_client"][2]["longest_ns"], 303 * kMs);
}

TEST(Availability, OpsOutOfCompletionOrderGiveTheSameWindows) {
  History h;
  for (int c = 0; c < 4; ++c) {
    h.OkWrites(c, 0, 100);
    for (Nanos t = 100; t < 400; t += 50) h.Write(c, t, t + 50, Outcome::kFail, ErrorClass::kRefused);
    h.OkWrites(c, 400, 500);
  }
  auto in_order = h.Check();
  std::mt19937 rng(7);
  std::shuffle(h.ops().begin(), h.ops().end(), rng);
  auto shuffled = h.Check();
  EXPECT_EQ(in_order["availability"], shuffled["availability"]);
  EXPECT_EQ(in_order["latency"], shuffled["latency"]);
  EXPECT_EQ(Writes(shuffled)["count"], 1);
}

TEST(Availability, ReadsHaveTheirOwnWindows) {
  History h;
  h.OkWrites(0, 0, 1000);
  for (Nanos t = 0; t < 200; t += 10) h.Read(1, t, t + 10);
  for (Nanos t = 200; t < 500; t += 100) h.Read(1, t, t + 100, Outcome::kFail);
  for (Nanos t = 500; t < 1000; t += 10) h.Read(1, t, t + 10);
  auto r = h.Check();
  EXPECT_EQ(Writes(r)["count"], 0);
  ASSERT_FALSE(r["availability"]["reads"].is_null());
  EXPECT_EQ(r["availability"]["reads"]["count"], 1);
  EXPECT_EQ(r["availability"]["reads"]["windows"][0]["end_ns"], 510 * kMs);
  EXPECT_EQ(r["figures"]["read_unavailability.count"], 1);
}

TEST(Availability, WithoutReadsReadFiguresAreNotMeasured) {
  History h;
  h.OkWrites(0, 0, 10);
  auto r = h.Check();
  EXPECT_TRUE(r["availability"]["reads"].is_null());
  EXPECT_FALSE(r["figures"].contains("read_unavailability.longest"));
}

// ---------------------------------------------------------------- TTR

TEST(Ttr, RunsFromFaultStartToTheEndOfItsWindow) {
  History h;
  h.Fault(100, "m1");
  h.OkWrites(0, 0, 150);
  for (Nanos t = 150; t < 2000; t += 100) h.Write(0, t, t + 100, Outcome::kFail, ErrorClass::kRefused);
  h.OkWrites(0, 2050, 3000);  // first ok completes at 2051
  auto r = h.Check();
  EXPECT_EQ(r["faults"][0]["id"], "m1");
  EXPECT_EQ(r["faults"][0]["ttr_ns"], 1951 * kMs);
  EXPECT_DOUBLE_EQ(r["figures"]["ttr.m1"], 1.951);
  EXPECT_DOUBLE_EQ(r["figures"]["ttr"], 1.951);
}

TEST(Ttr, OverlappingFaultsEachRecoverAtTheSharedWindowEnd) {
  History h;
  h.Fault(100, "a");
  h.Fault(300, "b");  // starts while the window of "a" is still open
  h.OkWrites(0, 0, 200);
  for (Nanos t = 200; t < 1000; t += 100) h.Write(0, t, t + 100, Outcome::kFail, ErrorClass::kRefused);
  h.OkWrites(0, 1000, 1100);
  auto r = h.Check();
  EXPECT_EQ(r["faults"][0]["ttr_ns"], 901 * kMs);  // window ends at 1001
  EXPECT_EQ(r["faults"][1]["ttr_ns"], 701 * kMs);
  EXPECT_DOUBLE_EQ(r["figures"]["ttr"], 0.901);
}

TEST(Ttr, WindowAfterTheNextFaultStartsBelongsToTheNextFault) {
  History h;
  h.Fault(100, "a");
  h.Fault(500, "b");
  h.OkWrites(0, 0, 600);
  for (Nanos t = 600; t < 900; t += 100) h.Write(0, t, t + 100, Outcome::kFail, ErrorClass::kRefused);
  h.OkWrites(0, 900, 1000);
  auto r = h.Check();
  EXPECT_EQ(r["faults"][0]["ttr_ns"], 0);
  EXPECT_EQ(r["faults"][1]["ttr_ns"], 401 * kMs);
}

// "The window started within 100 ms of the fault" must fail for a window
// that was open long before it (a client that never reached the service):
// onset is the distance either side, not a signed difference.
TEST(Availability, OnsetIsTheDistanceOfTheWindowsStartFromTheFirstFaultEitherSide) {
  History h;
  h.Fault(2000, "m1");
  h.OkWrites(0, 0, 500);  // last ok completes at 500: the window opens 1.5 s before the fault
  for (Nanos t = 500; t < 3000; t += 100) h.Write(0, t, t + 100, Outcome::kFail, ErrorClass::kRefused);
  h.OkWrites(0, 3000, 3100);
  EXPECT_DOUBLE_EQ(h.Check()["figures"]["unavailability.onset"], 1.5);

  History late;
  late.Fault(100, "m1");
  late.OkWrites(0, 0, 400);  // the window opens 300 ms after the fault
  for (Nanos t = 400; t < 1000; t += 100) late.Write(0, t, t + 100, Outcome::kFail, ErrorClass::kRefused);
  late.OkWrites(0, 1000, 1100);
  EXPECT_DOUBLE_EQ(late.Check()["figures"]["unavailability.onset"], 0.3);

  History at;
  at.Fault(400, "m1");
  at.OkWrites(0, 0, 398);  // last ok completes at 398, 2 ms before the fault
  for (Nanos t = 398; t < 1000; t += 100) at.Write(0, t, t + 100, Outcome::kFail, ErrorClass::kRefused);
  at.OkWrites(0, 1000, 1100);
  EXPECT_DOUBLE_EQ(at.Check()["figures"]["unavailability.onset"], 0.002);
}

TEST(Ttr, FaultWithoutAnyWindowRecoversInZero) {
  History h;
  h.Fault(100, "r1");
  h.OkWrites(0, 0, 1000);
  auto r = h.Check();
  EXPECT_EQ(r["faults"][0]["ttr_ns"], 0);
  EXPECT_EQ(r["figures"]["ttr.r1"], 0.0);
}

// A fault the runner could not apply never came into force: it is listed and
// counted, and has no TTR; the window that follows belongs to the fault before
// it, and "before the first fault" counts from the first applied one.
TEST(Ttr, AFaultNotAppliedIsListedAndCountedButNotMeasured) {
  History h;
  h.Fault(100, "m1");
  Event& skipped = h.Ev(500, "fault-start");
  skipped.name = "m2";
  skipped.kind = "kill";
  skipped.detail = std::string(kFaultNotApplied) + "there is no single master to target now";
  h.OkWrites(0, 0, 150);
  for (Nanos t = 150; t < 2000; t += 100) h.Write(0, t, t + 100, Outcome::kFail, ErrorClass::kRefused);
  h.OkWrites(0, 2050, 3000);
  auto r = h.Check();
  ASSERT_EQ(r["faults"].size(), 2u) << r["faults"].dump();
  EXPECT_EQ(r["faults"][0]["id"], "m1");
  EXPECT_EQ(r["faults"][0]["applied"], true);
  EXPECT_EQ(r["faults"][0]["ttr_ns"], 1951 * kMs) << "the window is m1's, not the skipped fault's";
  EXPECT_EQ(r["faults"][1]["id"], "m2");
  EXPECT_EQ(r["faults"][1]["applied"], false);
  EXPECT_TRUE(r["faults"][1]["ttr_ns"].is_null());
  EXPECT_TRUE(r["faults"][1]["start_ns"].is_null());
  EXPECT_EQ(r["figures"]["faults.not_applied"], 1);
  EXPECT_FALSE(r["figures"].contains("ttr.m2"));
  EXPECT_DOUBLE_EQ(r["figures"]["ttr"], 1.951);
}

// ---------------------------------------------------------------- split brain

TEST(SplitBrain, TwoNodesReportingMasterMakeAnInterval) {
  History h;
  h.Role(0, "n1", "master");
  h.Role(0, "n2", "replica");
  h.Role(2000, "n2", "master");   // promoted while n1 (partitioned) still says master
  h.Role(5000, "n1", "replica");  // healed: n1 demoted
  auto r = h.Check();
  ASSERT_EQ(r["split_brain"]["intervals"].size(), 1u);
  EXPECT_EQ(r["split_brain"]["intervals"][0]["start_ns"], 2000 * kMs);
  EXPECT_EQ(r["split_brain"]["intervals"][0]["end_ns"], 5000 * kMs);
  EXPECT_EQ(r["split_brain"]["intervals"][0]["masters"], nlohmann::json({"n1", "n2"}));
  EXPECT_DOUBLE_EQ(r["figures"]["split_brain"], 3.0);
  EXPECT_EQ(r["figures"]["split_brain.count"], 1);
}

TEST(SplitBrain, CleanFailoverIsNoSplitBrain) {
  History h;
  h.Role(0, "n1", "master");
  h.Role(1000, "n1", "down");
  h.Role(2000, "n2", "master");
  auto r = h.Check();
  EXPECT_EQ(r["split_brain"]["intervals"].size(), 0u);
  EXPECT_EQ(r["figures"]["split_brain"], 0.0);
}

TEST(SplitBrain, StillSplitAtTheEndIsOpen) {
  History h;
  h.Role(0, "n1", "master");
  h.Role(1000, "n2", "master");
  h.OkWrites(0, 0, 3000);
  auto r = h.Check();
  ASSERT_EQ(r["split_brain"]["intervals"].size(), 1u);
  EXPECT_EQ(r["split_brain"]["intervals"][0]["end_ns"], 3000 * kMs);
  EXPECT_EQ(r["split_brain"]["intervals"][0]["open"], true);
}

// ---------------------------------------------------------------- latency

TEST(Latency, PercentilesAreWithinThreePercentOnAKnownDistribution) {
  History h;
  std::mt19937_64 rng(42);
  std::exponential_distribution<double> dist(1.0 / 2'000'000);  // mean 2 ms
  std::vector<Nanos> latencies;
  for (int i = 0; i < 200000; ++i) {
    Nanos l = 1000 + static_cast<Nanos>(dist(rng));
    latencies.push_back(l);
    Op& op = h.Write(i % 8, 0, 0);
    op.invoke = i * 1000;
    op.complete = op.invoke + l;
  }
  std::sort(latencies.begin(), latencies.end());
  auto exact = [&](double q) { return static_cast<double>(latencies[static_cast<size_t>(std::ceil(q * latencies.size())) - 1]); };
  auto r = h.Check();
  const auto& o = r["latency"]["overall"];
  EXPECT_EQ(o["count"], 200000);
  EXPECT_NEAR(o["p50_ns"].get<double>(), exact(0.5), exact(0.5) * 0.03);
  EXPECT_NEAR(o["p90_ns"].get<double>(), exact(0.9), exact(0.9) * 0.03);
  EXPECT_NEAR(o["p99_ns"].get<double>(), exact(0.99), exact(0.99) * 0.03);
  EXPECT_NEAR(o["p999_ns"].get<double>(), exact(0.999), exact(0.999) * 0.03);
  EXPECT_EQ(o["max_ns"], latencies.back());
  EXPECT_NEAR(r["figures"]["latency.p99"].get<double>(), exact(0.99) / 1e9, exact(0.99) / 1e9 * 0.03);
}

TEST(Latency, OnlyOkOpsCountAndEachSecondHasItsOwnPercentiles) {
  History h;
  h.Write(0, 0, 10);             // second 0, 10 ms
  h.Write(0, 1000, 1100);        // second 1, 100 ms
  h.Write(0, 1100, 1200, Outcome::kFail, ErrorClass::kRefused);
  auto r = h.Check();
  EXPECT_EQ(r["latency"]["overall"]["count"], 2);
  ASSERT_EQ(r["latency"]["per_second"].size(), 2u);
  EXPECT_EQ(r["latency"]["per_second"][1]["t_s"], 1);
  EXPECT_EQ(r["latency"]["per_second"][1]["max_ns"], 100 * kMs);
}

TEST(LogHistogram, BucketsTileTheNumberLine) {
  for (size_t b = 0; b < 2000; ++b) {
    EXPECT_EQ(LogHistogram::BucketOf(LogHistogram::BucketLow(b)), b);
    EXPECT_EQ(LogHistogram::BucketOf(LogHistogram::BucketHigh(b) - 1), b);
    EXPECT_EQ(LogHistogram::BucketHigh(b), LogHistogram::BucketLow(b + 1));
  }
}

// ---------------------------------------------------------------- throughput

TEST(Throughput, OpsAreCountedInTheBucketOfTheirCompletion) {
  History h;
  h.Write(0, 0, 50);
  h.Write(0, 50, 99);
  h.Write(0, 99, 150, Outcome::kFail, ErrorClass::kRefused);
  h.Write(0, 150, 350, Outcome::kUnknown, ErrorClass::kTimeout);
  auto r = h.Check();
  const auto& b = r["throughput"]["buckets"];
  EXPECT_EQ(r["throughput"]["bucket_ns"], 100 * kMs);
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0], nlohmann::json({{"ok", 2}, {"fail", 0}, {"unknown", 0}}));
  EXPECT_EQ(b[1]["fail"], 1);
  EXPECT_EQ(b[2]["ok"] , 0);
  EXPECT_EQ(b[3]["unknown"], 1);
  EXPECT_EQ(r["figures"]["ok_ops"], 2);
  EXPECT_EQ(r["figures"]["failed_ops"], 1);
  EXPECT_EQ(r["figures"]["unknown_ops"], 1);
}

// ---------------------------------------------------------------- timeline, failover

TEST(Timeline, RolesBecomeIntervalsEndingAtTheNextChange) {
  History h;
  h.Role(0, "n1", "master");
  h.Role(10, "n1", "master");  // repeated observation: same interval
  h.Role(5000, "n1", "down");
  h.Ev(6000, "vip").node = "n2";
  h.OkWrites(0, 0, 8000, 1000);
  auto r = h.Check();
  const auto& roles = r["timeline"]["roles"];
  ASSERT_EQ(roles.size(), 2u);
  EXPECT_EQ(roles[0], nlohmann::json({{"node", "n1"}, {"role", "master"}, {"start_ns", 0}, {"end_ns", 5000 * kMs}}));
  EXPECT_EQ(roles[1]["end_ns"], 8000 * kMs);
  EXPECT_EQ(r["timeline"]["vip"][0], nlohmann::json({{"node", "n2"}, {"start_ns", 6000 * kMs}, {"end_ns", 8000 * kMs}}));
}

TEST(Failover, AnatomyListsEachStepInOrder) {
  History h;
  h.Role(0, "n1", "master");
  h.Role(0, "n2", "replica");
  h.Ev(0, "vip").node = "n1";
  h.OkWrites(0, 0, 1000);
  h.Fault(1000, "m1");
  for (Nanos t = 1000; t < 7300; t += 100) h.Write(0, t, t + 100, Outcome::kFail, ErrorClass::kRefused);
  h.Sentinel(6050, "n3", "+sdown");
  h.Sentinel(6000, "n2", "+sdown", "slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.1 6379");
  h.Sentinel(6010, "n2", "+sdown");  // the earliest master +sdown over all Sentinels
  h.Sentinel(6100, "n2", "+odown");
  h.Sentinel(6900, "n2", "+elected-leader");
  h.Sentinel(7100, "n2", "+promoted-slave");
  h.Sentinel(7150, "n2", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6379");
  h.Sentinel(7160, "n3", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6379");
  h.Role(7120, "n2", "master");
  h.Ev(6960, "became-master").node = "n2";  // its own log: before Sentinel's notice
  h.Ev(7200, "vip").node = "n2";
  h.OkWrites(0, 7300, 8000);
  auto r = h.Check();
  ASSERT_EQ(r["failovers"].size(), 1u);
  const auto& f = r["failovers"][0];
  EXPECT_EQ(f["fault_id"], "m1");
  EXPECT_EQ(f["fault_start_ns"], 1000 * kMs);
  EXPECT_EQ(f["sdown_ns"], 6010 * kMs);
  EXPECT_EQ(f["odown_ns"], 6100 * kMs);
  EXPECT_EQ(f["elected_leader_ns"], 6900 * kMs);
  EXPECT_EQ(f["became_master_ns"], 6960 * kMs);
  EXPECT_EQ(f["promoted_ns"], 7100 * kMs);
  EXPECT_EQ(f["switch_master_ns"], 7150 * kMs);
  EXPECT_EQ(f["vip_moved_ns"], 7200 * kMs);
  EXPECT_EQ(f["first_ok_ns"], 7301 * kMs);
  EXPECT_EQ(f["old_master"], "n1");
  EXPECT_EQ(f["new_master"], "n2");
  EXPECT_EQ(r["figures"]["failovers"], 1);  // two Sentinels, one switch
  EXPECT_DOUBLE_EQ(r["figures"]["failover.time"], 6.15);
}

// A starved Sentinel marks the fresh master down and a second failover
// follows the same fault: each +switch-master has its own entry.
TEST(Failover, TwoSwitchesAfterOneFaultAreTwoFailovers) {
  History h;
  h.Role(0, "n1", "master");
  h.Ev(0, "vip").node = "n1";
  h.OkWrites(0, 0, 1000);
  h.Fault(1000, "m1");
  h.Sentinel(2000, "n2", "+sdown");
  h.Sentinel(2010, "n2", "+odown");
  h.Sentinel(2020, "n2", "+elected-leader");
  h.Ev(2100, "became-master").node = "n2";
  h.Sentinel(2500, "n2", "+promoted-slave");
  h.Sentinel(2600, "n2", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6379");
  h.Sentinel(2605, "n3", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6379");
  h.Ev(2620, "vip").node = "n2";
  h.OkWrites(0, 2700, 3000);
  h.Sentinel(4000, "n3", "+sdown", "master mymaster 10.0.0.2 6379");
  h.Sentinel(4010, "n3", "+odown", "master mymaster 10.0.0.2 6379");
  h.Sentinel(4020, "n3", "+elected-leader", "master mymaster 10.0.0.2 6379");
  h.Ev(4100, "became-master").node = "n3";
  h.Sentinel(3600, "n2", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6379");  // the leader, a second late
  h.Sentinel(3610, "n2", "+odown", "master mymaster 10.0.0.1 6379");  // late news of the first failover
  h.Sentinel(4500, "n3", "+promoted-slave", "slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.2 6379");
  h.Sentinel(4600, "n3", "+switch-master", "mymaster 10.0.0.2 6379 10.0.0.3 6379");
  h.Sentinel(4601, "n2", "+switch-master", "mymaster 10.0.0.2 6379 10.0.0.3 6379");
  h.Ev(4630, "vip").node = "n3";
  h.OkWrites(0, 4700, 5000);
  auto r = h.Check();
  EXPECT_EQ(r["figures"]["failovers"], 2);
  ASSERT_EQ(r["failovers"].size(), 2u);
  const auto& a = r["failovers"][0];
  const auto& b = r["failovers"][1];
  EXPECT_EQ(a["switch_master_ns"], 2600 * kMs);
  EXPECT_EQ(a["became_master_ns"], 2100 * kMs);
  EXPECT_EQ(a["vip_moved_ns"], 2620 * kMs);
  EXPECT_EQ(a["old_master"], "n1");
  EXPECT_EQ(a["new_master"], "n2");
  EXPECT_EQ(b["fault_id"], "m1");
  EXPECT_EQ(b["sdown_ns"], 4000 * kMs);
  EXPECT_EQ(b["odown_ns"], 4010 * kMs);
  EXPECT_EQ(b["elected_leader_ns"], 4020 * kMs);
  EXPECT_EQ(b["became_master_ns"], 4100 * kMs);
  EXPECT_EQ(b["promoted_ns"], 4500 * kMs);
  EXPECT_EQ(b["switch_master_ns"], 4600 * kMs);
  EXPECT_EQ(b["vip_moved_ns"], 4630 * kMs);
  EXPECT_EQ(b["old_master"], "n2");
  EXPECT_EQ(b["new_master"], "n3");
  EXPECT_EQ(b["first_ok_ns"], 4701 * kMs);
}

// Sentinel failed over twice after one kill (a starved Sentinel marked the
// fresh master down): each failover's steps come from its own interval. The
// VIP is moved by the hook on each host: it is added on the new master while
// the old one still holds it ("n1,n2"), and dropped from the old one when
// that host's Sentinel learns of the switch, which can be after the switch
// ("n2"). That drop is not the second failover's VIP move: the VIP moves when
// it appears on the failover's new master, after its promotion. A lagging
// Sentinel that reports a switch from its stale view to the current master
// is no third failover.
TEST(Failover, EachOfTwoFailoversTakesItsStepsFromItsOwnInterval) {
  History h;
  h.meta_["topology"]["servers"] = {{{"name", "n1"}, {"address", "10.0.0.1"}},
                                    {{"name", "n2"}, {"address", "10.0.0.2"}},
                                    {{"name", "n3"}, {"address", "10.0.0.3"}}};
  h.Role(0, "n1", "master");
  h.Role(0, "n2", "replica");
  h.Role(0, "n3", "replica");
  h.Ev(0, "vip").node = "n1";
  h.OkWrites(0, 0, 2000);
  h.Fault(2000, "k");
  for (Nanos t = 2000; t < 4300; t += 100) h.Write(1, t, t + 100, Outcome::kFail, ErrorClass::kRefused);
  // First failover: n1 -> n2, led by n3's Sentinel.
  const std::string m1 = "master mymaster 10.0.0.1 6379";
  h.Sentinel(3010, "n3", "+sdown", m1);
  h.Sentinel(3000, "n2", "+sdown", m1);
  h.Sentinel(3050, "n3", "+odown", m1 + " #quorum 2/2");
  h.Sentinel(3100, "n3", "+elected-leader", m1);
  h.Ev(3200, "became-master").node = "n2";
  h.Role(3220, "n2", "master");
  h.Sentinel(3900, "n3", "+promoted-slave", "slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379");
  h.Sentinel(4000, "n1", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6379");
  h.Sentinel(4005, "n2", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6379");
  h.Ev(4020, "vip").node = "n1,n2";  // added on n2
  h.Sentinel(4100, "n3", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6379");
  h.Ev(4270, "vip").node = "n2";  // dropped on n1, after the switch
  h.OkWrites(0, 4300, 5000);
  // Second failover: n2 -> n3, led by n1's Sentinel.
  const std::string m2 = "master mymaster 10.0.0.2 6379";
  h.Sentinel(5100, "n1", "+sdown", m2);
  h.Sentinel(5150, "n1", "+odown", m2 + " #quorum 2/2");
  h.Sentinel(5200, "n1", "+elected-leader", m2);
  h.Ev(5500, "became-master").node = "n3";
  h.Role(5520, "n3", "master");
  h.Role(5600, "n2", "replica");
  h.Sentinel(6300, "n1", "+promoted-slave", "slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.2 6379");
  h.Sentinel(6350, "n1", "+switch-master", "mymaster 10.0.0.2 6379 10.0.0.3 6379");
  h.Ev(6380, "vip").node = "n2,n3";  // added on n3
  h.Ev(6400, "vip").node = "n3";     // dropped on n2
  h.Sentinel(6410, "n2", "+switch-master", "mymaster 10.0.0.2 6379 10.0.0.3 6379");
  h.Sentinel(6500, "n3", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.3 6379");  // catching up
  h.OkWrites(0, 6500, 7000);
  auto r = h.Check();
  EXPECT_EQ(r["figures"]["failovers"], 2);
  ASSERT_EQ(r["failovers"].size(), 2u) << r["failovers"].dump(1);
  const auto& a = r["failovers"][0];
  EXPECT_EQ(a["sdown_ns"], 3000 * kMs);
  EXPECT_EQ(a["odown_ns"], 3050 * kMs);
  EXPECT_EQ(a["elected_leader_ns"], 3100 * kMs);
  EXPECT_EQ(a["became_master_ns"], 3200 * kMs);
  EXPECT_EQ(a["promoted_ns"], 3900 * kMs);
  EXPECT_EQ(a["switch_master_ns"], 4000 * kMs);
  EXPECT_EQ(a["vip_moved_ns"], 4020 * kMs);
  EXPECT_EQ(a["first_ok_ns"], 4301 * kMs);
  EXPECT_EQ(a["old_master"], "n1");
  EXPECT_EQ(a["new_master"], "n2");
  const auto& b = r["failovers"][1];
  EXPECT_EQ(b["fault_id"], "k");
  EXPECT_EQ(b["sdown_ns"], 5100 * kMs);
  EXPECT_EQ(b["odown_ns"], 5150 * kMs);
  EXPECT_EQ(b["elected_leader_ns"], 5200 * kMs);
  EXPECT_EQ(b["became_master_ns"], 5500 * kMs);
  EXPECT_EQ(b["promoted_ns"], 6300 * kMs);
  EXPECT_EQ(b["switch_master_ns"], 6350 * kMs);
  EXPECT_EQ(b["vip_moved_ns"], 6380 * kMs) << "the VIP appeared on n3, not n1 dropping it at 4.27 s";
  EXPECT_EQ(b["first_ok_ns"], 6501 * kMs);
  EXPECT_EQ(b["old_master"], "n2");
  EXPECT_EQ(b["new_master"], "n3");
  // Every step at or after the steps it follows.
  for (const auto& f : r["failovers"]) {
    std::vector<int64_t> order;
    for (const char* step : {"fault_start_ns", "sdown_ns", "odown_ns", "elected_leader_ns", "became_master_ns",
                             "promoted_ns", "switch_master_ns"})
      order.push_back(f[step].get<int64_t>());
    EXPECT_TRUE(std::is_sorted(order.begin(), order.end())) << f.dump();
    EXPECT_GE(f["vip_moved_ns"].get<int64_t>(), f["became_master_ns"].get<int64_t>()) << f.dump();
    EXPECT_GE(f["first_ok_ns"].get<int64_t>(), f["vip_moved_ns"].get<int64_t>()) << f.dump();
    EXPECT_GE(f["first_ok_ns"].get<int64_t>(), f["switch_master_ns"].get<int64_t>()) << f.dump();
  }
}

// A retried failover (the first leader's promotion of n2 timed out, the next
// leader promoted n3) is one failover to the node its switch names, and a
// VIP move that a starved host makes late, after the next failover's switch,
// is still its own failover's move.
TEST(Failover, PromotionIsOfTheNodeTheSwitchNamesAndALateVipMoveIsItsOwn) {
  History h;
  h.meta_["topology"]["servers"] = {{{"name", "n1"}, {"address", "10.0.0.1"}},
                                    {{"name", "n2"}, {"address", "10.0.0.2"}},
                                    {{"name", "n3"}, {"address", "10.0.0.3"}}};
  h.Role(0, "n1", "master");
  h.Ev(0, "vip").node = "n1";
  h.OkWrites(0, 0, 1000);
  h.Fault(1000, "k");
  const std::string m1 = "master mymaster 10.0.0.1 6379";
  h.Sentinel(2000, "n2", "+sdown", m1);
  h.Sentinel(2050, "n2", "+odown", m1);
  h.Sentinel(2100, "n2", "+elected-leader", m1);
  h.Ev(2200, "became-master").node = "n2";  // first attempt, abandoned
  h.Sentinel(6100, "n3", "+elected-leader", m1);
  h.Ev(6200, "became-master").node = "n3";
  h.Sentinel(6900, "n3", "+promoted-slave", "slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.1 6379");
  h.Sentinel(7000, "n3", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.3 6379");
  h.OkWrites(0, 7100, 8000);
  const std::string m3 = "master mymaster 10.0.0.3 6379";
  h.Sentinel(8100, "n1", "+sdown", m3);
  h.Sentinel(8150, "n1", "+odown", m3);
  h.Sentinel(8200, "n1", "+elected-leader", m3);
  h.Ev(8300, "became-master").node = "n2";
  h.Sentinel(9000, "n1", "+promoted-slave", "slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.3 6379");
  h.Sentinel(9100, "n1", "+switch-master", "mymaster 10.0.0.3 6379 10.0.0.2 6379");
  h.Ev(9150, "vip").node = "n2";     // added on n2
  h.Ev(9400, "vip").node = "n2,n3";  // n3's starved host adds it for the first failover, late
  h.Ev(9450, "vip").node = "n2";     // and drops it for the second
  h.OkWrites(0, 9500, 10000);
  auto r = h.Check();
  ASSERT_EQ(r["failovers"].size(), 2u) << r["failovers"].dump(1);
  const auto& a = r["failovers"][0];
  EXPECT_EQ(a["elected_leader_ns"], 2100 * kMs) << "the first election: the retry shows as the gap after it";
  EXPECT_EQ(a["became_master_ns"], 6200 * kMs) << "n3's promotion, not the abandoned one of n2";
  EXPECT_EQ(a["new_master"], "n3");
  EXPECT_EQ(a["vip_moved_ns"], 9400 * kMs);
  const auto& b = r["failovers"][1];
  EXPECT_EQ(b["old_master"], "n3");
  EXPECT_EQ(b["new_master"], "n2");
  EXPECT_EQ(b["became_master_ns"], 8300 * kMs);
  EXPECT_EQ(b["vip_moved_ns"], 9150 * kMs);
}

// Checkers read the shared analysis (ok writes per client, write windows,
// faults with their time to recover), never each other: any order of their
// Finish calls gives the same results. (Before the analysis, the failover
// anatomy's first ok write and TTR came from the availability checker's
// fields, so it had to run first.)
TEST(RunChecksOrder, ShuffledCheckersGiveIdenticalResults) {
  History h;
  h.Role(0, "n1", "master");
  h.Role(0, "n2", "replica");
  h.Ev(0, "vip").node = "n1";
  h.OkWrites(0, 0, 1000);
  h.OkWrites(1, 0, 1000, 2);
  h.Read(2, 10, 20);
  h.Fault(1000, "m1");
  for (Nanos t = 1000; t < 7300; t += 100) h.Write(0, t, t + 100, Outcome::kFail, ErrorClass::kRefused);
  for (Nanos t = 1000; t < 7300; t += 100) h.Read(2, t, t + 100, Outcome::kFail);
  h.Sentinel(6010, "n2", "+sdown");
  h.Sentinel(6100, "n2", "+odown");
  h.Sentinel(6900, "n2", "+elected-leader");
  h.Sentinel(7100, "n2", "+promoted-slave");
  h.Sentinel(7150, "n2", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6379");
  h.Role(7120, "n2", "master");
  h.Role(7130, "n1", "replica");
  h.Ev(7200, "vip").node = "n2";
  h.OkWrites(0, 7300, 8000);
  h.OkWrites(1, 7400, 8000, 3);
  h.Fault(8500, "p2");
  h.OkWrites(0, 8000, 9000);
  std::vector<std::string> present;
  for (const Op& op : h.ops())
    if (op.kind == OpKind::kWrite && op.outcome == Outcome::kOk && op.complete < 500 * kMs) present.push_back(op.value);
  h.FinalRead("n2", "master", present);
  h.FinalRead("n1", "replica", present);
  const CheckSettings settings;
  const nlohmann::json expected = h.Check(settings);
  ASSERT_EQ(expected["failovers"].size(), 1u);
  EXPECT_EQ(expected["failovers"][0]["first_ok_ns"], 7301 * kMs);
  EXPECT_EQ(expected["faults"][0]["ttr_ns"], 6301 * kMs);
  EXPECT_GT(expected["figures"]["lost"].get<int64_t>(), 0);
  // The role intervals (shared analysis) feed three checkers: n1 still
  // master 10 ms after n2's promotion is a split brain, the timeline's lanes
  // and the anatomy's old and new master.
  ASSERT_EQ(expected["split_brain"]["intervals"].size(), 1u);
  EXPECT_EQ(expected["split_brain"]["intervals"][0]["start_ns"], 7120 * kMs);
  EXPECT_EQ(expected["split_brain"]["intervals"][0]["end_ns"], 7130 * kMs);
  EXPECT_EQ(expected["timeline"]["roles"].size(), 4u);
  EXPECT_EQ(expected["failovers"][0]["old_master"], "n1");
  EXPECT_EQ(expected["failovers"][0]["new_master"], "n2");
  std::mt19937 rng(12345);
  for (int round = 0; round < 20; ++round) {
    auto checkers = MakeCheckers(settings);
    std::shuffle(checkers.begin(), checkers.end(), rng);
    if (round == 0) std::reverse(checkers.begin(), checkers.end());  // availability last
    // The journal's order is only roughly time order: half the rounds get
    // the events shuffled too.
    std::vector<Event> events = h.events();
    if (round % 2 == 1) std::shuffle(events.begin(), events.end(), rng);
    const nlohmann::json got = RunChecks(h.meta_, h.ops(), events, settings, std::move(checkers));
    ASSERT_EQ(got, expected) << "round " << round << ":\n" << nlohmann::json::diff(expected, got).dump(1);
  }
}

// Role intervals are part of the shared analysis, computed once before any
// checker's Finish: every node's role from one change to the next (a repeated
// observation extends it), the last lasting to the end of the journal.
TEST(RunChecksOrder, RoleIntervalsAreInTheSharedAnalysis) {
  struct Probe : Checker {
    std::vector<RoleInterval>* intervals;
    std::vector<std::vector<std::string>>* masters;
    void Finish(const CheckContext& ctx, nlohmann::json&) override {
      *intervals = ctx.role_intervals;
      for (Nanos t : {0 * kMs, 1 * kMs, 2000 * kMs, 2001 * kMs, 5000 * kMs, 5001 * kMs, 9000 * kMs})
        masters->push_back(ctx.MastersBefore(t));
    }
  };
  History h;
  h.Role(0, "n1", "master");
  h.Role(0, "n2", "replica");
  h.Role(1000, "n2", "replica");  // repeated: the same interval
  h.Role(2000, "n2", "master");   // promoted while n1 (partitioned) still says master
  h.Role(5000, "n1", "replica");
  h.OkWrites(0, 0, 6000, 1000);
  std::vector<RoleInterval> intervals;
  std::vector<std::vector<std::string>> masters;
  std::vector<std::unique_ptr<Checker>> checkers;
  auto probe = std::make_unique<Probe>();
  probe->intervals = &intervals;
  probe->masters = &masters;
  checkers.push_back(std::move(probe));
  RunChecks(h.meta_, h.ops(), h.events(), CheckSettings(), std::move(checkers));
  ASSERT_EQ(intervals.size(), 4u);
  auto is = [](const RoleInterval& r, const char* node, const char* role, Nanos start, Nanos end, bool to_end) {
    return r.node == node && r.role == role && r.start_ns == start && r.end_ns == end && r.to_end == to_end;
  };
  EXPECT_TRUE(is(intervals[0], "n2", "replica", 0, 2000 * kMs, false));  // by start, then end
  EXPECT_TRUE(is(intervals[1], "n1", "master", 0, 5000 * kMs, false));
  EXPECT_TRUE(is(intervals[2], "n2", "master", 2000 * kMs, 6000 * kMs, true));
  EXPECT_TRUE(is(intervals[3], "n1", "replica", 5000 * kMs, 6000 * kMs, true));
  using V = std::vector<std::string>;
  EXPECT_EQ(masters, (std::vector<V>{V{}, V{"n1"}, V{"n1"}, V{"n1", "n2"}, V{"n1", "n2"}, V{"n2"}, V{"n2"}}));
}

TEST(Failover, FaultWithoutMasterDownHasNoAnatomy) {
  History h;
  h.Fault(1000, "r1");
  h.Sentinel(2000, "n2", "+sdown", "slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.1 6379");
  h.OkWrites(0, 0, 3000);
  auto r = h.Check();
  EXPECT_EQ(r["failovers"].size(), 0u);
  EXPECT_EQ(r["figures"]["failovers"], 0);
  EXPECT_FALSE(r["figures"].contains("failover.time"));
}

// ---------------------------------------------------------------- figures

TEST(Figures, EveryTableNameIsKnownAndTtrTakesAnyId) {
  for (const auto& name : KnownFigureNames()) {
    if (name != "ttr.<ID>") {
      EXPECT_TRUE(IsKnownFigure(name)) << name;
    }
  }
  EXPECT_TRUE(IsKnownFigure("ttr.m1"));
  EXPECT_TRUE(IsKnownFigure("ttr.kill-master_2"));
  EXPECT_FALSE(IsKnownFigure("ttr."));
  EXPECT_FALSE(IsKnownFigure("latency.p95"));
  EXPECT_FALSE(IsKnownFigure("unavailability"));
  EXPECT_TRUE(FigureIsDuration("unavailability.longest"));
  EXPECT_TRUE(FigureIsDuration("ttr.m1"));
  EXPECT_TRUE(FigureIsDuration("latency.max"));
  EXPECT_FALSE(FigureIsDuration("unavailability.count"));
  EXPECT_FALSE(FigureIsDuration("lost"));
  EXPECT_FALSE(FigureIsDuration("nonsense"));
}

TEST(Figures, EveryFigureProducedIsKnown) {
  History h;
  h.Role(0, "n1", "master");
  h.Fault(100, "m1");
  h.OkWrites(0, 0, 100);
  h.Read(1, 0, 1);
  h.Sentinel(150, "n2", "+switch-master", "mymaster a 1 b 2");
  h.FinalRead("n1", "master", {"c0-0"});
  h.Ev(200, "settle").detail = "settled";
  auto r = h.Check();
  EXPECT_EQ(r["figures"]["settled"], 1);
  for (const auto& [name, value] : r["figures"].items()) {
    EXPECT_TRUE(IsKnownFigure(name)) << name;
    EXPECT_TRUE(value.is_number()) << name;
  }
  for (const char* name : {"unavailability.longest", "client_unavailability.longest", "ttr", "ttr.m1",
                           "attempted", "lost", "split_brain", "failovers", "failover.time",
                           "latency.p50", "ok_ops", "diverged", "read_unavailability.count"}) {
    EXPECT_TRUE(r["figures"].contains(name)) << name;
  }
}

// ---------------------------------------------------------------- from a journal file

class RunChecksFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sc-checkers-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(RunChecksFile, ReadsTheJournalOnceAndFillsEverySection) {
  std::string path = (dir_ / "history.jsonl").string();
  {
    JournalWriter w(path, {{"workload", "set"}});
    History h;
    h.Role(0, "n1", "master");
    h.OkWrites(0, 0, 100);
    h.FinalRead("n1", "master", {"c0-0"});
    h.Ev(300, "settle").detail = "did not settle: replicas lagging";
    for (const Op& op : h.ops()) w.Append(op);
    for (const Event& ev : h.events()) w.Append(ev);
  }
  std::string warning = "unset";
  auto r = RunChecks(path, CheckSettings(), &warning);
  EXPECT_EQ(warning, "");
  for (const char* key : {"settings", "settle", "faults", "availability", "data_loss", "divergence",
                          "split_brain", "latency", "throughput", "timeline", "failovers", "figures"}) {
    EXPECT_TRUE(r.contains(key)) << key;
  }
  EXPECT_EQ(r["settings"]["gap_threshold_ns"], 50 * kMs);
  EXPECT_EQ(r["data_loss"]["lost"], 99);
  EXPECT_EQ(r["figures"]["ok_ops"], 100);
  EXPECT_EQ(r["settle"]["settled"], false);
  EXPECT_EQ(r["settle"]["reason"], "did not settle: replicas lagging");
  EXPECT_EQ(r["figures"]["settled"], 0);
}

TEST_F(RunChecksFile, DamagedJournalIsCheckedUpToTheDamageWithAWarning) {
  std::string path = (dir_ / "history.jsonl").string();
  {
    JournalWriter w(path, nlohmann::json::object());
    History h;
    h.OkWrites(0, 0, 10);
    for (const Op& op : h.ops()) w.Append(op);
  }
  { std::ofstream(path, std::ios::app) << "{\"t\":\"op\",\"c\":0,\"s\""; }
  std::string warning;
  auto r = RunChecks(path, CheckSettings(), &warning);
  EXPECT_NE(warning.find("journal damaged here"), std::string::npos) << warning;
  EXPECT_EQ(r["journal_warning"], warning);
  EXPECT_EQ(r["figures"]["ok_ops"], 10);
}

// The system-wide write windows feed each bucket's earliest and latest ok
// completion instead of merging every client's: on random runs (bursts of
// oks, gaps around the threshold, ties, failed and slow ops, thresholds from
// 1 ns up) the windows are exactly those of feeding every completion in order.
TEST(FeedInOrder, GivesTheSameWindowsAsFeedingEveryCompletionMerged) {
  std::mt19937_64 rng(11);
  auto same = [](const std::vector<UnavailabilityWindow>& a, const std::vector<UnavailabilityWindow>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].start_ns != b[i].start_ns || a[i].end_ns != b[i].end_ns || a[i].open != b[i].open ||
          a[i].failed_ops != b[i].failed_ops || a[i].unknown_ops != b[i].unknown_ops || a[i].errors != b[i].errors)
        return false;
    }
    return true;
  };
  int with_windows = 0;
  for (int round = 0; round < 300; ++round) {
    const Nanos threshold = std::vector<Nanos>{1, 7, 100, 1000, 100'000}[rng() % 5];
    const size_t clients = 1 + rng() % 6;
    std::vector<Paged<Nanos>> lanes(clients);
    std::vector<Nanos> all;
    std::vector<TroubleOp> troubles;
    for (size_t c = 0; c < clients; ++c) {
      Nanos t = static_cast<Nanos>(rng() % 50);
      for (int i = 0, n = static_cast<int>(rng() % 400); i < n; ++i) {
        // Mostly close together, sometimes a gap near or past the threshold.
        const int kind = static_cast<int>(rng() % 20);
        t += kind == 0 ? threshold * (1 + static_cast<Nanos>(rng() % 5)) : kind == 1 ? threshold : static_cast<Nanos>(rng() % 3);
        if (rng() % 8 == 0) {
          troubles.push_back({t, t - static_cast<Nanos>(rng() % (3 * threshold + 1)), static_cast<uint32_t>(c),
                              rng() % 2 ? Outcome::kFail : Outcome::kUnknown,
                              rng() % 2 ? ErrorClass::kRefused : ErrorClass::kTimeout});
          continue;
        }
        lanes[c].push_back(t);
        all.push_back(t);
      }
    }
    std::sort(troubles.begin(), troubles.end(), [](const TroubleOp& a, const TroubleOp& b) { return a.complete < b.complete; });
    std::sort(all.begin(), all.end());
    const Nanos end = (all.empty() ? 0 : all.back()) + static_cast<Nanos>(rng() % (2 * threshold + 1));
    UnavailabilityWindows fed(0, threshold, troubles.data(), troubles.data() + troubles.size());
    UnavailabilityWindows merged(0, threshold, troubles.data(), troubles.data() + troubles.size());
    FeedInOrder(lanes, threshold, fed);
    for (Nanos t : all) merged.OnOk(t);
    const auto a = fed.Finish(end), b = merged.Finish(end);
    ASSERT_TRUE(same(a, b)) << "round " << round << ": " << a.size() << " windows against " << b.size();
    with_windows += !b.empty();
  }
  EXPECT_GT(with_windows, 100);  // the comparison saw windows, not only empty runs
}

}  // namespace
}  // namespace sc
