#include "harness/load/load_options.h"
#include "harness/load/workload.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace sc::load {
namespace {

LoadOptions Set(const std::string& name, const std::string& value) {
  LoadOptions o;
  auto err = SetLoadOption(o, name, value);
  EXPECT_FALSE(err.has_value()) << name << "=" << value << ": " << err.value_or("");
  return o;
}

std::string ErrorFor(const std::string& name, const std::string& value) {
  LoadOptions o;
  return SetLoadOption(o, name, value).value_or("<accepted>");
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(LoadOptions, DefaultsAreValid) { EXPECT_TRUE(ValidateLoad(LoadOptions{}).empty()); }

TEST(LoadOptions, NamesListEveryAcceptedOption) {
  const auto& names = LoadOptionNames();
  for (const char* n : {"clients", "workload", "via", "server", "rate", "duration",
                        "connect-timeout", "timeout", "reads", "key"})
    EXPECT_TRUE(Contains(names, n)) << n;
  // Every listed name is accepted with some value: none is "unknown".
  for (const auto& n : names)
    EXPECT_EQ(ErrorFor(n, "").find("unknown load option"), std::string::npos) << n;
}

TEST(LoadOptions, Clients) {
  EXPECT_EQ(Set("clients", "16").clients, 16);
  EXPECT_EQ(ErrorFor("clients", "many"), "clients must be a whole number (got 'many')");
  EXPECT_EQ(ErrorFor("clients", "2.5"), "clients must be a whole number (got '2.5')");
}

TEST(LoadOptions, Workload) {
  EXPECT_EQ(Set("workload", "set").workload, "set");
  EXPECT_EQ(Set("workload", "counter").workload, "counter");
  EXPECT_EQ(Set("workload", "mixed").workload, "mixed");
  EXPECT_EQ(ErrorFor("workload", "list"), "workload must be set, counter or mixed (got 'list')");
  EXPECT_EQ(WorkloadOf(Set("workload", "counter")).shape, DataShape::kCounter);
  EXPECT_TRUE(WorkloadOf(Set("workload", "mixed")).reads);
}

TEST(LoadOptions, EachWorkloadBuildsItsRequestsFromItsRegistryEntry) {
  LoadOptions o;
  std::mt19937_64 rng(1);
  auto set = WorkloadOf(o).request({o, 3, 1207, rng});
  EXPECT_EQ(set.argv, (std::vector<std::string>{"SADD", "sc:set", "c3-1207"}));
  EXPECT_EQ(set.value, "c3-1207");
  EXPECT_FALSE(set.read);
  o.key_ops = 1000;
  EXPECT_EQ(WorkloadOf(o).request({o, 3, 1207, rng}).argv, (std::vector<std::string>{"SADD", "sc:set:3:1", "c3-1207"}));
  o = Set("workload", "counter");
  auto incr = WorkloadOf(o).request({o, 0, 5, rng});
  EXPECT_EQ(incr.argv, (std::vector<std::string>{"INCR", "sc:set"}));
  EXPECT_EQ(incr.value, "1");
  EXPECT_EQ(FinalReadCommand(o), (std::vector<std::string>{"GET", "sc:set"}));
  o = Set("workload", "mixed");
  o.read_fraction = 1;
  auto read = WorkloadOf(o).request({o, 0, 5, rng});
  EXPECT_TRUE(read.read);
  EXPECT_TRUE(read.argv[0] == "SCARD" || read.argv[0] == "SISMEMBER") << read.argv[0];
}

// A workload registered here, in a test, and nowhere in the product: the load
// options take it, validation judges key-ops by its entry, the final read
// follows its shape, and the error for an unknown name lists it.
TEST(LoadOptions, AWorkloadRegisteredInATestIsAcceptedEverywhere) {
  if (!Workloads().Find("test-hash-counter")) {
    WorkloadKind k;
    k.name = "test-hash-counter";
    k.help = "HINCRBY of one field";
    k.shape = DataShape::kCounter;
    k.request = [](const RequestContext& c) {
      Request r;
      r.value = "1";
      r.argv = {"HINCRBY", c.options.key, "n", "1"};
      return r;
    };
    Workloads().Register(k);
  }
  LoadOptions o = Set("workload", "test-hash-counter");
  EXPECT_EQ(o.workload, "test-hash-counter");
  EXPECT_TRUE(ValidateLoad(o).empty());
  EXPECT_EQ(FinalReadCommand(o), (std::vector<std::string>{"GET", "sc:set"}));
  o.key_ops = 10;
  EXPECT_EQ(ValidateLoad(o), std::vector<std::string>{"key-ops works with workload=set only (got workload=test-hash-counter)"});
  EXPECT_EQ(ErrorFor("workload", "list"), "workload must be set, counter, mixed or test-hash-counter (got 'list')");
}

TEST(LoadOptions, Via) {
  EXPECT_EQ(Set("via", "vip").via, Via::kVip);
  EXPECT_EQ(Set("via", "sentinel").via, Via::kSentinel);
  EXPECT_EQ(Set("via", "direct").via, Via::kDirect);
  EXPECT_EQ(ErrorFor("via", "dns"), "via must be vip, sentinel or direct (got 'dns')");
  EXPECT_STREQ(ToString(Via::kSentinel), "sentinel");
}

TEST(LoadOptions, Server) {
  EXPECT_EQ(Set("server", "n2").direct_server, "n2");
  EXPECT_EQ(ErrorFor("server", ""), "server must name a server, e.g. n1 (got '')");
}

TEST(LoadOptions, Rate) {
  EXPECT_EQ(Set("rate", "max").rate, 0);
  EXPECT_EQ(Set("rate", "1000").rate, 1000);
  EXPECT_EQ(Set("rate", "1000/s").rate, 1000);
  EXPECT_EQ(Set("rate", "2.5").rate, 2.5);
  EXPECT_EQ(ErrorFor("rate", "fast"),
            "rate must be max or a number of operations per second like 1000 (got 'fast')");
  // rate=0 would send nothing at all; max is the closed loop.
  EXPECT_EQ(ErrorFor("rate", "0"),
            "rate must be max (as fast as the servers answer) or a number of operations per second above 0 (got '0')");
  EXPECT_EQ(ErrorFor("rate", "0/s"),
            "rate must be max (as fast as the servers answer) or a number of operations per second above 0 (got '0/s')");
}

TEST(LoadOptions, Durations) {
  EXPECT_EQ(Set("duration", "500ms").duration_ns, 500'000'000);
  EXPECT_EQ(Set("duration", "1s").duration_ns, 1'000'000'000);
  EXPECT_EQ(Set("duration", "1.5s").duration_ns, 1'500'000'000);
  EXPECT_EQ(Set("duration", "2m").duration_ns, 120'000'000'000);
  EXPECT_EQ(Set("duration", "250").duration_ns, 250'000'000);  // bare number = ms
  EXPECT_EQ(Set("duration", "750us").duration_ns, 750'000);
  EXPECT_EQ(Set("connect-timeout", "50ms").connect_timeout_ns, 50'000'000);
  EXPECT_EQ(Set("timeout", "0.2s").command_timeout_ns, 200'000'000);
  EXPECT_EQ(ErrorFor("duration", "soon"),
            "duration must be a duration like 500ms, 1s, 1.5s or 2m (got 'soon')");
  EXPECT_EQ(ErrorFor("timeout", "-1s"),
            "timeout must be a duration like 500ms, 1s, 1.5s or 2m (got '-1s')");
  EXPECT_EQ(ErrorFor("connect-timeout", "ms"),
            "connect-timeout must be a duration like 500ms, 1s, 1.5s or 2m (got 'ms')");
  EXPECT_EQ(ErrorFor("duration", "10h"),
            "duration must be a duration like 500ms, 1s, 1.5s or 2m (got '10h')");
}

TEST(LoadOptions, Reads) {
  EXPECT_EQ(Set("reads", "0.25").read_fraction, 0.25);
  EXPECT_EQ(Set("reads", "90%").read_fraction, 0.9);
  EXPECT_EQ(ErrorFor("reads", "half"),
            "reads must be a fraction like 0.5 or a percentage like 50% (got 'half')");
}

TEST(LoadOptions, Key) {
  EXPECT_EQ(Set("key", "k1").key, "k1");
  EXPECT_EQ(ErrorFor("key", ""), "key must not be empty");
}

TEST(LoadOptions, UnknownName) {
  EXPECT_EQ(ErrorFor("clinet", "3"), "unknown load option 'clinet'");
}

TEST(LoadOptions, ClientAndProfile) {
  EXPECT_EQ(LoadOptions{}.client, "hiredis");
  EXPECT_EQ(Set("client", "redis-py").client, "redis-py");
  EXPECT_EQ(ErrorFor("client", "3"), "client must be one of hiredis, ioredis, redis-py, redis-rb (got '3')");
  EXPECT_EQ(Set("profile", "tuned").profile, "tuned");
  EXPECT_EQ(ErrorFor("profile", "fast"), "profile must be defaults or tuned (got 'fast')");
  LoadOptions o;
  EXPECT_EQ(EffectiveProfile(o), "");
  o.client = "ioredis";
  EXPECT_EQ(EffectiveProfile(o), "defaults");
  o.key_ops = 100;
  EXPECT_EQ(ValidateLoad(o), std::vector<std::string>{
      "key-ops works with client=hiredis only (the drivers write one key; got client=ioredis)"});
}

TEST(LoadOptions, ValidateEveryProblem) {
  LoadOptions o;
  o.clients = 0;
  o.rate = -5;
  o.duration_ns = 0;
  o.connect_timeout_ns = 0;
  o.command_timeout_ns = -1'000'000;
  o.read_fraction = 1.5;
  o.key = "";
  o.via = Via::kDirect;
  o.direct_server = "";
  auto problems = ValidateLoad(o);
  EXPECT_EQ(problems, (std::vector<std::string>{
                          "clients must be at least 1 (got 0)",
                          "rate must be max or a positive number of operations per second (got -5)",
                          "duration must be longer than 0 (got 0ms)",
                          "connect-timeout must be longer than 0 (got 0ms)",
                          "timeout must be longer than 0 (got -1ms)",
                          "reads must be between 0 and 1 (got 1.5)",
                          "key must not be empty",
                          "via=direct needs server=<node name>, e.g. server=n1",
                      }));
}

TEST(LoadOptions, ValidateTooManyClients) {
  LoadOptions o;
  o.clients = 5000;
  EXPECT_EQ(ValidateLoad(o),
            std::vector<std::string>{"clients must be at most 1000, one thread each (got 5000)"});
}

TEST(LoadOptions, KeyOpsSpreadsEachClientsElementsOverRotatingKeys) {
  LoadOptions o;
  EXPECT_EQ(KeyOf(o, 3, 123456), "sc:set");  // default: one key
  EXPECT_EQ(KeyPattern(o), "");
  EXPECT_EQ(SetLoadOption(o, "key-ops", "1000"), std::nullopt);
  EXPECT_EQ(KeyOf(o, 3, 0), "sc:set:3:0");
  EXPECT_EQ(KeyOf(o, 3, 999), "sc:set:3:0");
  EXPECT_EQ(KeyOf(o, 3, 1000), "sc:set:3:1");
  EXPECT_EQ(GenerationOf(o, 2500), 2u);
  EXPECT_EQ(KeyPattern(o), "sc:set:*");
  EXPECT_NE(SetLoadOption(o, "key-ops", "-1"), std::nullopt);
  o.workload = "counter";
  EXPECT_EQ(ValidateLoad(o), std::vector<std::string>{"key-ops works with workload=set only (got workload=counter)"});
}

}  // namespace
}  // namespace sc::load
