// Test support: the figure names of the table in docs/results.md, the list
// the checkers promise, so that tests validate against the real contract.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/source_dir.h"
#include "harness/scenario/parser.h"

namespace sc::scenario::testing {

// "unavailability.longest / .total / .count" -> three names.
inline std::vector<std::string> FigureNamesFromResultsDoc(const std::string& markdown) {
  std::vector<std::string> names;
  std::istringstream in(markdown);
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line.rfind("## Figures", 0) == 0) in_table = true;
    if (!in_table || line.rfind("| ", 0) != 0) continue;
    std::string cell = line.substr(2, line.find('|', 2) - 2);
    if (cell.rfind("figure", 0) == 0) continue;
    std::istringstream parts(cell);
    std::string part, prefix;
    while (parts >> part) {
      if (part == "/") continue;
      if (part[0] == '.') part = prefix + part;
      else prefix = part.substr(0, part.rfind('.') == std::string::npos ? part.size() : part.rfind('.'));
      names.push_back(part);
    }
  }
  return names;
}

inline ParseContext ResultsDocContext() {
  std::ifstream in(std::string(sc::SourceDir()) + "/docs/results.md");
  std::stringstream text;
  text << in.rdbuf();
  return ContextWithFigures(FigureNamesFromResultsDoc(text.str()));
}

}  // namespace sc::scenario::testing
