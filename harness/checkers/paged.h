// Paged<T>: an append-only array in fixed pages, so that growing it never
// copies (or briefly doubles) tens of megabytes. Internal to sc_checkers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

namespace sc {

template <class T>
class Paged {
 public:
  static constexpr size_t kPage = 1 << 16;

  void push_back(const T& v) {
    // A new page is left uninitialized (new T[], not make_unique's zeroing):
    // every element is written by push_back before it is read.
    if (size_ % kPage == 0) pages_.push_back(std::unique_ptr<T[]>(new T[kPage]));
    pages_.back()[size_ % kPage] = v;
    ++size_;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](size_t i) { return pages_[i / kPage][i % kPage]; }
  const T& operator[](size_t i) const { return pages_[i / kPage][i % kPage]; }
  // Grows to n elements (new ones value-initialized).
  void resize_at_least(size_t n) {
    while (size_ < n) push_back(T());
  }

  // Sorts ascending. Cheap when already sorted (the usual case).
  void Sort() {
    bool sorted = true;
    for (size_t i = 1; i < size_ && sorted; ++i) sorted = !((*this)[i] < (*this)[i - 1]);
    if (sorted) return;
    std::vector<T> all(size_);
    for (size_t i = 0; i < size_; ++i) all[i] = (*this)[i];
    std::sort(all.begin(), all.end());
    for (size_t i = 0; i < size_; ++i) (*this)[i] = all[i];
  }

  // First index whose element is not less than v (REQUIRES: sorted).
  size_t LowerBound(const T& v) const {
    size_t lo = 0, hi = size_;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if ((*this)[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

 private:
  std::vector<std::unique_ptr<T[]>> pages_;
  size_t size_ = 0;
};

}  // namespace sc
