#include "harness/history/history.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "harness/history/json_line.h"

namespace sc {
namespace {

namespace fs = std::filesystem;

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sc-history-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  struct Read {
    nlohmann::json meta;
    std::vector<Op> ops;
    std::vector<Event> events;
    std::string warning;
  };
  Read ReadAll(const std::string& path) {
    Read r;
    JournalReader reader;
    reader.on_meta = [&](const nlohmann::json& m) { r.meta = m; };
    reader.on_op = [&](const Op& op) { r.ops.push_back(op); };
    reader.on_event = [&](const Event& ev) { r.events.push_back(ev); };
    r.warning = reader.Read(path);
    return r;
  }

  fs::path dir_;
};

Op MakeOp(int client, uint64_t seq, Outcome o = Outcome::kOk) {
  Op op;
  op.client = client;
  op.seq = seq;
  op.value = "c" + std::to_string(client) + "-" + std::to_string(seq);
  op.invoke = 1000000 * static_cast<int64_t>(seq);  // whole microseconds: the journal keeps them exactly
  op.complete = op.invoke + 500000;
  op.outcome = o;
  op.server = "10.213.4.11:6379";
  return op;
}

void ExpectSameOp(const Op& a, const Op& b) {
  EXPECT_EQ(a.client, b.client);
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.value, b.value);
  EXPECT_EQ(a.invoke, b.invoke);
  EXPECT_EQ(a.complete, b.complete);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.error, b.error);
  EXPECT_EQ(a.error_text, b.error_text);
  EXPECT_EQ(a.server, b.server);
}

TEST(Enums, ToStringAndParseRoundTrip) {
  for (ErrorClass e : {ErrorClass::kNone, ErrorClass::kRefused, ErrorClass::kTimeout,
                       ErrorClass::kReset, ErrorClass::kReadonly, ErrorClass::kNoreplicas,
                       ErrorClass::kLoading, ErrorClass::kMasterdown, ErrorClass::kNoMaster,
                       ErrorClass::kOther}) {
    EXPECT_EQ(ParseErrorClass(ToString(e)), e);
  }
  for (Outcome o : {Outcome::kOk, Outcome::kFail, Outcome::kUnknown}) {
    EXPECT_EQ(ParseOutcome(ToString(o)), o);
  }
  EXPECT_EQ(ParseOpKind(ToString(OpKind::kRead)), OpKind::kRead);
  EXPECT_EQ(ParseOpKind("w"), OpKind::kWrite);
  EXPECT_FALSE(ParseOutcome("maybe"));
  EXPECT_EQ(ParseErrorClass("readonly"), ErrorClass::kReadonly);
}

TEST(RunClock, StartsNearZeroAndMovesForward) {
  RunClock clock;
  Nanos a = clock.Now();
  Nanos b = clock.Now();
  EXPECT_GE(a, 0);
  EXPECT_LT(a, 1'000'000'000);
  EXPECT_GE(b, a);
  EXPECT_EQ(clock.WallStart().size(), std::string("2026-11-26T12:00:00.000000Z").size());
  EXPECT_EQ(clock.WallStart().back(), 'Z');
}

// Sentinel logs +sdown and +odown in the same millisecond: the two stamps must
// map to the same run instant, or the failover anatomy sees +odown before the
// +sdown it follows (a clean-clone CI run failed so: odown_ns 10 ns "early").
TEST(RunClock, EqualWallStampsMapToEqualInstants) {
  RunClock clock;
  const int64_t stamp_us = clock.WallStartMicros() + 1'500'500;
  const Nanos first = clock.FromWallMicros(stamp_us);
  size_t differing = 0;
  for (int i = 0; i < 1000000; ++i)
    if (clock.FromWallMicros(stamp_us) != first) ++differing;
  EXPECT_EQ(differing, 0u) << "of 1000000 conversions of one stamp";
  // And the mapping is the clocks' own: within 1 ms of the wall start + 1.5005 s.
  EXPECT_NEAR(static_cast<double>(first), 1'500'500'000.0, 1e6);
}

TEST(ToJsonLine, OpLineHasFixedShortKeys) {
  Op op = MakeOp(3, 17, Outcome::kFail);
  op.error = ErrorClass::kRefused;
  op.error_text = "Connection refused";
  EXPECT_EQ(ToJsonLine(op),
            "{\"t\":\"op\",\"c\":3,\"s\":17,\"k\":\"w\",\"v\":\"c3-17\",\"i\":17000000,\"e\":17500000,"
            "\"o\":\"fail\",\"x\":\"refused\",\"m\":\"Connection refused\",\"srv\":\"10.213.4.11:6379\"}");
}

TEST(ToJsonLine, OpInstantsAreKeptToTheMicrosecond) {
  Op op = MakeOp(0, 1);
  op.invoke = 5100123456;
  op.complete = 5100123999;
  const std::string line = ToJsonLine(op);
  EXPECT_NE(line.find("\"i\":5100123000,\"e\":5100123000,"), std::string::npos) << line;
}

TEST(ToJsonLine, SetElementsAreWrittenAsSortedRangesAndOtherValuesAsThemselves) {
  Event ev;
  ev.type = "final-read";
  ev.values = {"c1-3", "c0-2", "c0-0", "c1-4", "c0-1", "c0-7", "c1-5", "c0-1", "x", "c2-01", "c3", "c-1", "7"};
  EXPECT_EQ(ToJsonLine(ev),
            "{\"t\":\"ev\",\"at\":0,\"type\":\"final-read\",\"ranges\":[\"c0-0..2\",\"c0-7\",\"c1-3..5\"],"
            "\"values\":[\"7\",\"c-1\",\"c2-01\",\"c3\",\"x\"]}");
}

TEST_F(JournalTest, RangesReadBackAsTheValuesTheyStandFor) {
  Event ev;
  ev.type = "final-read";
  ev.node = "n1";
  std::set<std::string> expected;
  for (int c = 0; c < 3; ++c)
    for (int q = 0; q < 1000; ++q)
      if (q % 97 != 13) {  // gaps, as lost writes leave them
        ev.values.push_back("c" + std::to_string(c) + "-" + std::to_string(q));
        expected.insert(ev.values.back());
      }
  ev.values.push_back("c0-0777x");
  expected.insert("c0-0777x");
  {
    JournalWriter w(Path("j.jsonl.zst"), nlohmann::json::object());
    w.Append(ev);
  }
  Read r = ReadAll(Path("j.jsonl.zst"));
  EXPECT_EQ(r.warning, "");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(std::set<std::string>(r.events[0].values.begin(), r.events[0].values.end()), expected);
  EXPECT_EQ(r.events[0].values.size(), expected.size());
}

TEST_F(JournalTest, RoundTripKeepsEveryField) {
  std::vector<Op> ops = {MakeOp(0, 0), MakeOp(1, 5, Outcome::kUnknown), MakeOp(7, 9)};
  ops[1].error = ErrorClass::kTimeout;
  ops[1].error_text = "quote \" backslash \\ tab \t and utf-8 \xc3\xa9";
  ops[2].kind = OpKind::kRead;
  ops[2].value = "";
  ops[2].server = "";
  Event ev;
  ev.at = 42;
  ev.type = "final-read";
  ev.node = "n1";
  ev.role = "master";
  ev.detail = "SMEMBERS sc:set";
  ev.values = {"c0-0", "c1-5"};
  ev.value = -3;
  Event fault;
  fault.at = 7;
  fault.type = "fault-start";
  fault.name = "m1";
  fault.kind = "kill";
  fault.target = "n1";
  fault.master = "n1";
  {
    JournalWriter w(Path("j.jsonl"), {{"run", "abc"}, {"seed", 42}});
    for (const Op& op : ops) w.Append(op);
    w.Append(ev);
    w.Append(fault);
  }
  Read r = ReadAll(Path("j.jsonl"));
  EXPECT_EQ(r.warning, "");
  EXPECT_EQ(r.meta["run"], "abc");
  EXPECT_EQ(r.meta["seed"], 42);
  ASSERT_EQ(r.ops.size(), ops.size());
  for (size_t i = 0; i < ops.size(); ++i) ExpectSameOp(r.ops[i], ops[i]);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].at, 42);
  EXPECT_EQ(r.events[0].type, "final-read");
  EXPECT_EQ(r.events[0].node, "n1");
  EXPECT_EQ(r.events[0].role, "master");
  EXPECT_EQ(r.events[0].detail, "SMEMBERS sc:set");
  EXPECT_EQ(r.events[0].values, ev.values);
  EXPECT_EQ(r.events[0].value, -3);
  EXPECT_EQ(r.events[1].name, "m1");
  EXPECT_EQ(r.events[1].kind, "kill");
  EXPECT_EQ(r.events[1].target, "n1");
  EXPECT_EQ(r.events[1].master, "n1");
}

TEST_F(JournalTest, FirstLineIsMeta) {
  { JournalWriter w(Path("j.jsonl"), {{"run", "x"}}); }
  std::ifstream in(Path("j.jsonl"));
  std::string line;
  std::getline(in, line);
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["t"], "meta");
  EXPECT_EQ(j["meta"]["run"], "x");
}

TEST_F(JournalTest, BigFinalReadIsSplitIntoParts) {
  Event ev;
  ev.type = "final-read";
  ev.node = "n2";
  ev.role = "replica";
  // Every other element: no two adjacent, so no range; values as written.
  for (int i = 0; i < 500000; i += 2) ev.values.push_back("c0-" + std::to_string(i));
  {
    JournalWriter w(Path("j.jsonl"), nlohmann::json::object());
    w.Append(ev);
  }
  Read r = ReadAll(Path("j.jsonl"));
  EXPECT_EQ(r.warning, "");
  ASSERT_EQ(r.events.size(), 3u);
  std::vector<std::string> all;
  for (const Event& part : r.events) {
    EXPECT_EQ(part.node, "n2");
    EXPECT_EQ(part.role, "replica");
    all.insert(all.end(), part.values.begin(), part.values.end());
  }
  std::sort(all.begin(), all.end());
  std::sort(ev.values.begin(), ev.values.end());
  EXPECT_EQ(all, ev.values);
}

TEST_F(JournalTest, TruncatedLastLineIsReportedNotFatal) {
  {
    JournalWriter w(Path("j.jsonl"), nlohmann::json::object());
    w.Append(MakeOp(0, 0));
    w.Append(MakeOp(0, 1));
  }
  std::string full = ToJsonLine(MakeOp(0, 2));
  {
    std::ofstream out(Path("j.jsonl"), std::ios::app);
    out << full.substr(0, full.size() / 2);  // a crash mid-line
  }
  Read r = ReadAll(Path("j.jsonl"));
  EXPECT_EQ(r.ops.size(), 2u);
  EXPECT_NE(r.warning.find(Path("j.jsonl") + ":4: journal damaged here ("), std::string::npos)
      << r.warning;
  EXPECT_NE(r.warning.find("read 2 entries before it"), std::string::npos) << r.warning;
}

TEST_F(JournalTest, GarbageLineInTheMiddleStopsReadingThere) {
  {
    JournalWriter w(Path("j.jsonl"), nlohmann::json::object());
    w.Append(MakeOp(0, 0));
  }
  {
    std::ofstream out(Path("j.jsonl"), std::ios::app);
    out << "\x01\x02 not json at all\n" << ToJsonLine(MakeOp(0, 1)) << "\n";
  }
  Read r = ReadAll(Path("j.jsonl"));
  EXPECT_EQ(r.ops.size(), 1u);
  EXPECT_NE(r.warning.find(":3: journal damaged here"), std::string::npos) << r.warning;
  EXPECT_NE(r.warning.find("read 1 entries before it"), std::string::npos) << r.warning;
}

// The reader splits and parses lines on two threads, a chunk of whole lines
// (2 MB) each: entries still arrive in file order, ops and events interleaved
// as written, across many chunks, with a damaged line's number exact.
TEST_F(JournalTest, ManyBatchesArriveInFileOrderWithExactLineNumbers) {
  const uint64_t kOps = 200000;  // about ten chunks
  {
    JournalWriter w(Path("j.jsonl.zst"), nlohmann::json::object());
    for (uint64_t i = 0; i < kOps; ++i) {
      w.Append(MakeOp(static_cast<int>(i % 8), i));
      if (i % 1000 == 999) {
        Event ev;
        ev.at = static_cast<Nanos>(i);
        ev.type = "note";
        ev.detail = "after op " + std::to_string(i);
        w.Append(ev);
      }
    }
  }
  std::vector<std::string> order;  // "o<seq>" / "e<detail>"
  JournalReader reader;
  reader.on_op = [&](const Op& op) { order.push_back("o" + std::to_string(op.seq)); };
  reader.on_event = [&](const Event& ev) { order.push_back("e" + ev.detail); };
  EXPECT_EQ(reader.Read(Path("j.jsonl.zst")), "");
  ASSERT_EQ(order.size(), kOps + kOps / 1000);
  size_t k = 0;
  for (uint64_t i = 0; i < kOps; ++i) {
    ASSERT_EQ(order[k++], "o" + std::to_string(i));
    if (i % 1000 == 999) ASSERT_EQ(order[k++], "eafter op " + std::to_string(i));
  }

  // A damaged line far into the file: line 1 is meta, ops are lines 2...
  {
    JournalWriter w(Path("d.jsonl"), nlohmann::json::object());
    for (uint64_t i = 0; i < 300000; ++i) w.Append(MakeOp(0, i));
  }
  {
    std::ofstream out(Path("d.jsonl"), std::ios::app);
    out << "\n{\"t\":\"op\",\"c\":\n" << ToJsonLine(MakeOp(0, 300000)) << "\n";
  }
  Read r = ReadAll(Path("d.jsonl"));
  EXPECT_EQ(r.ops.size(), 300000u);
  EXPECT_NE(r.warning.find(":300003: journal damaged here"), std::string::npos) << r.warning;
  EXPECT_NE(r.warning.find("read 300000 entries before it"), std::string::npos) << r.warning;
}

// A consumer that throws stops the reading thread: Read rethrows at once, and
// nothing is left running (the test would hang or crash otherwise).
TEST_F(JournalTest, AThrowingCallbackStopsTheReaderCleanly) {
  {
    JournalWriter w(Path("j.jsonl.zst"), nlohmann::json::object());
    for (uint64_t i = 0; i < 100000; ++i) w.Append(MakeOp(0, i));
  }
  for (int round = 0; round < 20; ++round) {
    int seen = 0;
    JournalReader reader;
    reader.on_op = [&](const Op&) {
      if (++seen == 1000 * round + 1) throw std::runtime_error("checker gave up");
    };
    EXPECT_THROW(reader.Read(Path("j.jsonl.zst")), std::runtime_error);
    EXPECT_EQ(seen, 1000 * round + 1);
  }
}

// The reader parses op lines in the writer's exact layout with a dedicated
// parser (ParseOpLineFast) and everything else with the general parsers. The
// fast parser must either decline a line or read exactly what the general
// parsers read from it. "{ " instead of "{" keeps a line away from the fast
// parser (it accepts no spaces) without changing its meaning.
void ExpectFastAgreesWithGeneral(const std::string& line, bool fast_should_take) {
  SCOPED_TRACE(line);
  Op general, fast, public_api;
  const std::string general_err = ParseOpLine("{ " + line.substr(1), &general);
  const bool took = ParseOpLineFast(line, &fast);
  EXPECT_EQ(took, fast_should_take);
  if (took) {
    EXPECT_EQ(general_err, "");
    ExpectSameOp(fast, general);
  }
  const std::string public_err = ParseOpLine(line, &public_api);
  EXPECT_EQ(public_err.empty(), general_err.empty()) << public_err << " / " << general_err;
  if (public_err.empty() && general_err.empty()) ExpectSameOp(public_api, general);
}

TEST(ParseOpLineFast, ReadsWhatTheGeneralParsersReadOrDeclines) {
  const std::string base = R"({"t":"op","c":3,"s":17,"k":"w","v":"c3-17","i":5100000000,"e":5100420000,"o":"ok")";
  // Taken: the writer's layout.
  ExpectFastAgreesWithGeneral(base + "}", true);
  ExpectFastAgreesWithGeneral(base + R"(,"srv":"10.213.4.11:6379@ab12cd34"})", true);
  ExpectFastAgreesWithGeneral(
      R"({"t":"op","c":0,"s":0,"k":"r","v":"","i":0,"e":1000,"o":"unknown","x":"timeout","m":"Resource temporarily unavailable","srv":"10.0.0.1:6379"})",
      true);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":-1,"s":2,"k":"w","v":"1","i":-5,"e":7,"o":"fail","x":"READONLY"})", true);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"fail","x":"readonly"})", true);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"fail","x":"weird"})", true);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"fail","x":""})", true);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":999999999999999999,"k":"w","v":"é","i":3,"e":4,"o":"ok"})", true);
  // Declined: escapes, spaces, other key orders, unknown or missing keys,
  // long forms, numbers the flat scanner does not take, damaged lines.
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"c1-\"2","i":3,"e":4,"o":"ok"})", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"a\\b","i":3,"e":4,"o":"ok"})", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"fail","m":"caf\u00e9 \"q\""})", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"ok","srv":"a\/b"})", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c": 1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"ok"})", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"ok" })", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","s":2,"c":1,"k":"w","v":"x","i":3,"e":4,"o":"ok"})", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"ok","zz":5})", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","zz":"y","v":"x","i":3,"e":4,"o":"ok"})", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"ok","srv":"a","m":"b"})", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"ok","srv":"a","srv":"b"})", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","i":3,"e":4,"o":"ok"})", false);  // no v: ""
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4})", false);  // no o: error
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"k":"w","v":"x","i":3,"e":4,"o":"ok"})", false);  // no s: error
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"write","v":"x","i":3,"e":4,"o":"info"})", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"q","v":"x","i":3,"e":4,"o":"ok"})", false);  // error
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"maybe"})", false);  // error
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3.5,"e":4e3,"o":"ok"})", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":1234567890123456789,"k":"w","v":"x","i":3,"e":4,"o":"ok"})",
                              false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"ok"}x)", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"ok")", false);
  ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x,"i":3,"e":4,"o":"ok"})", false);
  ExpectFastAgreesWithGeneral(R"({"t":"ev","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"ok"})", false);
}

// The fast parser reads numbers and looks for a string's end eight chars at a
// time while eight are left in the line, and one at a time at its end: every
// length of number (1 to 19 digits, 19 declined) and of string, with the
// field early in the line (word path) or last (char path), reads the same.
TEST(ParseOpLineFast, NumbersAndStringsOfEveryLengthReadTheSameAtAnyPlaceInTheLine) {
  std::string digits, text;
  for (int n = 1; n <= 19; ++n) {
    digits += static_cast<char>('0' + (n * 7) % 10);
    SCOPED_TRACE(digits);
    const bool fits = n <= 18;
    ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":)" + digits + R"(,"k":"w","v":"x","i":3,"e":4,"o":"ok"})", fits);
    ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":-)" + digits + R"(,"k":"w","v":"x","i":3,"e":4,"o":"ok"})", fits);
    ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":)" + digits + R"(1.5,"k":"w","v":"x","i":3,"e":4,"o":"ok"})", false);
    ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":)" + digits + R"(,"o":"ok"})", fits);
  }
  for (int n = 0; n <= 20; ++n) {
    SCOPED_TRACE(text);
    ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":")" + text + R"(","i":3,"e":4,"o":"ok"})", true);
    ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"ok","srv":")" + text + R"("})", true);
    ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":")" + text + R"("q","i":3,"e":4,"o":"ok"})", false);
    ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"ok","srv":")" + text + R"(\"})", false);
    ExpectFastAgreesWithGeneral(R"({"t":"op","c":1,"s":2,"k":"w","v":"x","i":3,"e":4,"o":"ok","srv":")" + text + "}", false);
    text += static_cast<char>(n % 3 == 0 ? '\xc3' : n % 3 == 1 ? '\xa9' : 'a' + n);
  }
}

// Random ops (strings with quotes, backslashes, control characters, UTF-8)
// written by the writer, then damaged at random: the fast parser reads each
// written line back exactly, and never reads a damaged one differently from
// the general parsers.
TEST(ParseOpLineFast, RandomAndDamagedLinesNeverDisagreeWithTheGeneralParsers) {
  std::mt19937_64 rng(5);
  const std::vector<std::string> pieces = {"c", "3", "-", "17", "\"", "\\", "\n", "\x01", "\xc3\xa9", " ", ",", "}",
                                           ":", "srv", "ok"};
  auto random_text = [&](size_t max_pieces) {
    std::string t;
    for (size_t n = rng() % (max_pieces + 1); n > 0; --n) t += pieces[rng() % pieces.size()];
    return t;
  };
  int taken = 0;
  for (int i = 0; i < 3000; ++i) {
    Op op;
    op.client = static_cast<int>(rng() % 20);
    op.seq = rng() % 1000000;
    op.kind = rng() % 4 == 0 ? OpKind::kRead : OpKind::kWrite;
    op.value = rng() % 2 ? "c" + std::to_string(op.client) + "-" + std::to_string(op.seq) : random_text(4);
    op.invoke = static_cast<Nanos>(rng() % 100000000) * 1000;
    op.complete = op.invoke + static_cast<Nanos>(rng() % 1000000) * 1000;
    op.outcome = static_cast<Outcome>(rng() % 3);
    if (op.outcome != Outcome::kOk) {
      op.error = static_cast<ErrorClass>(1 + rng() % 9);
      op.error_text = random_text(3);
    }
    if (rng() % 3) op.server = rng() % 2 ? "10.213.4.11:6379@ab12cd34" : random_text(3);
    const std::string line = ToJsonLine(op);
    Op fast;
    const bool plain = line.find('\\') == std::string::npos;
    ASSERT_EQ(ParseOpLineFast(line, &fast), plain) << line;
    if (plain) {
      ++taken;
      ExpectSameOp(fast, op);
    }
    std::string damaged = line;
    const size_t at = rng() % damaged.size();
    switch (rng() % 3) {
      case 0: damaged.erase(at, 1 + rng() % 3); break;
      case 1: damaged.insert(at, pieces[rng() % pieces.size()]); break;
      default: damaged[at] = pieces[rng() % pieces.size()][0]; break;
    }
    if (damaged.empty() || damaged[0] != '{') continue;
    Op general;
    SCOPED_TRACE(damaged);
    if (ParseOpLineFast(damaged, &fast)) {
      ASSERT_EQ(ParseOpLine("{ " + damaged.substr(1), &general), "");
      ExpectSameOp(fast, general);
    }
  }
  EXPECT_GT(taken, 1000);  // the fast parser was exercised
}

// The reader takes the journal's bytes in chunks of a few MB: a line longer
// than a chunk, and lines cut at any chunk boundary, read whole, compressed
// or not; a last line without its newline is still a line.
TEST_F(JournalTest, LinesLongerThanAReadChunkAndAMissingLastNewlineReadWhole) {
  for (const std::string name : {"j.jsonl", "j.jsonl.zst"}) {
    SCOPED_TRACE(name);
    Event big;
    big.type = "note";
    big.detail = std::string(9 << 20, 'x');  // longer than two chunks
    {
      JournalWriter w(Path(name), nlohmann::json::object());
      for (uint64_t i = 0; i < 50000; ++i) w.Append(MakeOp(static_cast<int>(i % 8), i));
      w.Append(big);
      for (uint64_t i = 50000; i < 100000; ++i) w.Append(MakeOp(static_cast<int>(i % 8), i));
    }
    Read r = ReadAll(Path(name));
    EXPECT_EQ(r.warning, "");
    ASSERT_EQ(r.ops.size(), 100000u);
    for (uint64_t i = 0; i < r.ops.size(); ++i) ASSERT_EQ(r.ops[i].seq, i);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].detail.size(), big.detail.size());
    EXPECT_EQ(r.events[0].detail, big.detail);
  }
  {
    std::ofstream out(Path("n.jsonl"));
    out << "{\"t\":\"meta\",\"version\":1,\"meta\":{}}\n" << ToJsonLine(MakeOp(1, 2));  // no final newline
  }
  Read r = ReadAll(Path("n.jsonl"));
  EXPECT_EQ(r.warning, "");
  ASSERT_EQ(r.ops.size(), 1u);
  ExpectSameOp(r.ops[0], MakeOp(1, 2));
}

TEST_F(JournalTest, OtherKeyOrderAndSpacesStillRead) {
  {
    std::ofstream out(Path("j.jsonl"));
    out << "{\"t\":\"meta\",\"version\":1,\"meta\":{}}\n"
        << "{ \"o\": \"unknown\", \"t\": \"op\", \"e\": 9, \"i\": 3, \"k\": \"write\", \"v\": \"c1-2\","
           " \"c\": 1, \"s\": 2, \"x\": \"reset\" }\r\n"
        << "\n"
        << "{\"t\":\"ev\",\"at\":5.0,\"type\":\"note\",\"detail\":\"\\u00e9\",\"extra\":{\"a\":1}}\n";
  }
  Read r = ReadAll(Path("j.jsonl"));
  EXPECT_EQ(r.warning, "");
  ASSERT_EQ(r.ops.size(), 1u);
  EXPECT_EQ(r.ops[0].outcome, Outcome::kUnknown);
  EXPECT_EQ(r.ops[0].error, ErrorClass::kReset);
  EXPECT_EQ(r.ops[0].invoke, 3);
  EXPECT_EQ(r.ops[0].complete, 9);
  EXPECT_EQ(r.ops[0].value, "c1-2");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].at, 5);
  EXPECT_EQ(r.events[0].detail, "\xc3\xa9");
}

TEST_F(JournalTest, ConcurrentAppendsFromEightThreadsAreAllPresent) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20000;
  {
    JournalWriter w(Path("j.jsonl"), nlohmann::json::object(), std::chrono::milliseconds(1));
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&w, t] {
        for (int i = 0; i < kPerThread; ++i) w.Append(MakeOp(t, i));
      });
    }
    for (auto& th : threads) th.join();
  }
  Read r = ReadAll(Path("j.jsonl"));
  EXPECT_EQ(r.warning, "");
  ASSERT_EQ(r.ops.size(), static_cast<size_t>(kThreads * kPerThread));
  std::set<std::pair<int, uint64_t>> seen;
  for (const Op& op : r.ops) seen.insert({op.client, op.seq});
  EXPECT_EQ(seen.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST_F(JournalTest, BackgroundThreadFlushesWithoutClose) {
  JournalWriter w(Path("j.jsonl"), nlohmann::json::object(), std::chrono::milliseconds(10));
  w.Append(MakeOp(0, 0));
  Read r;
  for (int i = 0; i < 200 && r.ops.empty(); ++i) {  // poll, never sleep-and-hope
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    r = ReadAll(Path("j.jsonl"));
  }
  EXPECT_EQ(r.ops.size(), 1u);
  w.Close();
  w.Close();  // idempotent
}

TEST_F(JournalTest, UnwritablePathThrowsWithPath) {
  try {
    JournalWriter w(Path("no/such/dir/j.jsonl"), nlohmann::json::object());
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no/such/dir/j.jsonl"), std::string::npos);
  }
  JournalReader reader;
  EXPECT_THROW(reader.Read(Path("missing.jsonl")), std::runtime_error);
}

// ---------------------------------------------------------------- Close

TEST_F(JournalTest, AppendAfterCloseThrowsInsteadOfVanishing) {
  JournalWriter w(Path("j.jsonl"), nlohmann::json::object());
  w.Append(MakeOp(0, 0));
  w.Close();
  EXPECT_THROW(w.Append(MakeOp(0, 1)), std::logic_error);
  Event ev;
  ev.type = "note";
  EXPECT_THROW(w.Append(ev), std::logic_error);
  EXPECT_EQ(ReadAll(Path("j.jsonl")).ops.size(), 1u);
}

// Appends race with Close: every Append that returned normally must be in the
// file; the others must have thrown. Before the fix, appends that came after
// Close's last flush returned normally and were lost.
TEST_F(JournalTest, EveryAppendThatReturnedBeforeOrDuringCloseIsInTheFile) {
  for (const char* name : {"race.jsonl", "race.jsonl.zst"}) {
    for (int round = 0; round < 5; ++round) {
      JournalWriter w(Path(name), nlohmann::json::object(), std::chrono::milliseconds(1));
      std::atomic<int64_t> accepted{0};
      std::atomic<bool> started{false};
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
          for (uint64_t i = 0;; ++i) {
            try {
              w.Append(MakeOp(t, i));
            } catch (const std::logic_error&) {
              return;
            }
            ++accepted;
            started = true;
            if (i > 2'000'000) return;  // the old writer never refused: end anyway
          }
        });
      }
      while (!started) std::this_thread::yield();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      w.Close();
      for (auto& th : threads) th.join();
      Read r = ReadAll(Path(name));
      EXPECT_EQ(r.warning, "");
      ASSERT_EQ(static_cast<int64_t>(r.ops.size()), accepted.load()) << name << " round " << round;
    }
  }
}

// ---------------------------------------------------------------- zstd

TEST_F(JournalTest, CompressedJournalRoundTripsAndIsSmaller) {
  for (const char* name : {"j.jsonl", "j.jsonl.zst"}) {
    JournalWriter w(Path(name), {{"run", "x"}});
    for (int i = 0; i < 50000; ++i) w.Append(MakeOp(i % 8, i / 8));
    Event ev;
    ev.type = "final-read";
    ev.node = "n1";
    ev.values = {"c0-1", "c0-2"};
    w.Append(ev);
  }
  Read plain = ReadAll(Path("j.jsonl")), packed = ReadAll(Path("j.jsonl.zst"));
  EXPECT_EQ(packed.warning, "");
  EXPECT_EQ(packed.meta, plain.meta);
  ASSERT_EQ(packed.ops.size(), plain.ops.size());
  for (size_t i = 0; i < plain.ops.size(); ++i) ExpectSameOp(packed.ops[i], plain.ops[i]);
  ASSERT_EQ(packed.events.size(), 1u);
  EXPECT_EQ(packed.events[0].values, plain.events[0].values);
  auto small = fs::file_size(Path("j.jsonl.zst")), big = fs::file_size(Path("j.jsonl"));
  std::printf("50,000 ops: %ju bytes plain, %ju compressed (%.1fx)\n", (uintmax_t)big, (uintmax_t)small,
              double(big) / double(small));
  EXPECT_LT(small * 5, big);
}

TEST_F(JournalTest, CompressedJournalIsReadableWithZstdcat) {
  if (access("/usr/bin/zstdcat", X_OK) != 0) GTEST_SKIP() << "zstd (the command) is not installed";
  {
    JournalWriter w(Path("j.jsonl"), {{"run", "x"}});
    JournalWriter z(Path("j.jsonl.zst"), {{"run", "x"}}, std::chrono::milliseconds(1));
    for (int i = 0; i < 3000; ++i) {
      w.Append(MakeOp(0, i));
      z.Append(MakeOp(0, i));
      if (i % 500 == 0) z.Flush();  // several frames
    }
  }
  std::string cmd = "/usr/bin/zstdcat " + Path("j.jsonl.zst") + " | cmp - " + Path("j.jsonl");
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

TEST_F(JournalTest, CompressedJournalCutMidFrameReadsEveryCompleteFrameAndWarns) {
  {
    JournalWriter z(Path("j.jsonl.zst"), nlohmann::json::object(), std::chrono::hours(1));
    for (int i = 0; i < 1000; ++i) z.Append(MakeOp(0, i));
    z.Flush();  // frame 2 (frame 1 is the header)
    for (int i = 1000; i < 2000; ++i) z.Append(MakeOp(0, i));
  }
  auto size = fs::file_size(Path("j.jsonl.zst"));
  fs::resize_file(Path("j.jsonl.zst"), size - 20);  // a kill while the last frame was written
  Read r = ReadAll(Path("j.jsonl.zst"));
  EXPECT_EQ(r.ops.size(), 1000u);
  EXPECT_NE(r.warning.find("compressed data ends mid-frame"), std::string::npos) << r.warning;
  EXPECT_NE(r.warning.find("read 1000 entries before it"), std::string::npos) << r.warning;
}

// The writer process is SIGKILLed while it appends at full speed: the journal
// holds at least everything appended up to the last Flush before the kill.
TEST_F(JournalTest, CompressedJournalSurvivesSigkillUpToTheLastFlush) {
  const std::string path = Path("killed.jsonl.zst");
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    JournalWriter z(path, nlohmann::json::object(), std::chrono::milliseconds(50));
    for (uint64_t i = 0;; ++i) {
      z.Append(MakeOp(0, i));
      if (i == 100000) {
        z.Flush();
        if (write(fds[1], "x", 1) != 1) _exit(1);  // tell the parent: 100,001 entries are flushed
      }
    }
  }
  close(fds[1]);
  char c;
  ASSERT_EQ(read(fds[0], &c, 1), 1);
  close(fds[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(120));  // more flushes happen, then the kill
  kill(pid, SIGKILL);
  int status;
  waitpid(pid, &status, 0);
  Read r = ReadAll(path);
  EXPECT_GE(r.ops.size(), 100001u) << r.warning;
  for (size_t i = 0; i < r.ops.size(); ++i) ASSERT_EQ(r.ops[i].seq, i);
  std::printf("after SIGKILL: %zu entries read, warning: '%s'\n", r.ops.size(), r.warning.c_str());
}

}  // namespace
}  // namespace sc
