#include "harness/checkers/split_brain.h"

#include <algorithm>
#include <map>
#include <set>

namespace sc {

void SplitBrainChecker::OnEvent(const Event& ev) {
  if (ev.type == "role") changes_.push_back({ev.at, ev.node, ev.role});
}

void SplitBrainChecker::Finish(const CheckContext& ctx, nlohmann::json& results) {
  if (changes_.empty()) {
    results["split_brain"] = nullptr;
    return;
  }
  std::stable_sort(changes_.begin(), changes_.end(),
                   [](const RoleChange& a, const RoleChange& b) { return a.at < b.at; });
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
  for (size_t i = 0; i < changes_.size(); ++i) {
    const RoleChange& c = changes_[i];
    if (c.role == "master") masters.insert(c.node);
    else masters.erase(c.node);
    // Changes at the same instant are one step: judge after the last of them.
    if (i + 1 < changes_.size() && changes_[i + 1].at == c.at) continue;
    if (masters.size() > 1) {
      if (!open) {
        open = true;
        start = c.at;
        in_interval.clear();
      }
      in_interval.insert(masters.begin(), masters.end());
    } else if (open) {
      close(c.at, false);
    }
  }
  if (open) close(std::max(ctx.end_ns, start), true);
  results["split_brain"] = {{"total_ns", total}, {"intervals", std::move(intervals)}};
  results["figures"]["split_brain"] = Seconds(total);
  results["figures"]["split_brain.count"] = results["split_brain"]["intervals"].size();
}

}  // namespace sc
