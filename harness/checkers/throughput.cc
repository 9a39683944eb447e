#include "harness/checkers/throughput.h"

namespace sc {

void ThroughputChecker::OnOp(const Op& op) {
  size_t b = op.complete < 0 || bucket_ns_ <= 0 ? 0 : static_cast<size_t>(op.complete / bucket_ns_);
  if (b >= buckets_.size()) buckets_.resize(b + 1);
  switch (op.outcome) {
    case Outcome::kOk: ++buckets_[b].ok; ++ok_; break;
    case Outcome::kFail: ++buckets_[b].fail; ++fail_; break;
    case Outcome::kUnknown: ++buckets_[b].unknown; ++unknown_; break;
  }
}

void ThroughputChecker::Finish(const CheckContext&, nlohmann::json& results) {
  nlohmann::json buckets = nlohmann::json::array();
  for (const Bucket& b : buckets_) {
    buckets.push_back({{"ok", b.ok}, {"fail", b.fail}, {"unknown", b.unknown}});
  }
  results["throughput"] = {{"bucket_ns", bucket_ns_}, {"buckets", std::move(buckets)}};
  nlohmann::json& figures = results["figures"];
  figures["ok_ops"] = ok_;
  figures["failed_ops"] = fail_;
  figures["unknown_ops"] = unknown_;
}

}  // namespace sc
