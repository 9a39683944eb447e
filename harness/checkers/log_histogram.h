// LogHistogram: counts of non-negative integers (nanoseconds) in log-linear
// buckets, HdrHistogram style: exact below 128, then 64 buckets per power of
// two, so a reported percentile is within 1% of the true value (the bucket's
// midpoint is reported). Memory grows only to the largest bucket used: about
// 14 KB for values up to one second.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sc {

class LogHistogram {
 public:
  void Record(int64_t value);
  uint64_t Count() const { return count_; }
  int64_t Max() const { return max_; }
  int64_t Min() const { return min_; }
  // The value at rank ceil(q * count) (q in [0, 1]), clamped to [Min, Max];
  // 0 when empty.
  int64_t Percentile(double q) const;

  static size_t BucketOf(uint64_t value);
  static uint64_t BucketLow(size_t bucket);
  static uint64_t BucketHigh(size_t bucket);  // exclusive

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  int64_t max_ = 0;
  int64_t min_ = INT64_MAX;
};

}  // namespace sc
