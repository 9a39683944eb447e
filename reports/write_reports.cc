#include "reports/write_reports.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "reports/html_util.h"
#include "reports/renderer.h"

namespace sc::reports {

using nlohmann::json;

bool ReadJsonFile(const std::string& path, json* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path + ": " + std::strerror(errno);
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    *out = json::parse(text.str());
  } catch (const json::parse_error& e) {
    *error = path + ": not valid JSON (" + e.what() + ")";
    return false;
  }
  return true;
}

bool WriteFileAtomically(const std::string& path, const std::string& text, std::string* error) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      *error = "cannot write " + tmp + ": " + std::strerror(errno);
      return false;
    }
    out << text;
    out.close();
    if (!out) {
      *error = "cannot write " + tmp + ": " + std::strerror(errno);
      std::remove(tmp.c_str());
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    *error = "cannot rename " + tmp + " to " + path + ": " + std::strerror(errno);
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

namespace {

std::string Join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

bool WriteAll(const std::string& dir, const json& doc, std::initializer_list<const Renderer*> renderers,
              std::string* error) {
  for (const Renderer* r : renderers)
    if (!WriteFileAtomically(Join(dir, r->FileName()), r->Render(doc), error)) return false;
  return true;
}

}  // namespace

int WriteRunReports(const std::string& run_dir, std::string* error) {
  json results;
  std::string path = Join(run_dir, "results.json");
  if (!ReadJsonFile(path, &results, error)) {
    *error += "; run the scenario first, or pass the directory of a finished run";
    return 1;
  }
  HtmlRunReport html;
  JunitRun junit;
  return WriteAll(run_dir, results, {&html, &junit}, error) ? 0 : 1;
}

int WriteSuiteReports(const std::string& suite_dir, const std::string& baseline_path, std::string* error) {
  json suite;
  if (!ReadJsonFile(Join(suite_dir, "suite.json"), &suite, error)) return 1;
  std::string base_path = baseline_path;
  if (base_path.empty()) {
    base_path = Str(suite, "baseline");
    if (!base_path.empty() && base_path[0] != '/') base_path = Join(suite_dir, base_path);
  }
  json baseline = nullptr;
  if (!base_path.empty() && !ReadJsonFile(base_path, &baseline, error)) {
    *error = "baseline: " + *error;
    return 1;
  }
  HtmlSuiteIndex html(baseline);
  JunitSuite junit(baseline);
  return WriteAll(suite_dir, suite, {&html, &junit}, error) ? 0 : 1;
}

}  // namespace sc::reports
