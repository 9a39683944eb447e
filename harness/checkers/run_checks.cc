#include "harness/checkers/run_checks.h"

#include <algorithm>

#include "harness/checkers/availability.h"
#include "harness/checkers/data_loss.h"
#include "harness/checkers/failover.h"
#include "harness/checkers/intervals.h"
#include "harness/checkers/latency.h"
#include "harness/checkers/split_brain.h"
#include "harness/checkers/throughput.h"
#include "harness/checkers/timeline.h"

namespace sc {

Checker::~Checker() = default;

std::vector<std::string> CheckContext::MastersBefore(Nanos t) const {
  std::vector<std::string> masters;
  for (const RoleInterval& r : role_intervals) {
    if (r.start_ns >= t) break;  // by start
    if (r.role == "master" && (r.to_end || r.end_ns >= t)) masters.push_back(r.node);
  }
  std::sort(masters.begin(), masters.end());
  return masters;
}

namespace {

nlohmann::json OrNull(const std::optional<Nanos>& t) { return t ? nlohmann::json(*t) : nlohmann::json(); }

// Gathers the shared analysis every checker reads: meta, faults, settle, the
// journal's end, ok writes per client, the write windows and the role intervals.
class ContextBuilder {
 public:
  explicit ContextBuilder(const CheckSettings& settings) : writes_(settings.gap_threshold_ns) { ctx_.settings = settings; }

  void OnMeta(const nlohmann::json& meta) { ctx_.meta = meta; }
  void OnOp(const Op& op) {
    ctx_.end_ns = std::max(ctx_.end_ns, op.complete);
    writes_.OnOp(op, ctx_);
  }
  void OnEvent(const Event& ev) {
    ctx_.end_ns = std::max(ctx_.end_ns, ev.at);
    if (ev.type == "fault-start" && ev.detail.rfind(kFaultNotApplied, 0) == 0) {
      // The runner could not apply it (no single master to target, ...): it
      // never came into force, so it has no window, TTR or anatomy; it is
      // listed, and counted in faults.not_applied.
      not_applied_.push_back({{"id", ev.name},
                              {"kind", ev.kind},
                              {"target", ev.target},
                              {"detail", ev.detail},
                              {"applied", false},
                              {"start_ns", nullptr},
                              {"stop_ns", nullptr},
                              {"scheduled_start_ns", OrNull(ev.scheduled)},
                              {"scheduled_stop_ns", nullptr},
                              {"for_ns", nullptr},
                              {"ttr_ns", nullptr}});
    } else if (ev.type == "fault-start") {
      FaultRecord f;
      f.id = ev.name;
      f.kind = ev.kind;
      f.target = ev.target;
      f.detail = ev.detail;
      f.start_ns = ev.at;
      f.scheduled_start_ns = ev.scheduled;
      ctx_.faults.push_back(f);
    } else if (ev.type == "fault-stop") {
      for (FaultRecord& f : ctx_.faults) {
        if (f.id == ev.name && !f.stop_ns) {
          f.stop_ns = ev.at;
          f.scheduled_stop_ns = ev.scheduled;
          if (ev.value > 0) f.for_ns = ev.value;
          break;
        }
      }
    } else if (ev.type == "role") {
      ctx_.roles_seen = true;
      role_changes_.push_back({ev.at, ev.node, ev.role});
    } else if (ev.type == "settle") {
      bool settled = ev.detail == "settled";
      settle_ = {{"settled", settled}, {"took_ns", ev.value}, {"reason", settled ? "" : ev.detail}};
    }
  }

  // Computes the analysis once; from here it is only read.
  const CheckContext& Build() {
    std::stable_sort(ctx_.faults.begin(), ctx_.faults.end(),
                     [](const FaultRecord& a, const FaultRecord& b) { return a.start_ns < b.start_ns; });
    writes_.Finish(ctx_);
    for (Interval& i : ChangesToIntervals(std::move(role_changes_), ctx_.end_ns))
      ctx_.role_intervals.push_back({i.start_ns, i.end_ns, std::move(i.key), std::move(i.value), i.to_end});
    role_changes_.clear();
    ctx_.workload = ctx_.settings.workload;
    if (ctx_.workload.empty() && ctx_.meta.is_object()) {
      if (ctx_.meta.contains("workload") && ctx_.meta["workload"].is_string()) {
        ctx_.workload = ctx_.meta["workload"];
      } else if (ctx_.meta.contains("load") && ctx_.meta["load"].is_object() &&
                 ctx_.meta["load"].value("workload", nlohmann::json()).is_string()) {
        ctx_.workload = ctx_.meta["load"]["workload"];
      }
    }
    return ctx_;
  }

  // The runner's sections that come from the context (after every Finish).
  void Write(nlohmann::json& results) const {
    results["settings"] = {{"gap_threshold_ns", ctx_.settings.gap_threshold_ns},
                           {"bucket_ns", ctx_.settings.bucket_ns}};
    results["settle"] = settle_;
    if (!settle_.is_null()) results["figures"]["settled"] = settle_["settled"].get<bool>() ? 1 : 0;
    nlohmann::json faults = nlohmann::json::array();
    for (const FaultRecord& f : ctx_.faults) {
      faults.push_back({{"id", f.id},
                        {"kind", f.kind},
                        {"target", f.target},
                        {"detail", f.detail},
                        {"start_ns", f.start_ns},
                        {"stop_ns", f.stop_ns ? nlohmann::json(*f.stop_ns) : nlohmann::json()},
                        {"scheduled_start_ns", OrNull(f.scheduled_start_ns)},
                        {"scheduled_stop_ns", OrNull(f.scheduled_stop_ns)},
                        {"for_ns", OrNull(f.for_ns)},
                        {"ttr_ns", f.ttr_ns ? nlohmann::json(*f.ttr_ns) : nlohmann::json()},
                        {"applied", true}});
    }
    for (const nlohmann::json& f : not_applied_) faults.push_back(f);
    if (!faults.empty()) results["figures"]["faults.not_applied"] = static_cast<int64_t>(not_applied_.size());
    results["faults"] = std::move(faults);
  }

 private:
  CheckContext ctx_;
  WriteAnalysis writes_;
  std::vector<Change> role_changes_;  // node -> role, in journal order
  std::vector<nlohmann::json> not_applied_;  // faults the runner could not apply, as results lists them
  nlohmann::json settle_;  // null until a "settle" event
};

nlohmann::json FinishAll(ContextBuilder& builder,
                         std::vector<std::unique_ptr<Checker>>& checkers) {
  nlohmann::json results = {{"figures", nlohmann::json::object()}};
  const CheckContext& ctx = builder.Build();
  for (auto& c : checkers) c->Finish(ctx, results);
  builder.Write(results);
  return results;
}

}  // namespace

std::vector<std::unique_ptr<Checker>> MakeCheckers(const CheckSettings& settings) {
  std::vector<std::unique_ptr<Checker>> checkers;
  checkers.push_back(std::make_unique<AvailabilityChecker>(settings));
  checkers.push_back(std::make_unique<DataLossChecker>());
  checkers.push_back(std::make_unique<SplitBrainChecker>());
  checkers.push_back(std::make_unique<LatencyChecker>());
  checkers.push_back(std::make_unique<ThroughputChecker>(settings));
  checkers.push_back(std::make_unique<TimelineChecker>());
  checkers.push_back(std::make_unique<FailoverChecker>());
  return checkers;
}

nlohmann::json RunChecks(const std::string& journal_path, const CheckSettings& settings,
                         std::string* warning) {
  ContextBuilder builder(settings);
  auto checkers = MakeCheckers(settings);
  JournalReader reader;
  reader.expand_ranges = false;  // final reads stay ranges: DataLossChecker inserts them whole
  reader.on_meta = [&](const nlohmann::json& meta) { builder.OnMeta(meta); };
  reader.on_op = [&](const Op& op) {
    builder.OnOp(op);
    for (auto& c : checkers) c->OnOp(op);
  };
  reader.on_event = [&](const Event& ev) {
    builder.OnEvent(ev);
    for (auto& c : checkers) c->OnEvent(ev);
  };
  std::string w = reader.Read(journal_path);
  nlohmann::json results = FinishAll(builder, checkers);
  if (!w.empty()) results["journal_warning"] = w;
  if (warning != nullptr) *warning = w;
  return results;
}

nlohmann::json RunChecks(const std::string& journal_path, const CheckSettings& settings,
                         const std::function<bool(const Op&)>& keep_op,
                         const std::function<bool(Event&)>& filter_event) {
  ContextBuilder builder(settings);
  auto checkers = MakeCheckers(settings);
  JournalReader reader;
  Event copy;
  reader.on_meta = [&](const nlohmann::json& meta) { builder.OnMeta(meta); };
  reader.on_op = [&](const Op& op) {
    if (!keep_op(op)) return;
    builder.OnOp(op);
    for (auto& c : checkers) c->OnOp(op);
  };
  reader.on_event = [&](const Event& ev) {
    copy = ev;
    if (!filter_event(copy)) return;
    builder.OnEvent(copy);
    for (auto& c : checkers) c->OnEvent(copy);
  };
  reader.Read(journal_path);
  return FinishAll(builder, checkers);
}

nlohmann::json RunChecks(const nlohmann::json& meta, const std::vector<Op>& ops,
                         const std::vector<Event>& events, const CheckSettings& settings) {
  return RunChecks(meta, ops, events, settings, MakeCheckers(settings));
}

nlohmann::json RunChecks(const nlohmann::json& meta, const std::vector<Op>& ops,
                         const std::vector<Event>& events, const CheckSettings& settings,
                         std::vector<std::unique_ptr<Checker>> checkers) {
  ContextBuilder builder(settings);
  builder.OnMeta(meta);
  for (const Op& op : ops) {
    builder.OnOp(op);
    for (auto& c : checkers) c->OnOp(op);
  }
  for (const Event& ev : events) {
    builder.OnEvent(ev);
    for (auto& c : checkers) c->OnEvent(ev);
  }
  return FinishAll(builder, checkers);
}

}  // namespace sc
