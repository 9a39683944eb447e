// Writing a run's or a suite's report files next to their JSON document.
// Used by `sentinel-chaos report RUNDIR` and by the runner after each run and
// after a suite.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace sc::reports {

// Reads RUN_DIR/results.json and writes RUN_DIR/report.html and
// RUN_DIR/junit.xml (each through a temporary file and a rename, so a reader
// never sees half a file). Returns 0 on success; otherwise 1 with *error set
// to a sentence naming the file and what to do ("cannot read
// runs/x/results.json: No such file or directory; run the scenario first").
// REQUIRES: error != nullptr.
int WriteRunReports(const std::string& run_dir, std::string* error);

// Reads SUITE_DIR/suite.json and writes SUITE_DIR/index.html and
// SUITE_DIR/junit.xml. `baseline_path` names an earlier suite.json to compare
// with; "" means the suite's own "baseline" key if it has one (relative paths
// are relative to SUITE_DIR), else no baseline. Returns 0 or 1 like
// WriteRunReports; an unreadable baseline is an error.
int WriteSuiteReports(const std::string& suite_dir, const std::string& baseline_path, std::string* error);

// Reads and parses a JSON file. Returns false with *error set ("PATH: line 3,
// column 7: ..." for malformed JSON).
bool ReadJsonFile(const std::string& path, nlohmann::json* out, std::string* error);

// Writes `text` to PATH via PATH.tmp and rename. Returns false with *error set.
bool WriteFileAtomically(const std::string& path, const std::string& text, std::string* error);

}  // namespace sc::reports
