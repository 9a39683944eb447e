// ThroughputChecker: ok / fail / unknown operations per bucket of completion
// time (settings.bucket_ns, from 0), and the ok_ops / failed_ops /
// unknown_ops figures.
#pragma once

#include "harness/checkers/checker.h"

namespace sc {

class ThroughputChecker : public Checker {
 public:
  explicit ThroughputChecker(const CheckSettings& settings) : bucket_ns_(settings.bucket_ns) {}
  void OnOp(const Op& op) override;
  void Finish(const CheckContext& ctx, nlohmann::json& results) override;

 private:
  struct Bucket {
    uint32_t ok = 0, fail = 0, unknown = 0;
  };
  Nanos bucket_ns_;
  std::vector<Bucket> buckets_;
  int64_t ok_ = 0, fail_ = 0, unknown_ = 0;
};

}  // namespace sc
