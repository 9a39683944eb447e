#include "harness/checkers/element_set.h"

#include <algorithm>

#include "harness/history/history.h"

namespace sc {

namespace {
constexpr uint32_t kMaxClient = 1 << 16;
constexpr uint64_t kMaxSeq = uint64_t{1} << 28;  // a bitmap of at most 32 MB per client

bool ParseNumber(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 12 || (s.size() > 1 && s[0] == '0')) return false;
  uint64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
    v = v * 10 + static_cast<uint64_t>(ch - '0');
  }
  *out = v;
  return true;
}
}  // namespace

std::optional<ElementId> ParseElementId(std::string_view text) {
  if (text.size() < 4 || text[0] != 'c') return std::nullopt;
  size_t dash = text.find('-', 1);
  if (dash == std::string_view::npos) return std::nullopt;
  uint64_t client, seq;
  if (!ParseNumber(text.substr(1, dash - 1), &client) || !ParseNumber(text.substr(dash + 1), &seq))
    return std::nullopt;
  // Bitmaps are sized by the largest seq: keep absurd numbers out of them.
  if (client >= kMaxClient || seq >= kMaxSeq) return std::nullopt;
  return ElementId{static_cast<uint32_t>(client), seq};
}

std::string Element::ToString() const {
  if (!id) return std::string(text);
  return "c" + std::to_string(id->client) + "-" + std::to_string(id->seq);
}

void ElementSet::Insert(ElementId id) {
  if (id.client >= bits_.size()) bits_.resize(id.client + 1);
  auto& words = bits_[id.client];
  size_t w = id.seq / 64;
  if (w >= words.size()) {
    // Grow by half again rather than double: bitmaps are small, peaks matter.
    if (w >= words.capacity()) words.reserve(std::max(w + 1, words.capacity() + words.capacity() / 2));
    words.resize(w + 1, 0);
  }
  words[w] |= uint64_t{1} << (id.seq % 64);
}

void ElementSet::InsertRange(std::string_view range) {
  const size_t dots = range.find("..");
  if (dots == std::string_view::npos) return Insert(range);
  auto first = ParseElementId(range.substr(0, dots));
  uint64_t last = 0;
  if (!first || !ParseNumber(range.substr(dots + 2), &last) || last < first->seq || last >= kMaxSeq) {
    // Not a range of ids (or beyond the bitmaps): exactly the elements the
    // reader would have expanded it into.
    std::vector<std::string> elements;
    ExpandRange(range, elements);
    for (const std::string& e : elements) Insert(e);
    return;
  }
  const uint32_t c = first->client;
  if (c >= bits_.size()) bits_.resize(c + 1);
  auto& words = bits_[c];
  const size_t last_word = last / 64;
  if (last_word >= words.size()) {
    if (last_word >= words.capacity()) words.reserve(std::max(last_word + 1, words.capacity() + words.capacity() / 2));
    words.resize(last_word + 1, 0);
  }
  for (uint64_t q = first->seq; q <= last;) {
    const size_t w = q / 64;
    const unsigned lo = q % 64;
    const unsigned hi = last / 64 == w ? last % 64 : 63;  // bits lo..hi of word w
    const uint64_t span = hi - lo + 1;
    words[w] |= (span == 64 ? ~uint64_t{0} : ((uint64_t{1} << span) - 1)) << lo;
    q = uint64_t{w + 1} * 64;
  }
}

void ElementSet::Insert(std::string_view text) {
  if (auto id = ParseElementId(text)) {
    Insert(*id);
  } else {
    texts_.emplace(text);
  }
}

bool ElementSet::ContainsId(ElementId id) const {
  if (id.client >= bits_.size()) return false;
  const auto& words = bits_[id.client];
  size_t w = id.seq / 64;
  return w < words.size() && (words[w] >> (id.seq % 64) & 1) != 0;
}

bool ElementSet::Contains(std::string_view text) const {
  if (auto id = ParseElementId(text)) return ContainsId(*id);
  return texts_.count(std::string(text)) != 0;
}

bool ElementSet::Contains(const Element& e) const {
  return e.id ? ContainsId(*e.id) : texts_.count(std::string(e.text)) != 0;
}

size_t ElementSet::Size() const {
  size_t n = texts_.size();
  for (const auto& words : bits_) {
    for (uint64_t w : words) n += static_cast<size_t>(__builtin_popcountll(w));
  }
  return n;
}

}  // namespace sc
