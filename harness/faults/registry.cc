// The registry and the list of built-in fault kinds, one line each.
#include <algorithm>
#include <stdexcept>

#include "harness/faults/fault_kind.h"

namespace sc::faults {

// Each defined in its own NAME_fault.cc.
FaultKind KillFaultKind();
FaultKind PauseFaultKind();
FaultKind NodeDownFaultKind();
FaultKind PartitionFaultKind();
FaultKind ClientCutFaultKind();
FaultKind LossFaultKind();
FaultKind SlowFaultKind();
FaultKind FailoverFaultKind();
FaultKind CrashLeaderFaultKind();

namespace {

std::vector<FaultKind> BuiltinFaultKinds() {
  return {
      KillFaultKind(),
      PauseFaultKind(),
      NodeDownFaultKind(),
      PartitionFaultKind(),
      ClientCutFaultKind(),
      LossFaultKind(),
      SlowFaultKind(),
      FailoverFaultKind(),
      CrashLeaderFaultKind(),
  };
}

std::string ServerList(const std::vector<int>& numbers) {
  std::vector<std::string> names;
  for (int n : numbers) names.push_back("n" + std::to_string(n));
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return out;
}

}  // namespace

const FaultOption* FaultKind::Option(const std::string& name) const {
  for (const auto& o : options)
    if (o.name == name) return &o;
  return nullptr;
}

void FaultRegistry::Register(FaultKind kind) {
  if (kind.keyword.empty() || Find(kind.keyword) || !kind.describe || !kind.make)
    throw std::logic_error("fault kind '" + kind.keyword + "' is a duplicate or lacks describe/make");
  if (kind.short_noun.empty()) kind.short_noun = kind.noun.substr(kind.noun.find(' ') + 1);
  if (kind.stop.word.empty()) kind.stop.word = "stop";
  auto verb = std::find_if(stop_verbs_.begin(), stop_verbs_.end(), [&](const StopVerb& v) { return v.word == kind.stop.word; });
  if (verb == stop_verbs_.end()) {
    stop_verbs_.push_back(kind.stop);
  } else {
    for (const auto& o : kind.stop.options)
      if (std::none_of(verb->options.begin(), verb->options.end(), [&](const FaultOption& x) { return x.name == o.name; }))
        verb->options.push_back(o);
  }
  // "stop" stops every kind and stays the last of the list.
  std::stable_partition(stop_verbs_.begin(), stop_verbs_.end(), [](const StopVerb& v) { return v.word != "stop"; });
  kinds_.push_back(std::move(kind));
}

const FaultKind* FaultRegistry::Find(const std::string& keyword) const {
  for (const auto& k : kinds_)
    if (k.keyword == keyword) return &k;
  return nullptr;
}

std::vector<std::string> FaultRegistry::Keywords() const {
  std::vector<std::string> out;
  for (const auto& k : kinds_) out.push_back(k.keyword);
  return out;
}

std::vector<std::string> FaultRegistry::StopVerbs() const {
  std::vector<std::string> out;
  for (const auto& v : stop_verbs_) out.push_back(v.word);
  if (std::find(out.begin(), out.end(), "stop") == out.end()) out.push_back("stop");
  return out;
}

const StopVerb* FaultRegistry::FindStopVerb(const std::string& word) const {
  static const StopVerb kStop{"stop", {}};
  for (const auto& v : stop_verbs_)
    if (v.word == word) return &v;
  return word == "stop" ? &kStop : nullptr;
}

std::string FaultRegistry::WhatStopVerbStops(const std::string& word) const {
  std::vector<std::string> nouns;
  for (const auto& k : kinds_)
    if (k.stop.word == word) nouns.push_back(k.short_noun);
  return nouns.empty() ? "a fault" : "a " + ListWithOr(nouns);
}

FaultRegistry& FaultKinds() {
  static FaultRegistry registry = [] {
    FaultRegistry r;
    for (auto& k : BuiltinFaultKinds()) r.Register(std::move(k));
    return r;
  }();
  return registry;
}

const FaultKind& KindOf(const scenario::FaultSpec& spec) {
  const FaultKind* k = FaultKinds().Find(spec.kind);
  if (!k) throw std::logic_error("no fault kind '" + spec.kind + "' is registered");
  return *k;
}

scenario::FaultSpec WithDefaults(const scenario::FaultSpec& spec) {
  scenario::FaultSpec out = spec;
  for (const auto& o : KindOf(spec).options)
    if (!o.default_value.empty()) out.options.emplace(o.name, o.default_value);
  return out;
}

std::string JoinWords(const std::vector<std::string>& words, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) out += (i ? sep : "") + words[i];
  return out;
}

std::string TopologyCheck::TopologyName() const {
  std::string name = std::string("topology ") + topology::ToString(topology_.kind);
  if (topology_.kind == topology::Kind::kSentinel3 && topology_.replicas == 1) name += " with replicas=1";
  return name;
}

std::optional<std::string> TopologyCheck::ServerProblem(const std::string& word) const {
  const int servers = topology_.Servers();
  if (word == "replica" && servers < 2) return TopologyName() + " has no replica";
  std::vector<int> all;
  for (int i = 1; i <= servers; ++i) all.push_back(i);
  if (int n = ServerNumber(word); n > servers)
    return TopologyName() + " has no " + word + " (its servers: " + ServerList(all) + ")";
  if (!ServerNumber(word) && word != "master" && word != "replica" && word != "random")
    return "'" + word + "' is not a server";
  return std::nullopt;
}

std::optional<std::string> TopologyCheck::SentinelProblem(const std::string& word) const {
  const auto hosts = topology_.SentinelHosts();
  const int n = ServerNumber(word);
  if (n > 0 && n <= topology_.Servers() && std::find(hosts.begin(), hosts.end(), n) == hosts.end())
    return word + " runs no Sentinel in " + TopologyName() + " (Sentinels run on " + ServerList(hosts) + ")";
  return std::nullopt;
}

}  // namespace sc::faults
