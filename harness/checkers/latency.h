// LatencyChecker: latency (completion - invoke) of ok operations, overall and
// per second of completion, as p50/p90/p99/p99.9/max. Constant memory per
// second of run (LogHistogram).
#pragma once

#include "harness/checkers/checker.h"
#include "harness/checkers/log_histogram.h"

namespace sc {

class LatencyChecker : public Checker {
 public:
  void OnOp(const Op& op) override;
  void Finish(const CheckContext& ctx, nlohmann::json& results) override;

 private:
  LogHistogram overall_;
  std::vector<LogHistogram> per_second_;
};

// {"count", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns"}
nlohmann::json PercentilesToJson(const LogHistogram& h);

}  // namespace sc
