#include "harness/checkers/split_brain.h"

#include <algorithm>
#include <set>

namespace sc {

void SplitBrainChecker::Finish(const CheckContext& ctx, nlohmann::json& results) {
  if (!ctx.roles_seen) {
    results["split_brain"] = nullptr;
    return;
  }
  // Where a node's master interval starts or ends (one that lasts to the end
  // of the journal does not end; one of zero length never held).
  struct Edge {
    Nanos at;
    bool starts;
    const std::string* node;
  };
  std::vector<Edge> edges;
  for (const RoleInterval& r : ctx.role_intervals) {
    if (r.role != "master" || (r.end_ns == r.start_ns && !r.to_end)) continue;
    edges.push_back({r.start_ns, true, &r.node});
    if (!r.to_end) edges.push_back({r.end_ns, false, &r.node});
  }
  // At one instant, ends before starts: a node master again at once stays master.
  std::stable_sort(edges.begin(), edges.end(),
                   [](const Edge& a, const Edge& b) { return a.at != b.at ? a.at < b.at : !a.starts && b.starts; });
  std::set<std::string> masters;
  std::set<std::string> in_interval;  // every node that was master during it
  bool open = false;
  Nanos start = 0, total = 0;
  nlohmann::json intervals = nlohmann::json::array();
  auto close = [&](Nanos end, bool still_open) {
    nlohmann::json j = {{"start_ns", start}, {"end_ns", end}, {"masters", in_interval}};
    if (still_open) j["open"] = true;
    intervals.push_back(std::move(j));
    total += end - start;
    open = false;
  };
  for (size_t i = 0; i < edges.size(); ++i) {
    const Edge& e = edges[i];
    if (e.starts) masters.insert(*e.node);
    else masters.erase(*e.node);
    // Changes at the same instant are one step: judge after the last of them.
    if (i + 1 < edges.size() && edges[i + 1].at == e.at) continue;
    if (masters.size() > 1) {
      if (!open) {
        open = true;
        start = e.at;
        in_interval.clear();
      }
      in_interval.insert(masters.begin(), masters.end());
    } else if (open) {
      close(e.at, false);
    }
  }
  if (open) close(std::max(ctx.end_ns, start), true);
  results["split_brain"] = {{"total_ns", total}, {"intervals", std::move(intervals)}};
  results["figures"]["split_brain"] = Seconds(total);
  results["figures"]["split_brain.count"] = results["split_brain"]["intervals"].size();
}

}  // namespace sc
