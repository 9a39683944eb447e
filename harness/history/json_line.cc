#include "harness/history/json_line.h"

#include <cstdint>
#include <cstring>

#include "harness/history/history.h"

namespace sc {

namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t')) ++p_;
  }
  bool Eat(char c) {
    SkipSpace();
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool Peek(char c) {
    SkipSpace();
    return p_ < end_ && *p_ == c;
  }
  bool AtEnd() {
    SkipSpace();
    return p_ == end_;
  }

  // A string without escapes; the view excludes the quotes. One pass: the
  // strings are short, so a loop beats two memchr calls.
  bool String(std::string_view* out) {
    if (!Eat('"')) return false;
    const char* q = p_;
    while (q < end_ && *q != '"') {
      if (*q == '\\') return false;
      ++q;
    }
    if (q == end_) return false;
    *out = std::string_view(p_, q - p_);
    p_ = q + 1;
    return true;
  }

  // Exactly `lit` next, no spaces.
  bool Lit(std::string_view lit) {
    if (static_cast<size_t>(end_ - p_) < lit.size() || std::memcmp(p_, lit.data(), lit.size()) != 0)
      return false;
    p_ += lit.size();
    return true;
  }

  bool Integer(int64_t* out) {
    SkipSpace();
    bool neg = p_ < end_ && *p_ == '-';
    if (neg) ++p_;
    const char* start = p_;
    int64_t v = 0;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') v = v * 10 + (*p_++ - '0');
    size_t digits = p_ - start;
    if (digits == 0 || digits > 18) return false;
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    *out = neg ? -v : v;
    return true;
  }

 private:
  const char* p_;
  const char* end_;
};

}  // namespace

bool ParseFlatObject(std::string_view line, FlatObject* out) {
  out->fields.clear();
  out->items.clear();
  Scanner s(line);
  if (!s.Eat('{')) return false;
  if (s.Eat('}')) return s.AtEnd();
  do {
    FlatField f;
    if (!s.String(&f.key) || !s.Eat(':')) return false;
    if (s.Peek('"')) {
      if (!s.String(&f.str)) return false;
    } else if (s.Eat('[')) {
      f.items_begin = out->items.size();
      if (!s.Eat(']')) {
        do {
          std::string_view item;
          if (!s.String(&item)) return false;
          out->items.push_back(item);
        } while (s.Eat(','));
        if (!s.Eat(']')) return false;
      }
      f.items_end = out->items.size();
    } else if (!s.Integer(&f.num)) {
      return false;
    }
    out->fields.push_back(f);
  } while (s.Eat(','));
  return s.Eat('}') && s.AtEnd();
}

namespace {

// A cursor over one op line in exactly the writer's layout: no spaces, keys
// in the fixed order, strings without escapes. Every step either consumes
// what it expects or fails (the caller then falls back to the general
// parsers), so it never has to skip or backtrack. The line must end with '}'
// (checked before): a digit run then always stops inside the line, so numbers
// need no bounds check. The loops work on local pointers: the line's chars
// could alias the cursor's own members, and the compiler would reload them at
// every char.
class OpLineCursor {
 public:
  explicit OpLineCursor(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  // Exactly the literal next. Its length is known at compile time, so the
  // compare is at most two overlapping word loads each side (the literal's
  // fold into constants), not a call to memcmp.
  template <size_t N>
  [[gnu::always_inline]] bool Lit(const char (&lit)[N]) {
    constexpr size_t n = N - 1;
    static_assert(n >= 1 && n <= 16);
    if (static_cast<size_t>(end_ - p_) < n) return false;
    bool same;
    if constexpr (n >= 8) {
      same = Load<uint64_t>(p_) == Load<uint64_t>(lit) && Load<uint64_t>(p_ + n - 8) == Load<uint64_t>(lit + n - 8);
    } else if constexpr (n >= 4) {
      same = Load<uint32_t>(p_) == Load<uint32_t>(lit) && Load<uint32_t>(p_ + n - 4) == Load<uint32_t>(lit + n - 4);
    } else if constexpr (n >= 2) {
      same = Load<uint16_t>(p_) == Load<uint16_t>(lit) && Load<uint16_t>(p_ + n - 2) == Load<uint16_t>(lit + n - 2);
    } else {
      same = *p_ == lit[0];
    }
    if (!same) return false;
    p_ += n;
    return true;
  }

  // An integer of 1 to 18 digits, optionally negative, not followed by a
  // fraction or an exponent (what the flat scanner accepts too). Eight chars
  // at a time while eight are left in the line.
  [[gnu::always_inline]] bool Integer(int64_t* out) {
    const char* p = p_;
    const bool neg = *p == '-';
    p += neg;
    const char* const start = p;
    uint64_t v = 0;
    while (end_ - p >= 8) {
      const uint64_t chunk = Load<uint64_t>(p);
      const int n = LeadingDigits(chunk);
      if (n > 0) v = v * kPow10[n] + EightDigits(chunk << (64 - 8 * n));
      p += n;
      if (n < 8) break;
      if (p - start > 18) return false;
    }
    if (end_ - p < 8)  // the line's last chars: one at a time ('}' ends them)
      for (unsigned d; (d = static_cast<unsigned char>(*p) - '0') < 10; ++p) v = v * 10 + d;
    const size_t digits = p - start;
    if (digits - 1 >= 18 || *p == '.' || *p == 'e' || *p == 'E') return false;
    *out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
    p_ = p;
    return true;
  }

  // A quoted string without escapes; the view excludes the quotes. Looks for
  // the closing quote (or a backslash) eight chars at a time.
  [[gnu::always_inline]] bool String(std::string_view* out) {
    const char* p = p_;
    const char* const end = end_;
    if (*p != '"') return false;
    const char* const start = ++p;
    for (;;) {
      if (end - p < 8) {
        while (p < end && *p != '"' && *p != '\\') ++p;
        break;
      }
      const uint64_t chunk = Load<uint64_t>(p);
      const uint64_t hits = ZeroBytes(chunk ^ (kOnes * '"')) | ZeroBytes(chunk ^ (kOnes * '\\'));
      if (hits != 0) {
        p += __builtin_ctzll(hits) / 8;
        break;
      }
      p += 8;
    }
    if (p == end || *p != '"') return false;
    *out = std::string_view(start, p - start);
    p_ = p + 1;
    return true;
  }

  bool AtEnd() const { return p_ == end_; }

 private:
  template <class W>
  static W Load(const char* p) {
    W w;
    std::memcpy(&w, p, sizeof w);
    return w;
  }

  // Eight chars as one little-endian word: the first char is the low byte.
  static constexpr uint64_t kOnes = 0x0101010101010101ull;
  static constexpr uint64_t kHighs = 0x8080808080808080ull;
  static constexpr uint64_t kPow10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

  // The high bit of each byte that is zero, exact up to the first zero byte
  // (a borrow can mark bytes after it, never before).
  static uint64_t ZeroBytes(uint64_t w) { return (w - kOnes) & ~w & kHighs; }

  // How many of the word's chars, from the first, are digits '0'..'9'. A
  // digit's high nibble is 3, and so is the high nibble of it plus 6.
  static int LeadingDigits(uint64_t w) {
    const uint64_t t = ((w & 0xF0F0F0F0F0F0F0F0ull) ^ 0x3030303030303030ull) |
                       (((w + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) ^ 0x3030303030303030ull);
    // A carry out of a byte over 0xF9 only disturbs the bytes after it, and
    // that byte is no digit: the first non-digit is still found exactly.
    const uint64_t nonzero = (((t & ~kHighs) + ~kHighs) | t) & kHighs;
    return nonzero == 0 ? 8 : __builtin_ctzll(nonzero) / 8;
  }

  // The value of eight digit chars (leading ones may be zero bytes: they
  // count as '0').
  static uint64_t EightDigits(uint64_t w) {
    w &= 0x0F0F0F0F0F0F0F0Full;
    w = (w * 10 + (w >> 8)) & 0x00FF00FF00FF00FFull;
    w = (w * 100 + (w >> 16)) & 0x0000FFFF0000FFFFull;
    return (w * 10000 + (w >> 32)) & 0xFFFFFFFFull;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

bool ParseOpLineFast(std::string_view line, Op* op) {
  if (line.size() < 2 || line.back() != '}') return false;
  OpLineCursor s(line);
  int64_t client, seq, invoke, complete;
  std::string_view kind, value, outcome, str;
  if (!s.Lit("{\"t\":\"op\",\"c\":") || !s.Integer(&client) || !s.Lit(",\"s\":") || !s.Integer(&seq) ||
      !s.Lit(",\"k\":") || !s.String(&kind) || !s.Lit(",\"v\":") || !s.String(&value) || !s.Lit(",\"i\":") ||
      !s.Integer(&invoke) || !s.Lit(",\"e\":") || !s.Integer(&complete) || !s.Lit(",\"o\":") ||
      !s.String(&outcome))
    return false;
  if (kind.size() != 1 || (kind[0] != 'w' && kind[0] != 'r')) return false;
  Outcome o;
  if (outcome == "ok") o = Outcome::kOk;
  else if (outcome == "fail") o = Outcome::kFail;
  else if (outcome == "unknown") o = Outcome::kUnknown;
  else return false;
  op->client = static_cast<int>(client);
  op->seq = static_cast<uint64_t>(seq);
  op->kind = kind[0] == 'w' ? OpKind::kWrite : OpKind::kRead;
  op->value.assign(value);
  op->invoke = invoke;
  op->complete = complete;
  op->outcome = o;
  op->error = ErrorClass::kNone;
  op->error_text.clear();
  if (s.Lit(",\"x\":")) {
    if (!s.String(&str)) return false;
    auto e = ParseErrorClass(std::string(str));
    op->error = e ? *e : ErrorClass::kOther;
  }
  if (s.Lit(",\"m\":")) {
    if (!s.String(&str)) return false;
    op->error_text.assign(str);
  }
  if (s.Lit(",\"srv\":")) {
    if (!s.String(&str)) return false;
    if (op->server != str) op->server.assign(str);  // the same as the last line's, mostly
  } else {
    op->server.clear();
  }
  return s.Lit("}") && s.AtEnd();
}

void FlatFromJson(const nlohmann::json& j, FlatObject* out) {
  out->fields.clear();
  out->items.clear();
  for (auto it = j.begin(); it != j.end(); ++it) {
    FlatField f;
    f.key = it.key();
    const nlohmann::json& v = it.value();
    if (v.is_string()) {
      f.str = v.get_ref<const std::string&>();
    } else if (v.is_number()) {
      f.num = v.is_number_float() ? static_cast<int64_t>(v.get<double>()) : v.get<int64_t>();
    } else if (v.is_array()) {
      f.items_begin = out->items.size();
      for (const auto& item : v) {
        if (item.is_string()) out->items.push_back(item.get_ref<const std::string&>());
      }
      f.items_end = out->items.size();
    } else {
      continue;
    }
    out->fields.push_back(f);
  }
}

}  // namespace sc
