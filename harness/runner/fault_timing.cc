#include "harness/runner/fault_timing.h"

#include <cstdio>

namespace sc::runner {

namespace {

std::string Ms(int64_t ns) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(ns) / 1e6);
  return buf;
}

}  // namespace

std::vector<std::string> MarkLateFaults(nlohmann::json& results, int64_t tolerance_ns) {
  std::vector<std::string> late;
  const nlohmann::json run = results.value("run", nlohmann::json::object());
  const nlohmann::json load_end = run.value("load_end_ns", nlohmann::json());
  if (results.contains("faults") && results["faults"].is_array()) {
    for (auto& f : results["faults"]) {
      const nlohmann::json start = f.value("start_ns", nlohmann::json());
      const nlohmann::json scheduled = f.value("scheduled_start_ns", nlohmann::json());
      const std::string id = f.value("id", std::string("?"));
      std::string why;
      if (start.is_number() && scheduled.is_number()) {
        const int64_t lateness = start.get<int64_t>() - scheduled.get<int64_t>();
        f["lateness_ns"] = lateness;
        if (lateness > tolerance_ns)
          why = "fault " + id + " came into force " + Ms(lateness) + " after its scheduled instant (tolerance " +
                Ms(tolerance_ns) + ")";
      } else {
        f["lateness_ns"] = nullptr;
      }
      if (why.empty() && start.is_number() && load_end.is_number() && load_end.get<int64_t>() > 0 &&
          start.get<int64_t>() >= load_end.get<int64_t>())
        why = "fault " + id + " came into force only after the load ended";
      f["late"] = !why.empty();
      if (!why.empty()) late.push_back(why);
    }
  }
  results["run"]["late_faults"] = late;
  return late;
}

}  // namespace sc::runner
