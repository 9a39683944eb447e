#include "harness/checkers/availability.h"

#include <algorithm>

namespace sc {

// ---------------------------------------------------------------- one lane

UnavailabilityWindows::UnavailabilityWindows(Nanos start, Nanos threshold,
                                             const TroubleOp* troubles_begin,
                                             const TroubleOp* troubles_end)
    : threshold_(threshold), last_ok_(start), next_(troubles_begin), end_(troubles_end) {
  for (const TroubleOp* p = troubles_begin; p < troubles_end; ++p) {
    if (p->complete - p->invoke > threshold_) slow_.emplace_back(p->invoke, p->complete);
  }
  std::sort(slow_.begin(), slow_.end());
}

void UnavailabilityWindows::OnOk(Nanos t) {
  if (t > last_ok_) Gap(last_ok_, t, false);
  last_ok_ = std::max(last_ok_, t);
}

std::vector<UnavailabilityWindow> UnavailabilityWindows::Finish(Nanos end) {
  if (end > last_ok_) Gap(last_ok_, end, true);
  return std::move(windows_);
}

void UnavailabilityWindows::Gap(Nanos a, Nanos b, bool open) {
  while (next_ < end_ && next_->complete <= a) ++next_;
  if (b - a <= threshold_) return;
  UnavailabilityWindow w;
  w.start_ns = a;
  w.end_ns = b;
  w.open = open;
  for (const TroubleOp* p = next_; p < end_ && p->complete <= b; ++p) {
    if (p->outcome == Outcome::kOk) continue;
    (p->outcome == Outcome::kFail ? w.failed_ops : w.unknown_ops)++;
    w.errors[ToString(p->error)]++;
  }
  // An op invoked before b - threshold that completed at or after b was
  // outstanding for longer than the threshold inside (a, b]: no ok completes
  // strictly inside the gap.
  while (slow_next_ < slow_.size() && slow_[slow_next_].first < b - threshold_) {
    slow_max_complete_ = std::max(slow_max_complete_, slow_[slow_next_].second);
    ++slow_next_;
  }
  bool outstanding = slow_max_complete_ >= b;
  if (w.failed_ops + w.unknown_ops > 0 || outstanding) windows_.push_back(std::move(w));
}

nlohmann::json WindowsToJson(const std::vector<UnavailabilityWindow>& windows) {
  Nanos total = 0, longest = 0;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& w : windows) {
    Nanos d = w.end_ns - w.start_ns;
    total += d;
    longest = std::max(longest, d);
    nlohmann::json j = {{"start_ns", w.start_ns},     {"end_ns", w.end_ns},
                        {"duration_ns", d},           {"failed_ops", w.failed_ops},
                        {"unknown_ops", w.unknown_ops}, {"errors", w.errors}};
    if (w.open) j["open"] = true;
    list.push_back(std::move(j));
  }
  return {{"count", windows.size()}, {"total_ns", total}, {"longest_ns", longest},
          {"windows", std::move(list)}};
}

// ---------------------------------------------------------------- checker

namespace {

bool ByCompletion(const TroubleOp& a, const TroubleOp& b) { return a.complete < b.complete; }

void Widen(Nanos invoke, Nanos complete, Nanos* first, Nanos* last) {
  *first = std::min(*first, invoke);
  *last = std::max(*last, complete);
}

void SetWindowFigures(const std::string& prefix, const std::vector<UnavailabilityWindow>& ws,
                      nlohmann::json& figures) {
  Nanos total = 0, longest = 0;
  for (const auto& w : ws) {
    total += w.end_ns - w.start_ns;
    longest = std::max(longest, w.end_ns - w.start_ns);
  }
  figures[prefix + ".longest"] = Seconds(longest);
  figures[prefix + ".total"] = Seconds(total);
  figures[prefix + ".count"] = ws.size();
}

}  // namespace

std::optional<Nanos> CheckContext::FirstOkWriteAfter(Nanos t) const {
  std::optional<Nanos> best;
  for (const auto& oks : ok_writes) {
    size_t i = oks.LowerBound(t);
    if (i < oks.size() && (!best || oks[i] < *best)) best = oks[i];
  }
  return best;
}

namespace {

// Merges sorted lanes the plain way: the earliest next completion is found by
// looking at each lane's next one (cheaper than a heap for a few lanes).
void MergeInOrder(const std::vector<Paged<Nanos>>& lanes, UnavailabilityWindows& out) {
  const size_t n = lanes.size();
  std::vector<size_t> pos(n, 0);
  for (;;) {
    size_t earliest = n;
    for (size_t c = 0; c < n; ++c) {
      if (pos[c] < lanes[c].size() && (earliest == n || lanes[c][pos[c]] < lanes[earliest][pos[earliest]]))
        earliest = c;
    }
    if (earliest == n) return;
    out.OnOk(lanes[earliest][pos[earliest]++]);
  }
}

}  // namespace

void FeedInOrder(const std::vector<Paged<Nanos>>& lanes, Nanos threshold, UnavailabilityWindows& out) {
  Nanos first = INT64_MAX, last = INT64_MIN;
  size_t total = 0;
  for (const auto& l : lanes) {
    if (l.empty()) continue;
    first = std::min(first, l[0]);
    last = std::max(last, l[l.size() - 1]);
    total += l.size();
  }
  if (total == 0) return;
  // Buckets of `threshold`: two completions in one bucket are less than the
  // threshold apart, so only each bucket's earliest and latest can bound a
  // gap longer than it. Feeding those two per bucket, in bucket order, gives
  // `out` the same gaps as every completion would, without merging them.
  const Nanos width = threshold;
  const uint64_t span = static_cast<uint64_t>(last) - static_cast<uint64_t>(first);
  if (width <= 0 || span / static_cast<uint64_t>(width) >= total) {
    MergeInOrder(lanes, out);  // more buckets than completions: merging is cheaper
    return;
  }
  const size_t buckets = static_cast<size_t>(span / static_cast<uint64_t>(width)) + 1;
  std::vector<Nanos> lo(buckets, INT64_MAX), hi(buckets, INT64_MIN);
  for (const auto& l : lanes) {
    size_t b = 0;
    Nanos edge = first + width;  // the end of bucket b
    for (size_t i = 0; i < l.size(); ++i) {
      const Nanos t = l[i];
      while (t >= edge) ++b, edge += width;
      lo[b] = std::min(lo[b], t);
      hi[b] = std::max(hi[b], t);
    }
  }
  for (size_t b = 0; b < buckets; ++b) {
    if (lo[b] > hi[b]) continue;  // empty
    out.OnOk(lo[b]);
    out.OnOk(hi[b]);
  }
}

void WriteAnalysis::OnOp(const Op& op, CheckContext& ctx) const {
  ctx.load_end_ns = std::max(ctx.load_end_ns, op.complete);
  if (op.kind == OpKind::kRead) return;
  const uint32_t client = static_cast<uint32_t>(std::max(op.client, 0));
  ctx.writes_seen = true;
  ctx.writes_first_invoke = std::min(ctx.writes_first_invoke, op.invoke);
  if (client >= ctx.ok_writes.size()) ctx.ok_writes.resize(client + 1);
  if (op.outcome == Outcome::kOk) ctx.ok_writes[client].push_back(op.complete);
  if (op.outcome != Outcome::kOk || op.complete - op.invoke > threshold_)
    ctx.write_troubles.push_back({op.complete, op.invoke, client, op.outcome, op.error});
}

void WriteAnalysis::Finish(CheckContext& ctx) const {
  for (auto& oks : ctx.ok_writes) oks.Sort();
  std::sort(ctx.write_troubles.begin(), ctx.write_troubles.end(), ByCompletion);
  if (!ctx.writes_seen) return;

  // System-wide: every client's ok completions, in time order.
  UnavailabilityWindows lane(ctx.writes_first_invoke, threshold_, ctx.write_troubles.data(),
                             ctx.write_troubles.data() + ctx.write_troubles.size());
  FeedInOrder(ctx.ok_writes, threshold_, lane);
  ctx.write_windows = lane.Finish(ctx.load_end_ns);

  // Time to recover: the first window that ends after the fault started and
  // starts before the next fault does.
  for (size_t i = 0; i < ctx.faults.size(); ++i) {
    FaultRecord& f = ctx.faults[i];
    Nanos next = INT64_MAX;
    for (size_t j = i + 1; j < ctx.faults.size(); ++j) {
      if (ctx.faults[j].start_ns > f.start_ns) {
        next = ctx.faults[j].start_ns;
        break;
      }
    }
    Nanos ttr = 0;
    for (const auto& w : ctx.write_windows) {
      if (w.end_ns > f.start_ns && w.start_ns < next) {
        ttr = w.end_ns - f.start_ns;
        break;
      }
    }
    f.ttr_ns = ttr;
  }
}

void AvailabilityChecker::OnOp(const Op& op) {
  TroubleOp t{op.complete, op.invoke, static_cast<uint32_t>(std::max(op.client, 0)), op.outcome,
              op.error};
  bool trouble = op.outcome != Outcome::kOk || op.complete - op.invoke > threshold_;
  if (op.kind == OpKind::kRead) {
    reads_.seen = true;
    Widen(op.invoke, op.complete, &reads_.first_invoke, &reads_.last_complete);
    if (op.outcome == Outcome::kOk) ok_reads_.push_back(op.complete);
    if (trouble) read_troubles_.push_back(t);
    return;
  }
  if (t.client >= client_lanes_.size()) client_lanes_.resize(t.client + 1);
  Lane& lane = client_lanes_[t.client];
  lane.seen = true;
  Widen(op.invoke, op.complete, &lane.first_invoke, &lane.last_complete);
}

void AvailabilityChecker::Finish(const CheckContext& ctx, nlohmann::json& results) {
  nlohmann::json& figures = results["figures"];
  nlohmann::json availability = {{"writes", nullptr}, {"reads", nullptr},
                                 {"per_client", nlohmann::json::array()}};
  if (ctx.writes_seen) {
    availability["writes"] = WindowsToJson(ctx.write_windows);
    SetWindowFigures("unavailability", ctx.write_windows, figures);
    Nanos worst_ttr = 0;
    for (const FaultRecord& f : ctx.faults) {
      const Nanos ttr = f.ttr_ns.value_or(0);
      worst_ttr = std::max(worst_ttr, ttr);
      figures["ttr." + f.id] = Seconds(ttr);
    }
    if (!ctx.faults.empty()) figures["ttr"] = Seconds(worst_ttr);
  }

  // Was there anything to measure, and did the fault show when it should?
  if (!ctx.faults.empty()) {
    Nanos first = ctx.faults.front().start_ns;
    for (const auto& f : ctx.faults) first = std::min(first, f.start_ns);
    int64_t before = 0;
    for (const auto& oks : ctx.ok_writes)
      for (size_t i = 0; i < oks.size() && oks[i] < first; ++i) ++before;
    figures["acknowledged.before_fault"] = before;
    for (const auto& w : ctx.write_windows)
      if (w.end_ns > first) {
        // Either side: a window open long before the fault is as far from
        // "the window opened at the fault" as one opening long after it.
        figures["unavailability.onset"] = Seconds(w.start_ns > first ? w.start_ns - first : first - w.start_ns);
        break;
      }
  }

  // Per client: the same lanes, one client's ops each.
  std::vector<TroubleOp> troubles = ctx.write_troubles;
  std::stable_sort(troubles.begin(), troubles.end(),
                   [](const TroubleOp& a, const TroubleOp& b) { return a.client < b.client; });
  Nanos client_longest = 0;
  const TroubleOp* tp = troubles.data();
  const TroubleOp* tend = tp + troubles.size();
  for (size_t c = 0; c < client_lanes_.size(); ++c) {
    const TroubleOp* begin = tp;
    while (tp < tend && tp->client == c) ++tp;
    if (!client_lanes_[c].seen) continue;
    UnavailabilityWindows lane(client_lanes_[c].first_invoke, threshold_, begin, tp);
    if (c < ctx.ok_writes.size())
      for (size_t i = 0; i < ctx.ok_writes[c].size(); ++i) lane.OnOk(ctx.ok_writes[c][i]);
    nlohmann::json j = WindowsToJson(lane.Finish(client_lanes_[c].last_complete));
    client_longest = std::max(client_longest, j["longest_ns"].get<Nanos>());
    j["client"] = c;
    availability["per_client"].push_back(std::move(j));
  }
  if (ctx.writes_seen) figures["client_unavailability.longest"] = Seconds(client_longest);

  if (reads_.seen) {
    ok_reads_.Sort();
    std::sort(read_troubles_.begin(), read_troubles_.end(), ByCompletion);
    UnavailabilityWindows lane(reads_.first_invoke, threshold_, read_troubles_.data(),
                               read_troubles_.data() + read_troubles_.size());
    for (size_t i = 0; i < ok_reads_.size(); ++i) lane.OnOk(ok_reads_[i]);
    auto read_windows = lane.Finish(ctx.load_end_ns);
    availability["reads"] = WindowsToJson(read_windows);
    SetWindowFigures("read_unavailability", read_windows, figures);
  }

  results["availability"] = std::move(availability);
}

}  // namespace sc
