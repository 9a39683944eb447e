#include "reports/html_util.h"

#include <cctype>
#include <cmath>
#include <cstdarg>
#include <cstdio>

namespace sc::reports {

using nlohmann::json;

std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

std::string EscapeHref(std::string_view path) {
  std::string out;
  for (char c : path) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out += c;
    } else {
      Appendf(out, "%%%02X", u);
    }
  }
  return Escape(out);
}

const json& Get(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

const json& Arr(const json& j, const char* key) {
  static const json kEmpty = json::array();
  const json& v = Get(j, key);
  return v.is_array() ? v : kEmpty;
}

std::optional<double> Num(const json& j, const char* key) {
  const json& v = Get(j, key);
  if (!v.is_number()) return std::nullopt;
  return v.get<double>();
}

std::optional<int64_t> Int(const json& j, const char* key) {
  const json& v = Get(j, key);
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) return static_cast<int64_t>(std::llround(v.get<double>()));
  return std::nullopt;
}

std::string Text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  if (v.is_number_float()) return FormatNumber(v.get<double>(), 6);
  return v.dump();
}

std::string Str(const json& j, const char* key, std::string_view fallback) {
  const json& v = Get(j, key);
  if (v.is_null() || v.is_object() || v.is_array()) return std::string(fallback);
  return Text(v);
}

bool Bool(const json& j, const char* key, bool fallback) {
  const json& v = Get(j, key);
  return v.is_boolean() ? v.get<bool>() : fallback;
}

std::string FormatNumber(double v, int max_decimals) {
  if (!std::isfinite(v)) return "–";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", max_decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string FormatDurationS(double s) {
  if (!std::isfinite(s)) return "–";
  char buf[64];
  double a = std::fabs(s);
  if (a == 0) return "0 ms";
  if (a < 0.01) std::snprintf(buf, sizeof buf, "%.1f ms", s * 1e3);
  else if (a < 1) std::snprintf(buf, sizeof buf, "%.0f ms", s * 1e3);
  else if (a < 60) std::snprintf(buf, sizeof buf, "%.2f s", s);
  else std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

std::string FormatDurationNs(int64_t ns) { return FormatDurationS(ns / 1e9); }

std::string FormatOptNs(const std::optional<int64_t>& ns) {
  return ns ? FormatDurationNs(*ns) : "–";
}

std::string FormatFigure(const json& value, std::string_view unit) {
  if (!value.is_number()) return value.is_null() ? "not measured" : Text(value);
  double v = value.get<double>();
  if (unit == "s") return FormatNumber(v) + " s";
  if (unit.empty() || unit == "n") return FormatNumber(v);
  return FormatNumber(v) + " " + std::string(unit);
}

std::string FormatInstantNs(int64_t ns) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f s", ns / 1e9);
  return buf;
}

void Appendf(std::string& out, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (static_cast<size_t>(n) < sizeof buf) {
    out.append(buf, n);
    return;
  }
  std::string big(n + 1, '\0');
  va_start(ap, fmt);
  std::vsnprintf(big.data(), big.size(), fmt, ap);
  va_end(ap);
  big.resize(n);
  out += big;
}

std::string FormatSettingNs(int64_t ns) {
  const int64_t ms = 1000000, s = 1000 * ms, m = 60 * s, h = 60 * m;
  if (ns == 0) return "0s";
  const bool neg = ns < 0;
  const uint64_t a = neg ? -static_cast<uint64_t>(ns) : ns;
  std::string out;
  if (a % h == 0) out = std::to_string(a / h) + "h";
  else if (a % m == 0) out = std::to_string(a / m) + "m";
  else if (a % s == 0) out = std::to_string(a / s) + "s";
  else if (a % ms == 0 && a < static_cast<uint64_t>(s)) out = std::to_string(a / ms) + "ms";
  else if (a % ms == 0) out = FormatNumber(a / 1e9, 3) + "s";
  else if (a % 1000 == 0 && a < static_cast<uint64_t>(ms)) out = std::to_string(a / 1000) + "us";
  else if (a < static_cast<uint64_t>(ms)) out = std::to_string(a) + "ns";
  else out = FormatNumber(a / 1e6, 3) + "ms";
  return neg ? "-" + out : out;
}

}  // namespace sc::reports
