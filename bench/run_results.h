// The runs of a suite or out directory, for the benchmark programs: calls
// `each` with every run directory's results.json, read, in any order; the
// `latest` links are skipped (each run once) and an unreadable results.json
// (a run cut short) is left out.
#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace sc::bench {

inline int ForEachRunResults(const std::string& dir,
                             const std::function<void(const std::filesystem::path& run_dir, const nlohmann::json& results)>& each) {
  int runs = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.path().filename() != "results.json" || e.path().parent_path().filename() == "latest") continue;
    nlohmann::json j;
    try {
      std::ifstream(e.path()) >> j;
    } catch (...) {
      continue;
    }
    ++runs;
    each(e.path().parent_path(), j);
  }
  return runs;
}

}  // namespace sc::bench
