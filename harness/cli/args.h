// A tiny command-line reader shared by the subcommands: positional words and
// `--name value` / `--name=value` / `--flag` options, with exact errors.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sc::cli {

// Exit codes of every subcommand.
enum Exit { kOk = 0, kExpectationFailed = 1, kInvalidInput = 2, kEnvironment = 3 };

// Bad input on the command line: exit 2, message printed as is.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Args {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> options;  // in order; flags have value "true"

  // Parses argv. `flags` are options that take no value; `valued` those that do.
  // A name in neither throws UsageError (with "did you mean" when close).
  static Args Parse(int argc, char** argv, int first, const std::vector<std::string>& flags,
                    const std::vector<std::string>& valued);
  bool Has(const std::string& name) const;
  std::optional<std::string> Get(const std::string& name) const;
  std::vector<std::string> GetAll(const std::string& name) const;
};

// Levenshtein-close candidate for "did you mean", or "".
std::string Closest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace sc::cli
