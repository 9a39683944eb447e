// Helpers shared by the renderers: escaping, null-tolerant access to the
// results document, and number formatting. Internal to reports/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sc::reports {

// Text safe inside HTML or XML element content and quoted attribute values:
// & < > " ' are escaped; control characters other than tab, newline and
// carriage return are dropped (XML 1.0 forbids them).
std::string Escape(std::string_view s);

// A relative path usable as an href: every byte except unreserved characters
// and '/' is percent-encoded (so "javascript:" cannot become a scheme), then
// the result is escaped.
std::string EscapeHref(std::string_view path);

// Null-tolerant access. `j` may be anything (null, wrong type); a missing
// key, a null value or a value of the wrong type gives the fallback.
const nlohmann::json& Get(const nlohmann::json& j, const char* key);  // null json when absent
const nlohmann::json& Arr(const nlohmann::json& j, const char* key);  // empty array when absent
std::optional<double> Num(const nlohmann::json& j, const char* key);
std::optional<int64_t> Int(const nlohmann::json& j, const char* key);
// Strings as they are; numbers and booleans as their JSON text.
std::string Str(const nlohmann::json& j, const char* key, std::string_view fallback = "");
bool Bool(const nlohmann::json& j, const char* key, bool fallback);
// The value as text whatever its type ("" for null).
std::string Text(const nlohmann::json& v);

// "2.4", "12", "0.001": at most `max_decimals` decimals, trailing zeros trimmed.
std::string FormatNumber(double v, int max_decimals = 3);
// A duration for people: "0 ms", "4.2 ms", "350 ms", "2.40 s", "95.0 s".
std::string FormatDurationNs(int64_t ns);
std::string FormatDurationS(double s);
// FormatDurationNs, or "–" when absent.
std::string FormatOptNs(const std::optional<int64_t>& ns);
// An expectation figure with its unit: "2.4 s" for unit "s", "12" otherwise,
// "not measured" for null.
std::string FormatFigure(const nlohmann::json& value, std::string_view unit);
// A setting's duration as a person writes it in a scenario: "20s", "100ms",
// "1.5s", "30m", "250us"; whole units when exact.
std::string FormatSettingNs(int64_t ns);
// Seconds on the run clock with millisecond precision: "5.001 s".
std::string FormatInstantNs(int64_t ns);

// Appends printf-formatted text; the renderers build large strings with it.
void Appendf(std::string& out, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

}  // namespace sc::reports
