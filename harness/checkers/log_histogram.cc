#include "harness/checkers/log_histogram.h"

#include <algorithm>
#include <cmath>

namespace sc {

namespace {
constexpr int kSubBits = 6;                  // 64 buckets per power of two
constexpr uint64_t kLinear = 2u << kSubBits;  // values below 128 are exact
}  // namespace

size_t LogHistogram::BucketOf(uint64_t v) {
  if (v < kLinear) return static_cast<size_t>(v);
  int msb = 63 - __builtin_clzll(v);        // >= kSubBits + 1
  int shift = msb - kSubBits;               // keeps the top kSubBits + 1 bits
  uint64_t top = v >> shift;                // in [64, 128)
  return kLinear + static_cast<size_t>(shift - 1) * (kLinear / 2) + (top - kLinear / 2);
}

uint64_t LogHistogram::BucketLow(size_t b) {
  if (b < kLinear) return b;
  size_t k = b - kLinear;
  int shift = static_cast<int>(k / (kLinear / 2)) + 1;
  uint64_t top = kLinear / 2 + k % (kLinear / 2);
  return top << shift;
}

uint64_t LogHistogram::BucketHigh(size_t b) {
  if (b < kLinear) return b + 1;
  size_t k = b - kLinear;
  int shift = static_cast<int>(k / (kLinear / 2)) + 1;
  return BucketLow(b) + (uint64_t{1} << shift);
}

void LogHistogram::Record(int64_t value) {
  uint64_t v = value < 0 ? 0 : static_cast<uint64_t>(value);
  size_t b = BucketOf(v);
  if (b >= counts_.size()) counts_.resize(b + 1, 0);
  ++counts_[b];
  ++count_;
  max_ = std::max<int64_t>(max_, static_cast<int64_t>(v));
  min_ = std::min<int64_t>(min_, static_cast<int64_t>(v));
}

int64_t LogHistogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  uint64_t rank = static_cast<uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * count_));
  rank = std::max<uint64_t>(rank, 1);
  uint64_t seen = 0;
  for (size_t b = 0; b < counts_.size(); ++b) {
    seen += counts_[b];
    if (seen >= rank) {
      uint64_t mid = (BucketLow(b) + BucketHigh(b) - 1) / 2;
      return std::clamp<int64_t>(static_cast<int64_t>(mid), min_, max_);
    }
  }
  return max_;
}

}  // namespace sc
