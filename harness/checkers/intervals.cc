#include "harness/checkers/intervals.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace sc {

std::vector<Interval> ChangesToIntervals(std::vector<Change> changes, Nanos end) {
  std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) { return a.at < b.at; });
  struct Open {
    Nanos start;
    std::string value;
  };
  std::map<std::string, Open> open;
  std::vector<Interval> out;
  auto emit = [&](const std::string& key, const Open& o, Nanos until, bool to_end) {
    if (!o.value.empty()) out.push_back({o.start, std::max(until, o.start), key, o.value, to_end});
  };
  for (const auto& c : changes) {
    auto it = open.find(c.key);
    if (it != open.end()) {
      if (it->second.value == c.value) continue;  // no change
      emit(c.key, it->second, c.at, false);
      it->second = Open{c.at, c.value};
    } else {
      open.emplace(c.key, Open{c.at, c.value});
    }
  }
  for (const auto& [key, o] : open) emit(key, o, end, true);
  std::stable_sort(out.begin(), out.end(), [](const Interval& a, const Interval& b) {
    return std::tie(a.start_ns, a.end_ns, a.key, a.value) < std::tie(b.start_ns, b.end_ns, b.key, b.value);
  });
  return out;
}

}  // namespace sc
