#include "harness/observer/log_tail.h"

#include <ctime>
#include <fstream>

#include <gtest/gtest.h>

#include "harness/load/local_redis.h"

namespace sc::observer {
namespace {

TEST(RedisLogLine, ParsesTheStampLevelAndMessage) {
  auto l = ParseRedisLogLine("4242:X 27 Nov 2026 17:51:54.123 # +switch-master mymaster 10.0.0.11 6379 10.0.0.12 6379");
  ASSERT_TRUE(l);
  struct tm tm {};
  tm.tm_mday = 27, tm.tm_mon = 10, tm.tm_year = 126, tm.tm_hour = 17, tm.tm_min = 51, tm.tm_sec = 54, tm.tm_isdst = -1;
  EXPECT_EQ(l->unix_us, int64_t{mktime(&tm)} * 1000000 + 123000);
  EXPECT_EQ(l->level, '#');
  EXPECT_EQ(l->message, "+switch-master mymaster 10.0.0.11 6379 10.0.0.12 6379");
}

TEST(RedisLogLine, RefusesWhatIsNotALogLine) {
  EXPECT_FALSE(ParseRedisLogLine(""));
  EXPECT_FALSE(ParseRedisLogLine("                _._"));
  EXPECT_FALSE(ParseRedisLogLine("4242:X 27 Nov 2026 17:51:54.1"));
  EXPECT_FALSE(ParseRedisLogLine("4242:X 27 Nov 2026 17:51:54 # no milliseconds"));
}

TEST(VipHookLine, ParsesNanosecondsNodeAndVerb) {
  auto l = ParseVipHookLine("1795801914.123456789 n2 add 10.213.4.100 (mymaster leader start 10.0.0.11:6379 -> 10.0.0.12:6379)");
  ASSERT_TRUE(l);
  EXPECT_EQ(l->unix_ns, 1795801914123456789);
  EXPECT_EQ(l->node, "n2");
  EXPECT_TRUE(l->add);
  auto d = ParseVipHookLine("1795801914.5 n1 del 10.213.4.100 (power off)");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->unix_ns, 1795801914500000000);
  EXPECT_FALSE(d->add);
  EXPECT_FALSE(ParseVipHookLine("n1 add 10.0.0.1"));
  EXPECT_FALSE(ParseVipHookLine("1795801914.5 n1 moved"));
}

TEST(LogTail, ReturnsOnlyCompleteNewLines) {
  sc::testing::TempDir dir("sc-logtail");
  const std::string path = dir.path() + "/log";
  LogTail tail(path);
  EXPECT_TRUE(tail.ReadNew().empty());  // no file yet
  { std::ofstream(path) << "one\ntw"; }
  EXPECT_EQ(tail.ReadNew(), std::vector<std::string>{"one"});
  { std::ofstream(path, std::ios::app) << "o\nthree\n"; }
  EXPECT_EQ(tail.ReadNew(), (std::vector<std::string>{"two", "three"}));
  EXPECT_TRUE(tail.ReadNew().empty());
}

TEST(SentinelLogMatcher, MatchesTheOldestUnmatchedLineOfTheEvent) {
  sc::testing::TempDir dir("sc-logtail");
  const std::string path = dir.path() + "/sentinel.log";
  {
    std::ofstream(path) << "1:X 27 Nov 2026 17:00:00.001 # +monitor master m 10.0.0.1 6379 quorum 2\n"
                        << "1:X 27 Nov 2026 17:00:01.010 # +sdown master m 10.0.0.1 6379\n"
                        << "1:X 27 Nov 2026 17:00:02.020 # +sdown master m 10.0.0.1 6379\n";
  }
  SentinelLogMatcher m(path);
  auto a = m.Find("+sdown", "master m 10.0.0.1 6379");
  auto b = m.Find("+sdown", "master m 10.0.0.1 6379");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*b - *a, 1010000);
  EXPECT_FALSE(m.Find("+sdown", "master m 10.0.0.1 6379"));
  EXPECT_FALSE(m.Find("+monitor", "master m 10.0.0.1 6379 quorum 2"));  // older than a match: dropped
}

}  // namespace
}  // namespace sc::observer
