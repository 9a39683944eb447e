#include "harness/checkers/data_loss.h"

#include "harness/load/workload.h"

#include <algorithm>
#include <charconv>
#include <queue>

namespace sc {

namespace {

constexpr uint64_t kTimeMask = (uint64_t{1} << 48) - 1;

std::optional<int64_t> ParseInteger(std::string_view s) {
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

uint16_t DataLossChecker::ServerIndex(int client, const std::string& server) {
  size_t c = static_cast<size_t>(std::max(client, 0));
  if (c >= last_server_.size()) last_server_.resize(c + 1, {std::string(), uint16_t{0}});
  auto& cached = last_server_[c];
  if (cached.second != 0 && cached.first == server) return cached.second;
  auto it = server_index_.find(server);
  uint16_t index;
  if (it != server_index_.end()) {
    index = it->second;
  } else if (servers_.size() < 65534) {
    servers_.push_back(server);
    index = static_cast<uint16_t>(servers_.size());  // 1-based: 0 is "not acknowledged"
    server_index_.emplace(server, index);
  } else {
    index = 65535;  // too many distinct servers to tell apart; reported as ""
  }
  cached = {server, index};
  return index;
}

void DataLossChecker::OnOp(const Op& op) {
  if (op.kind != OpKind::kWrite) return;
  bool ok = op.outcome == Outcome::kOk;
  ++writes_;
  if (ok) ++ok_writes_;
  if (all_values_integers_) {  // the counter sums mean something only then
    if (auto n = ParseInteger(op.value)) {
      attempted_sum_ += *n;
      if (ok) acked_sum_ += *n;
    } else {
      all_values_integers_ = false;
    }
  }

  // Counter increments ("1") land in the text set too: one element, unused.
  auto id = ParseElementId(op.value);
  if (id) {
    saw_id_value_ = true;
    attempted_.Insert(*id);
    if (ok) acked_.Insert(*id);
  } else {
    attempted_.Insert(op.value);
    if (ok) acked_.Insert(op.value);
  }
  if (!ok) return;
  AckInfo info = (uint64_t{ServerIndex(op.client, op.server)} << 48) |
                 (static_cast<uint64_t>(std::max<Nanos>(op.complete, 0)) & kTimeMask);
  if (id) {
    if (id->client >= acked_at_.size()) acked_at_.resize(id->client + 1);
    auto& at = acked_at_[id->client];
    at.resize_at_least(id->seq + 1);
    if (at[id->seq] == 0) at[id->seq] = info;  // the first acknowledgement counts
  } else {
    text_acked_at_.emplace(op.value, info);
  }
}

DataLossChecker::FinalRead* DataLossChecker::FinalReadOf(const std::string& node,
                                                         const std::string& role) {
  for (auto& r : final_reads_) {
    if (r.node == node) return &r;
  }
  final_reads_.push_back(FinalRead{node, role, ElementSet(), std::nullopt});
  return &final_reads_.back();
}

void DataLossChecker::SetCounts(nlohmann::json& loss, nlohmann::json& figures, int64_t lost, int64_t unexpected,
                                int64_t recovered) {
  for (auto* j : {&loss, &figures}) {
    (*j)["lost"] = lost;
    (*j)["unexpected"] = unexpected;
    (*j)["recovered"] = recovered;
  }
}

std::string DataLossChecker::NodeAt(const nlohmann::json& meta, const std::string& server, Nanos at) const {
  // "address:port@id": the connection read the server's id when it was made.
  const auto id_at = server.find('@');
  if (id_at != std::string::npos) {
    auto it = server_ids_.find(server.substr(id_at + 1));
    return it != server_ids_.end() ? it->second : "server " + server.substr(id_at + 1);
  }
  const std::string address = server;
  const std::string host = address.substr(0, address.rfind(':'));
  const auto& topo = meta.value("topology", nlohmann::json::object());
  if (topo.value("vip", nlohmann::json()).is_string() && topo["vip"] == host) {
    // Through the VIP: the server that held it when the write was acknowledged.
    std::string holder;
    for (auto& [t, node] : vip_holders_)
      if (t <= at) holder = node;
    return holder;
  }
  for (auto& s : topo.value("servers", nlohmann::json::array()))
    if (s.value("address", "") == host) return s.value("name", "");
  return "";
}

void DataLossChecker::OnEvent(const Event& ev) {
  if (ev.type == "vip") vip_holders_.emplace_back(ev.at, ev.node);
  if (ev.type == "server-id") server_ids_[ev.detail] = ev.node;
  if (ev.type == "key-read") {
    // A finished key, read from the settled master and deleted during the run.
    for (const std::string& v : ev.values) retired_.Insert(v);
    for (const std::string& r : ev.ranges) retired_.InsertRange(r);
    return;
  }
  if (ev.type != "final-read") return;
  FinalRead* r = FinalReadOf(ev.node, ev.role);
  // A big read arrives in parts (history.h): take the union.
  for (const std::string& v : ev.values) r->elements.Insert(v);
  for (const std::string& range : ev.ranges) r->elements.InsertRange(range);
  std::optional<int64_t> counter =
      ev.values.size() == 1 && ev.ranges.empty() ? ParseInteger(ev.values[0]) : std::optional<int64_t>();
  if (ev.values.empty() && ev.ranges.empty()) counter = ev.value;
  if (counter && !r->counter) r->counter = counter;
}

DataLossChecker::AckInfo DataLossChecker::AckOf(const Element& e) const {
  if (e.id) {
    if (e.id->client >= acked_at_.size()) return 0;
    const auto& at = acked_at_[e.id->client];
    return e.id->seq < at.size() ? at[e.id->seq] : 0;
  }
  auto it = text_acked_at_.find(std::string(e.text));
  return it == text_acked_at_.end() ? 0 : it->second;
}

void DataLossChecker::Finish(const CheckContext& ctx, nlohmann::json& results) {
  // The workload's data shape from its registry entry; a history that does
  // not say which workload wrote it is judged by its values.
  std::string workload = ctx.workload;
  const load::WorkloadKind* kind = load::Workloads().Find(workload);
  const bool looks_counted = !saw_id_value_ && writes_ > 0 && all_values_integers_;
  const bool counter = kind ? kind->shape == load::DataShape::kCounter : workload.empty() && looks_counted;
  if (workload.empty()) workload = looks_counted ? "counter" : "set";
  nlohmann::json loss = {{"workload", workload}, {"lost", nullptr}, {"unexpected", nullptr},
                         {"recovered", nullptr}, {"lost_elements", nlohmann::json::array()},
                         {"lost_elements_truncated", false}, {"counter", nullptr}};
  results["divergence"] = nullptr;
  if (counter) {
    FinishCounter(loss, results);
  } else {
    FinishSet(ctx, loss, results);
  }
  results["data_loss"] = std::move(loss);
}

void DataLossChecker::FinishSet(const CheckContext& ctx, nlohmann::json& loss, nlohmann::json& results) {
  nlohmann::json& figures = results["figures"];
  loss["attempted"] = attempted_.Size();
  loss["acknowledged"] = acked_.Size();
  figures["attempted"] = loss["attempted"];
  figures["acknowledged"] = loss["acknowledged"];
  auto master = std::find_if(final_reads_.begin(), final_reads_.end(),
                             [](const FinalRead& r) { return r.role == "master"; });
  if (master == final_reads_.end()) return;

  // Lost: acknowledged, absent. Keep the earliest-acknowledged few.
  using Lost = std::pair<uint64_t, std::string>;  // (ack info time, element)
  auto by_time = [](const Lost& a, const Lost& b) {
    return (a.first & kTimeMask) < (b.first & kTimeMask);
  };
  std::priority_queue<Lost, std::vector<Lost>, decltype(by_time)> earliest(by_time);
  size_t limit = ctx.settings.max_lost_elements;
  int64_t lost = 0;
  acked_.ForEachExcept({&master->elements, &retired_}, [&](const Element& e) {
    ++lost;
    AckInfo info = AckOf(e);
    if (limit == 0) return;
    if (earliest.size() < limit) {
      earliest.push({info, e.ToString()});
    } else if ((info & kTimeMask) < (earliest.top().first & kTimeMask)) {
      earliest.pop();
      earliest.push({info, e.ToString()});
    }
  });
  std::vector<Lost> listed;
  for (; !earliest.empty(); earliest.pop()) listed.push_back(earliest.top());
  std::reverse(listed.begin(), listed.end());
  for (const Lost& l : listed) {
    size_t server = l.first >> 48;
    const Nanos at = static_cast<Nanos>(l.first & kTimeMask);
    const std::string address = server >= 1 && server <= servers_.size() ? servers_[server - 1] : "";
    const std::string node = NodeAt(ctx.meta, address, at);
    loss["lost_elements"].push_back({{"value", l.second},
                                     {"acked_ns", at},
                                     {"server", node.empty() ? address : node + " (" + address + ")"},
                                     {"node", node}});
  }
  loss["lost_elements_truncated"] = lost > static_cast<int64_t>(listed.size());

  // Present (read from the master, or retired during the run) but not
  // acknowledged: unexpected when never attempted, else recovered. Every
  // acknowledged element was attempted, so the acknowledged ones are skipped
  // whole.
  int64_t unexpected = 0, recovered = 0;
  auto judge_present = [&](const Element& e) {
    if (!attempted_.Contains(e)) ++unexpected;
    else ++recovered;
  };
  master->elements.ForEachExcept({&acked_}, judge_present);
  retired_.ForEachExcept({&master->elements, &acked_}, judge_present);
  SetCounts(loss, figures, lost, unexpected, recovered);

  nlohmann::json replicas = nlohmann::json::array();
  int64_t diverged = 0;
  for (const FinalRead& r : final_reads_) {
    if (&r == &*master) continue;
    int64_t missing = 0, extra = 0;
    master->elements.ForEachExcept({&r.elements}, [&](const Element&) { ++missing; });
    r.elements.ForEachExcept({&master->elements}, [&](const Element&) { ++extra; });
    diverged += missing + extra > 0;
    replicas.push_back({{"node", r.node}, {"role", r.role}, {"missing", missing}, {"extra", extra}});
  }
  results["divergence"] = {{"master", master->node}, {"replicas", replicas}, {"diverged", diverged}};
  figures["diverged"] = diverged;
}

void DataLossChecker::FinishCounter(nlohmann::json& loss, nlohmann::json& results) {
  nlohmann::json& figures = results["figures"];
  loss["attempted"] = writes_;
  loss["acknowledged"] = ok_writes_;
  figures["attempted"] = writes_;
  figures["acknowledged"] = ok_writes_;
  auto master = std::find_if(final_reads_.begin(), final_reads_.end(),
                             [](const FinalRead& r) { return r.role == "master" && r.counter; });
  if (master == final_reads_.end()) return;
  int64_t final_value = *master->counter;
  int64_t lost = std::max<int64_t>(0, acked_sum_ - final_value);
  int64_t unexpected = std::max<int64_t>(0, final_value - attempted_sum_);
  int64_t recovered =
      std::clamp<int64_t>(final_value - acked_sum_, 0, std::max<int64_t>(0, attempted_sum_ - acked_sum_));
  loss["counter"] = {{"acknowledged_increments", acked_sum_},
                     {"attempted_increments", attempted_sum_},
                     {"final_value", final_value},
                     {"lost_increments", lost}};
  SetCounts(loss, figures, lost, unexpected, recovered);
  figures["lost_increments"] = lost;

  nlohmann::json replicas = nlohmann::json::array();
  int64_t diverged = 0;
  for (const FinalRead& r : final_reads_) {
    if (&r == &*master) continue;
    int64_t value = r.counter.value_or(0);
    int64_t missing = std::max<int64_t>(0, final_value - value);
    int64_t extra = std::max<int64_t>(0, value - final_value);
    diverged += missing + extra > 0;
    replicas.push_back({{"node", r.node}, {"role", r.role}, {"missing", missing}, {"extra", extra},
                        {"value", value}});
  }
  results["divergence"] = {{"master", master->node}, {"replicas", replicas}, {"diverged", diverged}};
  figures["diverged"] = diverged;
}

}  // namespace sc
