#include "harness/faults/fault_option.h"

namespace sc::faults {
namespace {

std::string Quote(const std::string& s) { return "'" + s + "'"; }

bool IsWholeNumber(const std::string& s, size_t max_digits) {
  return !s.empty() && s.size() <= max_digits && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

std::string ListWithOr(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) out += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
  return out;
}

int ServerNumber(const std::string& word) {
  if (word.size() < 2 || word.size() > 4 || word[0] != 'n' || word[1] < '1' || word[1] > '9') return 0;
  if (!IsWholeNumber(word.substr(1), 3)) return 0;
  return std::stoi(word.substr(1));
}

FaultOption ChoiceOption(const std::string& name, const std::vector<std::string>& values,
                         const std::string& default_value, const std::string& help, const std::string& prefix) {
  FaultOption o;
  o.name = name;
  for (const auto& v : values) o.type += (o.type.empty() ? "" : "|") + v;
  o.default_value = default_value;
  o.help = help;
  o.parse = [name, values, prefix](const std::string& written) {
    std::string v = !prefix.empty() && written.rfind(prefix, 0) == 0 ? written.substr(prefix.size()) : written;
    for (const auto& allowed : values)
      if (v == allowed) return OptionValue{v, ""};
    return OptionValue{"", name + " must be " + ListWithOr(values) + ", got " + Quote(written)};
  };
  return o;
}

FaultOption IntOption(const std::string& name, int lo, int hi, const std::string& default_value,
                      const std::string& help, const std::string& suffix, const std::string& missing) {
  FaultOption o;
  o.name = name;
  o.type = std::to_string(lo) + ".." + std::to_string(hi);
  o.default_value = default_value;
  o.help = help;
  o.missing = missing;
  o.number = true;
  o.parse = [name, lo, hi, suffix](const std::string& written) {
    std::string n = written;
    if (!suffix.empty() && n.size() >= suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0)
      n.resize(n.size() - suffix.size());
    if (IsWholeNumber(n, 9) && std::stoi(n) >= lo && std::stoi(n) <= hi) return OptionValue{std::to_string(std::stoi(n)), ""};
    return OptionValue{"", name + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                               ", got " + Quote(written)};
  };
  return o;
}

FaultOption ServerOption(const std::string& name, const std::string& default_value, const std::string& help) {
  FaultOption o;
  o.name = name;
  o.type = "nK";
  o.default_value = default_value;
  o.help = help;
  o.parse = [name](const std::string& written) {
    if (ServerNumber(written) > 0) return OptionValue{written, ""};
    return OptionValue{"", name + " must be a server such as n1, got " + Quote(written)};
  };
  return o;
}

}  // namespace sc::faults
