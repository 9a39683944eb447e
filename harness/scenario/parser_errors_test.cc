// Malformed scenarios: each must be refused before anything runs, with the
// exact message, line and column a person will read.
#include <gtest/gtest.h>

#include "harness/faults/fault_kind.h"
#include "harness/scenario/parser.h"
#include "harness/scenario/test_figures.h"

namespace sc::scenario {
namespace {

// Which lines come before the case's own text: the scenario's name, then a
// topology line of that kind and a 30 s load (kNone: the name only).
enum class Header { kNone, kSingle, kSentinel1, kSentinel2, kSentinel3 };

struct Expected {
  int line;
  int column;
  std::string message;
};

struct Case {
  Header header;
  std::string body;
  std::vector<Expected> errors;
};

std::string HeaderText(Header h) {
  std::string text = "scenario \"t\"\n";
  switch (h) {
    case Header::kNone: return text;
    case Header::kSingle: return text + "topology single\nload duration=30s\n";
    case Header::kSentinel1: return text + "topology sentinel1\nload duration=30s\n";
    case Header::kSentinel2: return text + "topology sentinel2\nload duration=30s\n";
    case Header::kSentinel3: return text + "topology sentinel3\nload duration=30s\n";
  }
  return text;
}

// Lists the fault registry makes: they grow when a kind is registered.
std::string FaultWordList() { return faults::JoinWords(faults::FaultKinds().Keywords(), ", "); }
std::string StopWordList() { return faults::JoinWords(faults::FaultKinds().StopVerbs(), ", "); }

// Lines 1-3 are the header: a case's first own line is line 4 (2 for kNone).
const std::vector<Case> kCases = {
    {Header::kSentinel3, "at 5s kil redis on master",
     {{4, 7, "unknown action 'kil'; did you mean 'kill'?"}}},
    {Header::kSentinel3, "at 5s kill redis on mastr",
     {{4, 21, "unknown target 'mastr' (targets: master, replica, random, n1, n2, n3); did you mean 'master'?"}}},
    {Header::kSentinel3, "at 5s kill sentinal on master",
     {{4, 12, "expected redis or sentinel after 'kill', got 'sentinal'; did you mean 'sentinel'?"}}},
    {Header::kSentinel3, "at 5s kill redis master",
     {{4, 18, "expected 'on' after 'kill redis', e.g. kill redis on master, got 'master'"}}},
    {Header::kSentinel3, "at 5s kill redis on n4",
     {{4, 21, "topology sentinel3 has no n4 (its servers: n1, n2 and n3)"}}},
    {Header::kSentinel3, "at 5 kill redis on master",
     {{4, 4, "'5' needs a unit, e.g. 5s or 5ms"}}},
    {Header::kSentinel3, "at soon kill redis on master",
     {{4, 4, "expected a time after 'at', e.g. at 5s, got 'soon'"}}},
    {Header::kSentinel3, "at 5s",
     {{4, 6, "expected what happens after 'at 5s': a fault (" + FaultWordList() + "), a stop (" + StopWordList() + "), 'wait', 'every' or 'one of'"}}},
    {Header::kSentinel3, "at 5s restart m1",
     {{4, 15, "no fault is named 'm1'"}}},
    {Header::kSentinel3, "at 5s kill redis on master as m1\nat 3s restart m1",
     {{5, 15, "'m1' has not started yet: it starts at 5s (line 4)"}}},
    {Header::kSentinel3, "at 5s kill redis on master as m1\nat 8s restart m1\nat 9s restart m1",
     {{6, 15, "'m1' is already stopped at 8s (line 5)"}}},
    {Header::kSentinel3, "at 5s partition n2 | n3 as p\nat 8s restart p",
     {{5, 15, "'p' is a partition, not " + faults::FaultKinds().WhatStopVerbStops("restart") + ": stop it with 'heal p'"}}},
    {Header::kSentinel3, "at 5s partition master",
     {{4, 23, "a partition needs two sides separated by '|', e.g. partition master | others"}}},
    {Header::kSentinel3, "at 5s partition master |",
     {{4, 25, "a partition needs two sides separated by '|', e.g. partition master | others"}}},
    {Header::kSentinel3, "at 5s partition master | mars",
     {{4, 26, "unknown partition side 'mars' (sides list master, replica, random, n1..n3, client, others or servers)"}}},
    {Header::kSentinel3, "at 5s partition others | others for 1s",
     {{4, 26, "'others' on both sides leaves nothing to partition"}}},
    {Header::kSentinel3, "at 5s partition n2 | n2 for 1s",
     {{4, 22, "'n2' is on both sides of the partition"}}},
    {Header::kSentinel3, "expect lsot == 0",
     {{4, 8, "unknown figure 'lsot'; did you mean 'lost'?"}}},
    {Header::kSentinel3, "expect lost = 0",
     {{4, 13, "'=' is not a comparison; did you mean '=='?"}}},
    {Header::kSentinel3, "expect lost==0",
     {{4, 8, "put spaces around the comparison: expect FIGURE OP VALUE, e.g. expect lost == 0"}}},
    {Header::kSentinel3, "expect lost < many",
     {{4, 15, "'many' is not a number or a duration (e.g. 12, 4s, 500ms)"}}},
    {Header::kSentinel3, "expect ttr.m2 < 1s\nat 5s kill redis on master as m1 for 2s",
     {{4, 8, "no fault is named 'm2' (ttr.ID needs the name given with 'as'); did you mean 'ttr.m1'?"}}},
    {Header::kSentinel3, "expect no failovers",
     {{4, 11, "unknown 'expect no failovers'; expected failover, loss or split-brain; did you mean 'failover'?"}}},
    {Header::kSentinel3, "at 55s kill redis on master",
     {{4, 1, "this happens at 55s, after the load ends at 30s: lengthen the load (load duration=...) or move this earlier"}}},
    {Header::kSentinel3, "at 50s kill redis on master for 20s",
     {{4, 1, "this happens at 50s, after the load ends at 30s: lengthen the load (load duration=...) or move this earlier"}, {4, 29, "the fault stops at 70s, after the load ends at 30s: lengthen the load (load duration=...) or move this earlier"}}},
    {Header::kSentinel3, "at 10s wait until failover timeout 55s",
     {{4, 1, "this wait may last until 65s, after the load ends at 30s: lengthen the load (load duration=...) or move this earlier"}}},
    {Header::kSentinel3, "at 5s wait until failovr timeout 5s",
     {{4, 18, "unknown condition 'failovr'; expected failover, vip-moved, replicas-in-sync or settled; did you mean 'failover'?"}}},
    {Header::kSentinel3, "at 5s wait until failover",
     {{4, 26, "expected 'timeout T' after the condition, e.g. wait until failover timeout 10s"}}},
    {Header::kSentinel3, "at 5s every 2s for 10s partition n2 | n3",
     {{4, 41, "a repeated fault needs 'for T', how long each one lasts, e.g. every 4s for 20s partition master | others for 1s"}}},
    {Header::kSentinel3, "at 5s every 2s for 10s partition n2 | n3 for 3s",
     {{4, 42, "each fault lasts 3s but one starts every 2s: 'for' must be shorter than the period"}}},
    {Header::kSentinel3, "at 5s every 2s for 10s partition n2 | n3 for 1s as flap\nat 20s heal flap",
     {{5, 13, "'flap' names a repetition ('every'): each of its faults stops by itself after its 'for'"}}},
    {Header::kSentinel3, "at 5s one of { kill redis on master | down replica } for 2s",
     {{4, 37, "separate the choices of 'one of' with ';', e.g. one of { kill redis on master ; down replica }"}}},
    {Header::kSentinel3, "at 5s one of { kill redis on master for 2s ; down replica }",
     {{4, 37, "put 'for' after the closing '}' of 'one of': it applies to whichever fault is chosen"}}},
    {Header::kSentinel3, "at 5s one of { kill redis on master ; down replica for 2s",
     {{4, 52, "put 'for' after the closing '}' of 'one of': it applies to whichever fault is chosen"}}},
    {Header::kSentinel3, "at 5s one of { kill redis on master } for 2s",
     {{4, 7, "'one of' needs at least two choices, separated by ';'"}}},
    {Header::kSentinel3, "at 5s one of { kill redis on master ; down replica } as r\nat 8s restart r",
     {{5, 15, "'r' may be one of several kinds of fault: stop it with 'stop r'"}}},
    {Header::kSentinel3, "at 5s kill redis on master signal=HUP",
     {{4, 35, "signal must be KILL or TERM, got 'HUP'"}}},
    {Header::kSentinel3, "at 5s kill redis on master sigal=TERM",
     {{4, 28, "'kill' has no option 'sigal' (it takes signal=); did you mean 'signal'?"}}},
    {Header::kSentinel3, "at 5s loss master",
     {{4, 7, "'loss' needs percent=N, the share of packets dropped (1 to 100), e.g. loss master percent=30"}}},
    {Header::kSentinel3, "at 5s loss master percent=150",
     {{4, 27, "percent must be a whole number from 1 to 100, got '150'"}}},
    {Header::kSentinel3, "at 5s pause redis on master for 0s",
     {{4, 33, "'for' needs a duration longer than 0"}}},
    {Header::kSentinel3, "at 5s kill redis on master as m1\nat 6s kill redis on n2 as m1",
     {{5, 27, "the name 'm1' is already used on line 4"}}},
    {Header::kSentinel3, "at 5s cut master from client",
     {{4, 11, "'cut' cuts the client from a server: expected cut client from TARGET, got 'master'"}}},
    {Header::kSentinel3, "at 5s down client",
     {{4, 12, "'client' is a target only in a partition; expected a target: master, replica, random or a server n1, n2, n3"}}},
    {Header::kSentinel3, "at 5s partition master | others direction=sideways",
     {{4, 43, "direction must be both, to or from, got 'sideways'"}}},
    {Header::kSentinel3, "at 5s down master as d\nat 8s up d mode=fast",
     {{5, 12, "mode must be reboot or resume, got 'fast'"}}},
    {Header::kSentinel3, "settle timeout",
     {{4, 15, "expected a duration after 'settle timeout', e.g. 30s"}}},
    {Header::kSentinel3, "seed forty",
     {{4, 6, "the seed must be a whole number from 0 to 999999999999999999, got 'forty'"}}},
    {Header::kSentinel3, "scenario \"again\"",
     {{4, 1, "'scenario' is given twice (first on line 1)"}}},
    {Header::kSentinel3, "topology sentinel2",
     {{4, 1, "'topology' is given twice (first on line 2)"}}},
    {Header::kSentinel3, "description Sentinel fails over",
     {{4, 13, "expected a quoted text after 'description', e.g. description \"Sentinel fails over.\""}}},
    {Header::kSentinel3, "scenario \"unterminated",
     {{4, 10, "unterminated string: add the closing '\"'"}}},
    {Header::kSentinel3, "frobnicate everything",
     {{4, 1, "unknown statement 'frobnicate'"}}},
    {Header::kSingle, "at 5s kill sentinel on master",
     {{4, 12, "topology single runs no Sentinel"}}},
    {Header::kSingle, "at 5s down replica",
     {{4, 12, "topology single has no replica"}}},
    {Header::kSingle, "at 5s partition master | others",
     {{4, 26, "'others' is empty here: topology single has one server"}}},
    {Header::kSentinel2, "at 5s kill redis on n3",
     {{4, 21, "topology sentinel2 has no n3 (its servers: n1 and n2)"}}},
    {Header::kSentinel1, "at 5s kill sentinel on n2",
     {{4, 24, "n2 runs no Sentinel in topology sentinel1 (Sentinels run on n1)"}}},
    {Header::kSentinel1, "at 5s pause sentinel on n2 for 1s",
     {{4, 25, "n2 runs no Sentinel in topology sentinel1 (Sentinels run on n1)"}}},
    {Header::kNone, "topology sentinel3 replcas=2",
     {{2, 20, "unknown topology option 'replcas'; did you mean 'replicas'?"}}},
    {Header::kNone, "topology sentinal3",
     {{2, 10, "unknown topology kind 'sentinal3'; expected single, sentinel1, sentinel2 or sentinel3; did you mean 'sentinel3'?"}}},
    {Header::kNone, "topology sentinel3 replicas=5",
     {{2, 20, "replicas=5 is not possible with topology sentinel3 (1 or 2 replicas on its three servers)"}}},
    {Header::kNone, "topology sentinel3 quorum=4 down-after=fast",
     {{2, 40, "option 'down-after': 'fast' is not valid; expected a duration such as 500ms or 1s"}}},
    {Header::kNone, "topology sentinel3\nload clients=0",
     {{3, 6, "clients must be at least 1 (got 0)"}}},
    {Header::kNone, "topology sentinel3\nload duraton=10s",
     {{3, 6, "unknown load option 'duraton'; did you mean 'duration'?"}}},
    {Header::kNone, "topology sentinel3\nload via=direct server=n7",
     {{3, 17, "server=n7: topology sentinel3 has no n7 (its servers: n1, n2 and n3)"}}},
    {Header::kNone, "topology sentinel3\ntopology sentinel2",
     {{3, 1, "'topology' is given twice (first on line 2)"}}},
    {Header::kNone, "",
     {{0, 0, "missing the topology: add a line such as topology sentinel3"}}},
    {Header::kSentinel3, "at 5s cut client from master for 8s as cut",
     {{4, 40, "'cut' is a word of the language and cannot name a fault; pick another name, e.g. m1"}}},
    {Header::kSentinel3, "at 5s kill redis on master as 1st",
     {{4, 31, "'1st' cannot name a fault: use letters, digits, '-' and '_', starting with a letter (e.g. m1)"}}},
    {Header::kSentinel3, "at 5s restart redis on master",
     {{4, 15, "'restart' takes the name given to a fault with 'as', e.g. at 5s kill redis on master as m1, then restart m1"}}},
    {Header::kSentinel3, "at 5s kill redis on master as m1 for 2s\nat 8s restart m1",
     {{5, 15, "'m1' is already stopped at 7s (line 4)"}}},
    {Header::kSentinel3, "at 5s kill redis on master as m1 for 2s\nat 6s restart m1",
     {{4, 34, "'m1' is already stopped at 6s (line 5)"}}},
    {Header::kSentinel3, "at 5s kill redis on master as m1\nat 6s up m1",
     {{5, 10, "'m1' is a kill, not a node down: stop it with 'restart m1'"}}},
    {Header::kNone, "topology sentinel3 replicas=1 min-replicas-to-write=2",
     {{2, 31, "min-replicas-to-write=2 needs that many replicas, but topology sentinel3 has 1: the master would refuse every write"}}},
};

TEST(MalformedScenario, EachIsRefusedWithTheExactMessageLineAndColumn) {
  const ParseContext ctx = testing::ResultsDocContext();
  ASSERT_GE(kCases.size(), 30u);
  for (const Case& c : kCases) {
    ParseResult r = ParseScenario(HeaderText(c.header) + c.body + "\n", "t.chaos", ctx);
    SCOPED_TRACE(c.body);
    EXPECT_FALSE(r.plan.has_value());
    ASSERT_EQ(r.errors.size(), c.errors.size()) << r.ErrorText();
    for (size_t i = 0; i < c.errors.size(); ++i) {
      EXPECT_EQ(r.errors[i].message, c.errors[i].message);
      EXPECT_EQ(r.errors[i].line, c.errors[i].line) << c.errors[i].message;
      EXPECT_EQ(r.errors[i].column, c.errors[i].column) << c.errors[i].message;
    }
  }
}

TEST(MalformedScenario, AMissingNameIsReportedWithoutALine) {
  ParseResult r = ParseScenario("topology sentinel3\n", "t.chaos", testing::ResultsDocContext());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.ErrorText(), "t.chaos: missing the scenario's name: add a line such as scenario \"Master killed\"\n");
}

TEST(MalformedScenario, AnUnreadableFileIsOneError) {
  ParseResult r = ParseScenarioFile("/nonexistent/x.chaos", testing::ResultsDocContext());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].ToString(), "/nonexistent/x.chaos: cannot read the scenario file (does it exist?)\n");
}

TEST(MalformedScenario, AnUnterminatedNameIsReportedWhereItIsNotAsAMissingName) {
  ParseResult r = ParseScenario("scenario \"Master killed\ntopology sentinel3\n", "t.chaos", testing::ResultsDocContext());
  ASSERT_EQ(r.errors.size(), 1u) << r.ErrorText();
  EXPECT_EQ(r.errors[0].ToString(),
            "t.chaos:1:10: unterminated string: add the closing '\"'\n"
            "scenario \"Master killed\n"
            "         ^\n");
}

TEST(MalformedScenario, AnInvisibleCharacterIsNamedWhereItIs) {
  struct InvisibleCase {
    std::string line;
    int column;
    std::string name;
  };
  const std::vector<InvisibleCase> cases = {
      {std::string("at 5s k\0ill redis on master", 27), 8, "U+0000 (NUL)"},
      {"at 5s kill\xe2\x80\x8b redis on master", 11, "U+200B (zero width space)"},
      {"at 5s kill\xc2\xa0redis on master", 11, "U+00A0 (no-break space)"},
      {"at 5s kill redis on master\x1b", 27, "U+001B (escape)"},
      {"description \"tab\x07" "bed\"", 17, "U+0007 (a control character)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ParseResult r = ParseScenario(HeaderText(Header::kSentinel3) + c.line + "\n", "t.chaos", testing::ResultsDocContext());
    ASSERT_EQ(r.errors.size(), 1u) << r.ErrorText();
    EXPECT_EQ(r.errors[0].line, 4);
    EXPECT_EQ(r.errors[0].column, c.column);
    EXPECT_EQ(r.errors[0].message,
              "invisible character " + c.name + " here: delete it (and retype the space around it if there was one)");
  }
}

TEST(MalformedScenario, ALeadingByteOrderMarkIsNotText) {
  ParseResult r = ParseScenario("\xef\xbb\xbfscenario \"t\"\ntopology sentinel3\nload duration=30s\n", "t.chaos",
                                testing::ResultsDocContext());
  EXPECT_TRUE(r.plan.has_value()) << r.ErrorText();
  r = ParseScenario("scenario \"t\"\ntopology sentinel3\xef\xbb\xbf\n", "t.chaos", testing::ResultsDocContext());
  ASSERT_EQ(r.errors.size(), 1u) << r.ErrorText();
  EXPECT_EQ(r.errors[0].message,
            "invisible character U+FEFF (byte order mark) here: delete it (and retype the space around it if there was one)");
}

TEST(MalformedScenario, TheCaretFollowsTabs) {
  ParseResult r = ParseScenario("scenario \"t\"\ntopology sentinel3\n\tat 5s kill redis on mastr\n", "t.chaos",
                                testing::ResultsDocContext());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].ToString(),
            "t.chaos:3:22: unknown target 'mastr' (targets: master, replica, random, n1, n2, n3); did you mean 'master'?\n"
            "\tat 5s kill redis on mastr\n"
            "\t                    ^\n");
}

}  // namespace
}  // namespace sc::scenario
