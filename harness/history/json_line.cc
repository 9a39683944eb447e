#include "harness/history/json_line.h"

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
// parsers), so it never has to skip or backtrack. The loops work on local
// pointers: the line's chars could alias the cursor's own members, and the
// compiler would reload them at every char.
class OpLineCursor {
 public:
  explicit OpLineCursor(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  // Exactly the literal next. Its length is known at compile time, so the
  // loop unrolls into a few compares instead of a call to memcmp.
  template <size_t N>
  bool Lit(const char (&lit)[N]) {
    constexpr size_t n = N - 1;
    const char* p = p_;
    if (static_cast<size_t>(end_ - p) < n) return false;
    for (size_t i = 0; i < n; ++i)
      if (p[i] != lit[i]) return false;
    p_ = p + n;
    return true;
  }

  // An integer of 1 to 18 digits, optionally negative, not followed by a
  // fraction or an exponent (what the flat scanner accepts too).
  bool Integer(int64_t* out) {
    const char* p = p_;
    const char* const end = end_;
    const bool neg = p < end && *p == '-';
    if (neg) ++p;
    const char* const start = p;
    int64_t v = 0;
    while (p < end && static_cast<unsigned>(*p - '0') < 10) v = v * 10 + (*p++ - '0');
    const size_t digits = p - start;
    if (digits == 0 || digits > 18) return false;
    if (p < end && (*p == '.' || *p == 'e' || *p == 'E')) return false;
    *out = neg ? -v : v;
    p_ = p;
    return true;
  }

  // A quoted string without escapes; the view excludes the quotes.
  bool String(std::string_view* out) {
    const char* p = p_;
    const char* const end = end_;
    if (p == end || *p != '"') return false;
    const char* const start = ++p;
    while (p < end && *p != '"') {
      if (*p == '\\') return false;
      ++p;
    }
    if (p == end) return false;
    *out = std::string_view(start, p - start);
    p_ = p + 1;
    return true;
  }

  bool AtEnd() const { return p_ == end_; }

 private:
  const char* p_;
  const char* end_;
};

}  // namespace

bool ParseOpLineFast(std::string_view line, Op* op) {
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
  op->server.clear();
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
    op->server.assign(str);
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
