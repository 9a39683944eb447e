// A typed NAME=VALUE option of a fault kind or of a stop verb, declared in the
// kind's file: its name, type, range, default and help. The parser checks
// values through it; docs and --help print type and help.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace sc::faults {

// The outcome of checking a written value: the value to keep (normalized,
// e.g. "SIGTERM" -> "TERM", "30%" -> "30") or an error sentence.
struct OptionValue {
  std::string value;
  std::string error;  // empty when the value was taken
};

struct FaultOption {
  std::string name;            // "percent"
  std::string type;            // for people: "KILL|TERM", "1..100", "nK"
  std::string default_value;   // "" = required
  std::string help;            // one phrase: "share of packets dropped"
  std::string missing;         // the error when a required option is absent (reported at the keyword)
  bool number = false;         // the plan's JSON writes it as a number
  std::function<OptionValue(const std::string& written)> parse;
};

// One of `values`; a value may also be written with `prefix` ("SIGTERM").
// Error: "NAME must be A, B or C, got 'V'".
FaultOption ChoiceOption(const std::string& name, const std::vector<std::string>& values,
                         const std::string& default_value, const std::string& help, const std::string& prefix = "");

// A whole number from `lo` to `hi`, optionally followed by `suffix` ("30%").
// Error: "NAME must be a whole number from LO to HI, got 'V'".
// An empty default makes it required; `missing` is then its error.
FaultOption IntOption(const std::string& name, int lo, int hi, const std::string& default_value,
                      const std::string& help, const std::string& suffix = "", const std::string& missing = "");

// A server named by number, "n1".."n99" (whether the topology has it and what
// runs there is for the kind's check). Error: "NAME must be a server such as n1, got 'V'".
FaultOption ServerOption(const std::string& name, const std::string& default_value, const std::string& help);

// "n1", "n12": the number of a server word, or 0.
int ServerNumber(const std::string& word);

// "a, b or c".
std::string ListWithOr(const std::vector<std::string>& words);

}  // namespace sc::faults
