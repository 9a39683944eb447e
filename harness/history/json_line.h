// A fast scanner for the flat JSON objects of journal op and event lines.
// Internal to sc_history (the journal reader); not part of the history API.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sc {

struct Op;

struct FlatField {
  std::string_view key;
  std::string_view str;      // string value ("" otherwise)
  int64_t num = 0;           // integer value (0 otherwise)
  size_t items_begin = 0;    // array of strings: [items_begin, items_end) in FlatObject::items
  size_t items_end = 0;
};

struct FlatObject {
  std::vector<FlatField> fields;
  std::vector<std::string_view> items;
  const FlatField* Find(std::string_view key) const {
    for (const FlatField& f : fields) {
      if (f.key == key) return &f;
    }
    return nullptr;
  }
};

// Parses `line` when it is one JSON object whose values are all strings
// without escapes, integers that fit 18 digits, or arrays of such strings.
// The views point into `line`. Returns false for anything else (the caller
// then uses a full JSON parser); false does not mean the line is invalid.
bool ParseFlatObject(std::string_view line, FlatObject* out);

// Parses an op line in exactly the writer's key order
//   {"t":"op","c":N,"s":N,"k":"w","v":"...","i":N,"e":N,"o":"ok"[,"x":".."][,"m":".."][,"srv":".."]}
// with strings without escapes, into `op` (every field set). Returns false for
// anything else; the caller then tries the general parsers.
bool ParseOpLineFast(std::string_view line, Op* op);

// Fills `out` from a parsed object: strings, integers (floats truncated) and
// arrays of strings; other values are skipped. Views point into `j`.
void FlatFromJson(const nlohmann::json& j, FlatObject* out);

}  // namespace sc
