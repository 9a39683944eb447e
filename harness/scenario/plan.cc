#include "harness/scenario/plan.h"

#include "harness/faults/fault_kind.h"
#include "harness/load/workload.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <sstream>

namespace sc::scenario {

bool Holds(const std::string& op, double measured, double expected) {
  if (op == "<") return measured < expected;
  if (op == "<=") return measured <= expected;
  if (op == ">") return measured > expected;
  if (op == ">=") return measured >= expected;
  if (op == "==") return measured == expected;
  if (op == "!=") return measured != expected;
  return false;
}

namespace {

std::string Join(const std::vector<std::string>& words, const char* sep) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) out += (i ? sep : "") + words[i];
  return out;
}

std::string Seconds(int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3fs", static_cast<double>(ns) / 1e9);
  return buf;
}

std::string FormatValue(const Expectation& e) {
  std::ostringstream out;
  out << e.value << e.unit;
  return out.str();
}

// The fault's id, kind, line and source, its target or sides, and every
// option (numbers as numbers, as its kind declares).
nlohmann::json FaultToJson(const FaultSpec& f) {
  nlohmann::json j = {{"id", f.id}, {"kind", f.kind}, {"line", f.line}, {"source", f.source}};
  if (!f.target.empty()) j["target"] = f.target;
  if (!f.groups.empty()) j["groups"] = f.groups;
  const faults::FaultKind& kind = faults::KindOf(f);
  for (const auto& [name, value] : faults::WithDefaults(f).options) {
    const faults::FaultOption* o = kind.Option(name);
    if (o && o->number) j[name] = std::stoll(value);
    else j[name] = value;
  }
  return j;
}

nlohmann::json StepToJson(const Step& s) {
  nlohmann::json j = {{"at_ns", s.at_ns}, {"line", s.line}};
  if (auto* start = std::get_if<StartFault>(&s.action)) {
    j["action"] = "start";
    if (start->alternatives.empty()) {
      j["fault"] = FaultToJson(start->spec);
    } else {
      j["fault"] = {{"id", start->spec.id}, {"kind", "one-of"}, {"line", start->spec.line},
                    {"source", start->spec.source}};
      nlohmann::json alts = nlohmann::json::array();
      for (const auto& a : start->alternatives) alts.push_back(FaultToJson(a));
      j["fault"]["alternatives"] = alts;
    }
  } else if (auto* stop = std::get_if<StopFault>(&s.action)) {
    j["action"] = "stop";
    j["id"] = stop->id;
    j["verb"] = stop->verb;
    for (const auto& [name, value] : stop->options) j[name] = value;
  } else {
    const auto& wait = std::get<WaitUntil>(s.action);
    j["action"] = "wait";
    j["condition"] = wait.condition;
    j["timeout_ns"] = wait.timeout_ns;
  }
  return j;
}

nlohmann::json LoadToJson(const load::LoadOptions& l) {
  nlohmann::json j = {{"clients", l.clients},
                      {"workload", l.workload},
                      {"via", load::ToString(l.via)},
                      {"duration_ns", l.duration_ns},
                      {"connect_timeout_ns", l.connect_timeout_ns},
                      {"command_timeout_ns", l.command_timeout_ns},
                      {"key", l.key}};
  if (l.rate > 0) j["rate"] = l.rate; else j["rate"] = "max";
  if (l.via == load::Via::kDirect) j["server"] = l.direct_server;
  if (load::WorkloadOf(l).reads) j["reads"] = l.read_fraction;
  j["client"] = l.client;
  if (!load::EffectiveProfile(l).empty()) j["profile"] = load::EffectiveProfile(l);
  return j;
}

// Picks 0..n-1 from the generator the same way everywhere (the standard
// distributions are not specified bit for bit; mt19937_64 is).
size_t Pick(std::mt19937_64& rng, size_t n) { return static_cast<size_t>(rng() % n); }

// A random partition member avoids the servers already named in the
// partition, so that `random | n1` never puts n1 on both sides.
void ResolveTargets(FaultSpec& f, std::mt19937_64& rng, int servers) {
  std::vector<std::string> candidates;
  for (int i = 1; i <= servers; ++i) {
    std::string name = "n" + std::to_string(i);
    bool named = false;
    for (const auto& group : f.groups)
      for (const auto& t : group) named = named || t == name;
    if (!named) candidates.push_back(name);
  }
  if (candidates.empty())
    for (int i = 1; i <= servers; ++i) candidates.push_back("n" + std::to_string(i));
  auto resolve = [&](std::string& t) {
    if (t != "random") return;
    t = candidates[Pick(rng, candidates.size())];
    if (!f.groups.empty() && candidates.size() > 1)
      candidates.erase(std::find(candidates.begin(), candidates.end(), t));
  };
  resolve(f.target);
  for (auto& group : f.groups)
    for (auto& t : group) resolve(t);
}

}  // namespace

std::string DescribeFault(const FaultSpec& f) { return faults::KindOf(f).describe(faults::WithDefaults(f)); }

std::vector<load::LoadOptions> LoadLines(const Plan& plan) {
  std::vector<load::LoadOptions> lines = {plan.load};
  lines.insert(lines.end(), plan.more_loads.begin(), plan.more_loads.end());
  return lines;
}

std::string DescribePlan(const Plan& plan) {
  const auto& t = plan.topology;
  const auto& l = plan.load;
  std::ostringstream out;
  out << "Scenario: " << plan.name;
  if (!plan.file.empty()) out << " (" << plan.file << ")";
  out << "\n";
  if (!plan.description.empty()) out << "  " << plan.description << "\n";
  out << "Topology: " << topology::ToString(t.kind) << ", " << t.Servers() << " server(s), "
      << t.Sentinels() << " Sentinel(s)";
  if (t.Sentinels() > 0) {
    out << ", quorum " << t.EffectiveQuorum() << ", down-after " << t.down_after_ms
        << "ms, failover-timeout " << t.failover_timeout_ms << "ms";
  }
  out << ", vip " << (t.vip ? "on" : "off") << ", supervisor " << (t.supervisor ? "on" : "off");
  if (t.min_replicas_to_write > 0)
    out << ", min-replicas-to-write " << t.min_replicas_to_write << " (max lag " << t.min_replicas_max_lag << "s)";
  out << "\n";
  out << "Load: " << l.clients << " client(s), workload " << l.workload << " via "
      << load::ToString(l.via) << ", " << Seconds(l.duration_ns);
  for (const auto& line : LoadLines(plan)) {
    if (line.client == load::kHiredis && plan.more_loads.empty()) break;
    out << "\n  group " << line.client << (line.client == load::kHiredis ? "" : " profile " + load::EffectiveProfile(line))
        << ": " << line.clients << " client(s) via " << load::ToString(line.via);
  }
  out << "\n";
  out << "Seed: " << (plan.seed ? std::to_string(*plan.seed) : std::string("chosen by the run")) << "\n";
  out << "Timeline:\n";
  if (plan.timeline.empty()) out << "  (no fault)\n";
  for (const auto& s : plan.timeline) {
    char at[32];
    std::snprintf(at, sizeof at, "%9.3fs", static_cast<double>(s.at_ns) / 1e9);
    out << "  " << at << "  ";
    if (auto* start = std::get_if<StartFault>(&s.action)) {
      out << "start " << start->spec.id << ": ";
      if (start->alternatives.empty()) {
        out << DescribeFault(start->spec);
      } else {
        std::vector<std::string> alts;
        for (const auto& a : start->alternatives) alts.push_back(DescribeFault(a));
        out << "one of {" << Join(alts, "; ") << "}";
      }
    } else if (auto* stop = std::get_if<StopFault>(&s.action)) {
      out << "stop " << stop->id << " (" << stop->verb;
      for (const auto& [name, value] : stop->options) out << ", " << value;
      out << ")";
    } else {
      const auto& w = std::get<WaitUntil>(s.action);
      out << "wait until " << w.condition << " (at most " << Seconds(w.timeout_ns) << ")";
    }
    out << "  [line " << s.line << "]\n";
  }
  out << "Settle: at most " << Seconds(plan.settle_timeout_ns) << " after the load\n";
  out << "Expectations:\n";
  if (plan.expectations.empty()) out << "  (none)\n";
  for (const auto& e : plan.expectations)
    out << "  " << e.figure << " " << e.op << " " << FormatValue(e) << "  [line " << e.line << "]\n";
  return out.str();
}

nlohmann::json PlanToJson(const Plan& plan) {
  nlohmann::json timeline = nlohmann::json::array();
  for (const auto& s : plan.timeline) timeline.push_back(StepToJson(s));
  nlohmann::json expectations = nlohmann::json::array();
  for (const auto& e : plan.expectations)
    expectations.push_back({{"text", e.text}, {"figure", e.figure}, {"op", e.op}, {"value", e.value},
                            {"unit", e.unit}, {"line", e.line}});
  nlohmann::json seed = nullptr;
  if (plan.seed) seed = *plan.seed;
  return {{"name", plan.name},
          {"description", plan.description},
          {"file", plan.file},
          {"seed", seed},
          {"topology", topology::ToJson(plan.topology)},
          {"load", LoadToJson(plan.load)},
          {"more_loads", [&] {
             nlohmann::json a = nlohmann::json::array();
             for (const auto& l : plan.more_loads) a.push_back(LoadToJson(l));
             return a;
           }()},
          {"settle_timeout_ns", plan.settle_timeout_ns},
          {"timeline", timeline},
          {"expectations", expectations}};
}

void ResolveRandom(Plan& plan, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const int servers = plan.topology.Servers();
  for (auto& step : plan.timeline) {
    auto* start = std::get_if<StartFault>(&step.action);
    if (!start) continue;
    if (!start->alternatives.empty()) {
      FaultSpec chosen = start->alternatives[Pick(rng, start->alternatives.size())];
      chosen.id = start->spec.id;
      chosen.source = start->spec.source;
      start->spec = chosen;
      start->alternatives.clear();
    }
    ResolveTargets(start->spec, rng, servers);
  }
  plan.seed = seed;
}

}  // namespace sc::scenario
