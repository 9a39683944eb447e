#include "reports/test_fixtures.h"

#include <vector>

#include "reports/suite.h"

namespace sc::reports::testing {

using nlohmann::json;

namespace {

constexpr int64_t kS = 1000000000;
constexpr int64_t kMs = 1000000;

json Topology3() {
  return {{"kind", "sentinel3"},
          {"options", {{"replicas", 2}, {"quorum", 2}, {"down-after", "1s"}, {"vip", "on"}, {"persistence", "none"}}},
          {"servers",
           {{{"name", "n1"}, {"address", "10.213.4.11"}, {"redis", true}, {"sentinel", true}},
            {{"name", "n2"}, {"address", "10.213.4.12"}, {"redis", true}, {"sentinel", true}},
            {{"name", "n3"}, {"address", "10.213.4.13"}, {"redis", true}, {"sentinel", true}}}},
          {"vip", "10.213.4.100"},
          {"client", "10.213.4.200"},
          {"redis_version", "7.0.15"}};
}

json Buckets(int64_t duration_ns, int64_t bucket_ns, const std::vector<std::pair<int64_t, int64_t>>& gaps,
             int per_bucket) {
  json buckets = json::array();
  for (int64_t t = 0; t < duration_ns; t += bucket_ns) {
    bool down = false;
    for (auto [s, e] : gaps) down |= t + bucket_ns > s && t < e;
    if (down) buckets.push_back({{"ok", 0}, {"fail", per_bucket / 10}, {"unknown", t % (3 * bucket_ns) == 0 ? 8 : 0}});
    else buckets.push_back({{"ok", per_bucket}, {"fail", 0}, {"unknown", 0}});
  }
  return buckets;
}

json PerSecond(int seconds, const std::vector<std::pair<int64_t, int64_t>>& gaps) {
  json out = json::array();
  for (int t = 0; t < seconds; ++t) {
    bool down = false;
    for (auto [s, e] : gaps) down |= (t + 1) * kS > s && t * kS < e;
    int64_t base = 200000 + (t % 7) * 15000;
    out.push_back({{"t_s", t}, {"count", down ? 0 : 9000}, {"p50_ns", base}, {"p90_ns", base * 2},
                   {"p99_ns", base * 5}, {"p999_ns", base * 12}, {"max_ns", down ? 0 : base * 40 + (t % 5) * 3 * kMs}});
  }
  return out;
}

json Failover(const std::string& fault, int64_t start, const std::string& old_master, const std::string& new_master) {
  (void)old_master;
  return {{"fault_id", fault},          {"fault_start_ns", start},          {"sdown_ns", start + 1000 * kMs},
          {"odown_ns", start + 1050 * kMs}, {"elected_leader_ns", start + 1900 * kMs},
          {"became_master_ns", start + 1960 * kMs}, {"promoted_ns", start + 2100 * kMs},
          {"switch_master_ns", start + 2150 * kMs},
          {"vip_moved_ns", start + 2200 * kMs}, {"first_ok_ns", start + 2401 * kMs}, {"new_master", new_master}};
}

json SentinelEvents(int64_t start, const std::string& old_master, const std::string& new_master) {
  json out = json::array();
  for (const char* s : {"n1", "n2", "n3"}) {
    if (s == old_master) continue;
    out.push_back({{"at_ns", start + 1000 * kMs}, {"sentinel", s}, {"event", "+sdown"},
                   {"detail", "master mymaster 10.213.4.11 6379"}});
    out.push_back({{"at_ns", start + 1050 * kMs}, {"sentinel", s}, {"event", "+odown"},
                   {"detail", "master mymaster 10.213.4.11 6379 #quorum 2/2"}});
  }
  out.push_back({{"at_ns", start + 1900 * kMs}, {"sentinel", new_master}, {"event", "+elected-leader"},
                 {"detail", "master mymaster"}});
  out.push_back({{"at_ns", start + 2100 * kMs}, {"sentinel", new_master}, {"event", "+promoted-slave"},
                 {"detail", "slave " + new_master}});
  out.push_back({{"at_ns", start + 2150 * kMs}, {"sentinel", new_master}, {"event", "+switch-master"},
                 {"detail", "mymaster " + old_master + " " + new_master}});
  return out;
}

json Expectations(double longest, double lost) {
  return json::array(
      {{{"text", "expect unavailability.longest < 4s"}, {"figure", "unavailability.longest"}, {"op", "<"},
        {"expected", 4.0}, {"measured", longest}, {"unit", "s"}, {"passed", longest < 4.0}, {"line", 7}},
       {{"text", "expect lost == 0"}, {"figure", "lost"}, {"op", "=="}, {"expected", 0}, {"measured", lost},
        {"unit", ""}, {"passed", lost == 0}, {"line", 8}}});
}

}  // namespace

json MasterKillRun() {
  const int64_t dur = 30 * kS, start = 5 * kS;
  json r = {{"schema_version", 1}};
  r["scenario"] = {{"name", "Master redis-server killed"}, {"description", "SIGKILL the master, restart it at 20 s"},
                   {"file", "scenarios/sentinel3/master-kill.chaos"}, {"seed", 42}};
  r["topology"] = Topology3();
  r["load"] = {{"clients", 8}, {"workload", "set"}, {"via", "vip"}, {"rate", "max"}, {"duration_ns", dur}};
  r["run"] = {{"wall_start", "2026-11-26T12:00:00.000000Z"}, {"duration_ns", dur + 1234 * kMs}, {"cut_short", false},
              {"rerun", "sentinel-chaos run scenarios/sentinel3/master-kill.chaos --seed 42"}, {"verdict", "fail"}};
  r["settings"] = {{"gap_threshold_ns", 50 * kMs}, {"bucket_ns", 100 * kMs}};
  r["settle"] = {{"settled", true}, {"took_ns", 1200 * kMs}, {"reason", ""}};
  r["faults"] = json::array({{{"id", "m1"}, {"kind", "kill"}, {"target", "n1"},
                              {"detail", "redis-server pid 1234 SIGKILL"}, {"start_ns", start},
                              {"stop_ns", 20 * kS}, {"ttr_ns", 2401 * kMs}}});
  json window = {{"start_ns", start + kMs}, {"end_ns", start + 2401 * kMs}, {"duration_ns", 2400 * kMs},
                 {"failed_ops", 120}, {"unknown_ops", 8}, {"errors", {{"refused", 100}, {"timeout", 8}, {"READONLY", 20}}}};
  r["availability"] = {
      {"writes", {{"count", 1}, {"total_ns", 2400 * kMs}, {"longest_ns", 2400 * kMs}, {"windows", {window}}}},
      {"reads", nullptr},
      {"per_client", json::array({{{"client", 0}, {"count", 1}, {"total_ns", 2400 * kMs}, {"longest_ns", 2400 * kMs},
                                   {"windows", json::array()}}})}};
  json lost = json::array();
  for (int i = 0; i < 12; ++i)
    lost.push_back({{"value", "c3-" + std::to_string(17 + i)}, {"acked_ns", start - 20 * kMs + i * kMs},
                    {"server", "10.213.4.11:6379"}});
  r["data_loss"] = {{"workload", "set"}, {"attempted", 100000}, {"acknowledged", 99000}, {"lost", 12},
                    {"unexpected", 0}, {"recovered", 30}, {"lost_elements", lost},
                    {"lost_elements_truncated", false}, {"counter", nullptr}};
  r["divergence"] = {{"replicas", {{{"node", "n2"}, {"missing", 0}, {"extra", 0}}}}, {"diverged", 0}};
  r["split_brain"] = {{"total_ns", 0}, {"intervals", json::array()}};
  std::vector<std::pair<int64_t, int64_t>> gaps = {{start, start + 2401 * kMs}};
  r["latency"] = {{"overall", {{"count", 99000}, {"p50_ns", 210000}, {"p90_ns", 400000}, {"p99_ns", 1100000},
                               {"p999_ns", 2500000}, {"max_ns", 1000 * kMs}}},
                  {"per_second", PerSecond(30, gaps)}};
  r["throughput"] = {{"bucket_ns", 100 * kMs}, {"buckets", Buckets(dur, 100 * kMs, gaps, 900)}};
  r["timeline"] = {
      {"roles", {{{"node", "n1"}, {"start_ns", 0}, {"end_ns", start}, {"role", "master"}},
                 {{"node", "n1"}, {"start_ns", start}, {"end_ns", 20 * kS}, {"role", "down"}},
                 {{"node", "n1"}, {"start_ns", 20 * kS}, {"end_ns", dur}, {"role", "replica"}},
                 {{"node", "n2"}, {"start_ns", 0}, {"end_ns", start + 2100 * kMs}, {"role", "replica"}},
                 {{"node", "n2"}, {"start_ns", start + 2100 * kMs}, {"end_ns", dur}, {"role", "master"}},
                 {{"node", "n3"}, {"start_ns", 0}, {"end_ns", dur}, {"role", "replica"}}}},
      {"sentinel_views", {{{"sentinel", "n1"}, {"start_ns", 0}, {"end_ns", start}, {"master", "n1"}},
                          {{"sentinel", "n1"}, {"start_ns", 20 * kS}, {"end_ns", dur}, {"master", "n2"}},
                          {{"sentinel", "n2"}, {"start_ns", 0}, {"end_ns", start + 2150 * kMs}, {"master", "n1"}},
                          {{"sentinel", "n2"}, {"start_ns", start + 2150 * kMs}, {"end_ns", dur}, {"master", "n2"}},
                          {{"sentinel", "n3"}, {"start_ns", 0}, {"end_ns", start + 2300 * kMs}, {"master", "n1"}},
                          {{"sentinel", "n3"}, {"start_ns", start + 2300 * kMs}, {"end_ns", dur}, {"master", "n2"}}}},
      {"vip", {{{"node", "n1"}, {"start_ns", 0}, {"end_ns", start + 2200 * kMs}},
               {{"node", "n2"}, {"start_ns", start + 2200 * kMs}, {"end_ns", dur}}}},
      {"sentinel_events", SentinelEvents(start, "n1", "n2")}};
  r["failovers"] = json::array({Failover("m1", start, "n1", "n2")});
  r["figures"] = {{"unavailability.longest", 2.4}, {"unavailability.total", 2.4}, {"unavailability.count", 1},
                  {"ttr", 2.401}, {"ttr.m1", 2.401}, {"lost", 12}, {"unexpected", 0}, {"recovered", 30},
                  {"split_brain", 0.0}, {"failovers", 1}, {"failover.time", 2.15}, {"latency.p99", 0.0011},
                  {"settled", 1}};
  r["expectations"] = Expectations(2.4, 12);
  return r;
}

json EmptyRun() { return {{"schema_version", 1}}; }

json NullSectionsRun() {
  json r = {{"schema_version", 1}};
  for (const char* k : {"scenario", "topology", "load", "run", "settings", "settle", "faults", "availability",
                        "data_loss", "divergence", "split_brain", "latency", "throughput", "timeline", "failovers",
                        "figures", "expectations"})
    r[k] = nullptr;
  return r;
}

json NoFailoverRun() {
  json r = MasterKillRun();
  r["scenario"]["name"] = "Single redis-server killed";
  r["scenario"]["file"] = "scenarios/single/process-kill.chaos";
  r["topology"] = {{"kind", "single"}, {"options", {{"supervisor", "on"}}},
                   {"servers", {{{"name", "n1"}, {"address", "10.213.4.11"}, {"redis", true}, {"sentinel", false}}}},
                   {"vip", nullptr}, {"client", "10.213.4.200"}, {"redis_version", "7.0.15"}};
  r["timeline"] = {{"roles", {{{"node", "n1"}, {"start_ns", 0}, {"end_ns", 5 * kS}, {"role", "master"}},
                              {{"node", "n1"}, {"start_ns", 5 * kS}, {"end_ns", 7 * kS}, {"role", "down"}},
                              {{"node", "n1"}, {"start_ns", 7 * kS}, {"end_ns", 30 * kS}, {"role", "master"}}}},
                   {"sentinel_views", json::array()}, {"vip", json::array()}, {"sentinel_events", json::array()}};
  r["failovers"] = json::array();
  r["figures"].erase("failover.time");
  r["figures"]["failovers"] = 0;
  r["run"]["verdict"] = "pass";
  r["expectations"] = Expectations(2.4, 0);
  r["data_loss"]["lost"] = 0;
  r["data_loss"]["lost_elements"] = json::array();
  r["figures"]["lost"] = 0;
  return r;
}

json TwoFailoversRun() {
  json r = MasterKillRun();
  const int64_t second = 40 * kS, dur = 60 * kS;
  r["run"]["duration_ns"] = dur;
  r["faults"].push_back({{"id", "m2"}, {"kind", "kill"}, {"target", "n2"}, {"detail", "redis-server pid 2345 SIGKILL"},
                         {"start_ns", second}, {"stop_ns", 55 * kS}, {"ttr_ns", 2401 * kMs}});
  r["failovers"].push_back(Failover("m2", second, "n2", "n3"));
  r["failovers"][1]["vip_moved_ns"] = nullptr;  // a VIP move the observer missed
  for (json& e : SentinelEvents(second, "n2", "n3")) r["timeline"]["sentinel_events"].push_back(e);
  json& w = r["availability"]["writes"];
  w["windows"].push_back({{"start_ns", second + kMs}, {"end_ns", second + 2401 * kMs}, {"duration_ns", 2400 * kMs},
                          {"failed_ops", 90}, {"unknown_ops", 8}, {"errors", {{"refused", 90}}}});
  w["count"] = 2;
  w["total_ns"] = 4800 * kMs;
  std::vector<std::pair<int64_t, int64_t>> gaps = {{5 * kS, 5 * kS + 2401 * kMs}, {second, second + 2401 * kMs}};
  r["throughput"]["buckets"] = Buckets(dur, 100 * kMs, gaps, 900);
  r["latency"]["per_second"] = PerSecond(60, gaps);
  r["figures"]["failovers"] = 2;
  r["figures"]["unavailability.count"] = 2;
  return r;
}

json CutShortRun() {
  json r = MasterKillRun();
  const int64_t end = 6500 * kMs;
  r["run"]["cut_short"] = true;
  r["run"]["duration_ns"] = end;
  r["run"]["verdict"] = "error";
  r["faults"][0]["stop_ns"] = nullptr;
  r["faults"][0]["ttr_ns"] = nullptr;
  r["availability"]["writes"]["windows"][0]["end_ns"] = nullptr;
  r["failovers"][0]["elected_leader_ns"] = nullptr;
  r["failovers"][0]["promoted_ns"] = nullptr;
  r["failovers"][0]["switch_master_ns"] = nullptr;
  r["failovers"][0]["vip_moved_ns"] = nullptr;
  r["failovers"][0]["first_ok_ns"] = nullptr;
  r["throughput"]["buckets"] = Buckets(end, 100 * kMs, {{5 * kS, end}}, 900);
  r["latency"]["per_second"] = PerSecond(6, {{5 * kS, end}});
  r["timeline"]["roles"] = {{{"node", "n1"}, {"start_ns", 0}, {"end_ns", 5 * kS}, {"role", "master"}},
                            {{"node", "n1"}, {"start_ns", 5 * kS}, {"end_ns", nullptr}, {"role", "down"}}};
  r["timeline"]["sentinel_views"] = json::array();
  r["timeline"]["vip"] = {{{"node", "n1"}, {"start_ns", 0}, {"end_ns", nullptr}}};
  json events = json::array();
  for (const json& e : r["timeline"]["sentinel_events"])
    if (e["at_ns"].get<int64_t>() < end) events.push_back(e);
  r["timeline"]["sentinel_events"] = events;
  r["availability"]["writes"]["windows"][0]["duration_ns"] = nullptr;
  r["settle"] = {{"settled", false}, {"took_ns", nullptr}, {"reason", "run interrupted"}};
  r["figures"] = {{"unavailability.longest", 1.499}};
  r["expectations"][1]["measured"] = nullptr;
  r["expectations"][1]["passed"] = false;
  return r;
}

json BigRun(int seconds, int clients, int lost_count) {
  const int64_t dur = seconds * kS;
  json r = MasterKillRun();
  r["scenario"]["name"] = "30-minute full load, master kill every 5 minutes";
  r["load"]["clients"] = clients;
  r["load"]["duration_ns"] = dur;
  r["run"]["duration_ns"] = dur;
  json faults = json::array(), failovers = json::array(), events = json::array(), windows = json::array();
  json roles = json::array(), views = json::array(), vip = json::array();
  std::vector<std::pair<int64_t, int64_t>> gaps;
  const char* nodes[] = {"n1", "n2", "n3"};
  int64_t prev = 0;
  int k = 0;
  for (int64_t start = 60 * kS; start < dur; start += 300 * kS, ++k) {
    std::string id = "m" + std::to_string(k + 1), old_m = nodes[k % 3], new_m = nodes[(k + 1) % 3];
    faults.push_back({{"id", id}, {"kind", "kill"}, {"target", old_m}, {"detail", "redis-server SIGKILL"},
                      {"start_ns", start}, {"stop_ns", start + 30 * kS}, {"ttr_ns", 2401 * kMs}});
    failovers.push_back(Failover(id, start, old_m, new_m));
    for (json& e : SentinelEvents(start, old_m, new_m)) events.push_back(e);
    windows.push_back({{"start_ns", start + kMs}, {"end_ns", start + 2401 * kMs}, {"duration_ns", 2400 * kMs},
                       {"failed_ops", 1200}, {"unknown_ops", 64}, {"errors", {{"refused", 1200}}}});
    gaps.push_back({start, start + 2401 * kMs});
    roles.push_back({{"node", old_m}, {"start_ns", prev}, {"end_ns", start}, {"role", "master"}});
    roles.push_back({{"node", old_m}, {"start_ns", start}, {"end_ns", start + 30 * kS}, {"role", "down"}});
    for (const char* s : nodes)
      views.push_back({{"sentinel", s}, {"start_ns", prev}, {"end_ns", start + 2150 * kMs}, {"master", old_m}});
    vip.push_back({{"node", old_m}, {"start_ns", prev}, {"end_ns", start + 2200 * kMs}});
    prev = start + 2150 * kMs;
  }
  // Flapping: many sub-second windows, to exercise merging.
  for (int64_t t = 900 * kS; t < 960 * kS && t < dur; t += 300 * kMs) {
    windows.push_back({{"start_ns", t}, {"end_ns", t + 80 * kMs}, {"duration_ns", 80 * kMs}, {"failed_ops", 3},
                       {"unknown_ops", 0}, {"errors", {{"timeout", 3}}}});
  }
  r["faults"] = faults;
  r["failovers"] = failovers;
  r["availability"]["writes"] = {{"count", windows.size()}, {"total_ns", 2400 * kMs * faults.size()},
                                 {"longest_ns", 2400 * kMs}, {"windows", windows}};
  r["timeline"] = {{"roles", roles}, {"sentinel_views", views}, {"vip", vip}, {"sentinel_events", events}};
  r["throughput"]["buckets"] = Buckets(dur, 100 * kMs, gaps, 900 * clients);
  r["latency"]["per_second"] = PerSecond(seconds, gaps);
  json lost = json::array();
  for (int i = 0; i < lost_count; ++i)
    lost.push_back({{"value", "c" + std::to_string(i % clients) + "-" + std::to_string(100000 + i)},
                    {"acked_ns", 60 * kS - 5 * kMs + i * 10000}, {"server", "10.213.4.11:6379"}});
  r["data_loss"]["lost"] = lost_count;
  r["data_loss"]["lost_elements"] = lost;
  r["figures"]["lost"] = lost_count;
  r["figures"]["failovers"] = failovers.size();
  r["figures"]["unavailability.count"] = windows.size();
  return r;
}

json ExampleSuite(double slower, int extra_lost) {
  std::vector<json> entries;
  const char* archs[] = {"single", "sentinel1", "sentinel2", "sentinel3"};
  const char* classes[] = {"process kill", "node down", "partition"};
  int i = 0;
  for (const char* a : archs) {
    for (const char* c : classes) {
      json r = MasterKillRun();
      r["topology"]["kind"] = a;
      double longest = (1.0 + i * 0.4) * slower;
      double lost = (i % 4 == 3 ? 5 : 0) + extra_lost;
      r["figures"]["unavailability.longest"] = longest;
      r["figures"]["lost"] = lost;
      r["expectations"] = Expectations(longest, lost);
      r["run"]["verdict"] = longest < 4.0 && lost == 0 ? "pass" : "fail";
      char dir[64];
      std::snprintf(dir, sizeof dir, "runs/%03d-%s", i, a);
      entries.push_back(MakeSuiteEntry(r, dir, c, nullptr));
      ++i;
    }
  }
  for (const char* after : {"500ms", "1s", "2s", "5s"}) {
    json r = MasterKillRun();
    double longest = (std::stod(after) * (std::string(after).find("ms") != std::string::npos ? 0.001 : 1) + 1.4) * slower;
    r["figures"]["unavailability.longest"] = longest;
    r["figures"]["lost"] = 2 + extra_lost;
    r["run"]["verdict"] = longest < 4 ? "pass" : "fail";
    r["expectations"] = Expectations(longest, 2 + extra_lost);
    entries.push_back(
        MakeSuiteEntry(r, "runs/sweep-" + std::string(after), "master kill", {{"down-after", after}, {"vip", "on"}}));
  }
  return MakeSuiteDocument("nightly matrix", "2026-11-26T12:00:00Z", entries);
}

}  // namespace sc::reports::testing
