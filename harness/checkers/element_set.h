// ElementSet: a set of set-workload elements in little memory. Elements of the
// load generator's form "c<client>-<seq>" are bits in per-client bitmaps
// (10 million elements take about 1.25 MB); anything else is kept as text.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace sc {

// A "c<client>-<seq>" element, when the text has exactly that form and the
// numbers are small enough to index a bitmap.
struct ElementId {
  uint32_t client = 0;
  uint64_t seq = 0;
};
std::optional<ElementId> ParseElementId(std::string_view text);

// An element as ForEach hands it out: an id, or text when it has no id form.
struct Element {
  std::optional<ElementId> id;
  std::string_view text;
  std::string ToString() const;
};

class ElementSet {
 public:
  void Insert(std::string_view text);
  void Insert(ElementId id);
  // Inserts every element of a journal range (ElementRanges' form:
  // "c3-5..9" is c3-5 ... c3-9); any other text is inserted as one element,
  // as Insert(text) would, so that nothing read is ever dropped.
  void InsertRange(std::string_view range);
  bool Contains(std::string_view text) const;
  bool Contains(const Element& e) const;
  bool ContainsId(ElementId id) const;
  size_t Size() const;
  // Calls f(const Element&) for every element: ids by client then seq, then
  // the text elements in no particular order.
  template <class F>
  void ForEach(F f) const;
  // Calls f(const Element&) for every element of this set that is in none of
  // the `excluded` sets, in ForEach's order. Ids are compared 64 at a time
  // (a word of each bitmap), so it costs about what the elements it reports
  // cost, not one lookup per element of this set.
  template <class F>
  void ForEachExcept(std::initializer_list<const ElementSet*> excluded, F f) const;

 private:
  // Word w of client c's bitmap; 0 beyond it.
  uint64_t Word(uint32_t c, size_t w) const {
    return c < bits_.size() && w < bits_[c].size() ? bits_[c][w] : 0;
  }

  std::vector<std::vector<uint64_t>> bits_;  // [client][seq / 64]
  std::unordered_set<std::string> texts_;
};

template <class F>
void ElementSet::ForEach(F f) const {
  ForEachExcept({}, f);
}

template <class F>
void ElementSet::ForEachExcept(std::initializer_list<const ElementSet*> excluded, F f) const {
  Element e;
  for (uint32_t c = 0; c < bits_.size(); ++c) {
    const auto& words = bits_[c];
    for (size_t w = 0; w < words.size(); ++w) {
      uint64_t word = words[w];
      for (const ElementSet* x : excluded) word &= ~x->Word(c, w);
      while (word != 0) {
        int b = __builtin_ctzll(word);
        word &= word - 1;
        e.id = ElementId{c, w * 64 + static_cast<uint64_t>(b)};
        f(static_cast<const Element&>(e));
      }
    }
  }
  e.id.reset();
  for (const std::string& t : texts_) {
    bool in_excluded = false;
    for (const ElementSet* x : excluded) in_excluded = in_excluded || x->texts_.count(t) != 0;
    if (in_excluded) continue;
    e.text = t;
    f(static_cast<const Element&>(e));
  }
}

}  // namespace sc
