#include "harness/checkers/latency.h"

namespace sc {

nlohmann::json PercentilesToJson(const LogHistogram& h) {
  return {{"count", h.Count()},          {"p50_ns", h.Percentile(0.50)},
          {"p90_ns", h.Percentile(0.90)}, {"p99_ns", h.Percentile(0.99)},
          {"p999_ns", h.Percentile(0.999)}, {"max_ns", h.Max()}};
}

void LatencyChecker::OnOp(const Op& op) {
  if (op.outcome != Outcome::kOk) return;
  Nanos latency = op.complete - op.invoke;
  overall_.Record(latency);
  size_t second = op.complete < 0 ? 0 : static_cast<size_t>(op.complete / 1'000'000'000);
  if (second >= per_second_.size()) per_second_.resize(second + 1);
  per_second_[second].Record(latency);
}

void LatencyChecker::Finish(const CheckContext&, nlohmann::json& results) {
  nlohmann::json per_second = nlohmann::json::array();
  for (size_t s = 0; s < per_second_.size(); ++s) {
    if (per_second_[s].Count() == 0) continue;
    nlohmann::json j = PercentilesToJson(per_second_[s]);
    j["t_s"] = s;
    per_second.push_back(std::move(j));
  }
  results["latency"] = {{"overall", PercentilesToJson(overall_)},
                        {"per_second", std::move(per_second)}};
  if (overall_.Count() == 0) return;
  nlohmann::json& figures = results["figures"];
  figures["latency.p50"] = Seconds(overall_.Percentile(0.50));
  figures["latency.p90"] = Seconds(overall_.Percentile(0.90));
  figures["latency.p99"] = Seconds(overall_.Percentile(0.99));
  figures["latency.p999"] = Seconds(overall_.Percentile(0.999));
  figures["latency.max"] = Seconds(overall_.Max());
}

}  // namespace sc
