#include "harness/load/drivers.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/run.h"
#include "common/source_dir.h"

namespace sc::load {

namespace fs = std::filesystem;

std::string DriversDir() {
  const char* env = std::getenv("SC_DRIVERS_DIR");
  if (env != nullptr && *env) return env;
  return std::string(SourceDir()) + "/drivers";
}

namespace {

std::vector<std::string> Expand(const nlohmann::json& a, const std::string& dir) {
  std::vector<std::string> out;
  for (auto& x : a) {
    std::string s = x.get<std::string>();
    for (size_t p; (p = s.find("{dir}")) != std::string::npos;) s.replace(p, 5, dir);
    out.push_back(s);
  }
  return out;
}

std::optional<DriverSpec> Load(const fs::path& folder, std::string* why) {
  const fs::path manifest = folder / "driver.json";
  std::ifstream in(manifest);
  if (!in) {
    if (why) *why = manifest.string() + ": cannot be read";
    return std::nullopt;
  }
  try {
    nlohmann::json j = nlohmann::json::parse(in);
    DriverSpec d;
    d.name = folder.filename().string();
    d.dir = fs::absolute(folder).lexically_normal().string();
    if (!d.dir.empty() && d.dir.back() == '/') d.dir.pop_back();
    d.library = j.value("library", d.name);
    d.description = j.value("description", "");
    d.command = Expand(j.at("command"), d.dir);
    d.check = Expand(j.value("check", nlohmann::json::array()), d.dir);
    d.install = j.value("install", "");
    if (d.command.empty() || d.command[0].empty() || d.command[0][0] != '/')
      throw std::runtime_error("\"command\" must start with an absolute program path");
    return d;
  } catch (const std::exception& e) {
    if (why) *why = manifest.string() + ": " + e.what();
    return std::nullopt;
  }
}

}  // namespace

std::vector<DriverSpec> Drivers() {
  std::vector<DriverSpec> out;
  std::error_code ec;
  for (auto& entry : fs::directory_iterator(DriversDir(), ec)) {
    if (!entry.is_directory() || !fs::exists(entry.path() / "driver.json")) continue;
    if (auto d = Load(entry.path(), nullptr)) out.push_back(*d);
  }
  std::sort(out.begin(), out.end(), [](const DriverSpec& a, const DriverSpec& b) { return a.name < b.name; });
  return out;
}

std::vector<std::string> ClientNames() {
  std::vector<std::string> names = {kHiredis};
  for (auto& d : Drivers()) names.push_back(d.name);
  return names;
}

std::optional<DriverSpec> FindDriver(const std::string& name, std::string* why) {
  if (name.empty() || name.find('/') != std::string::npos || name[0] == '.') {
    if (why) *why = "no client library called '" + name + "'";
    return std::nullopt;
  }
  const fs::path folder = fs::path(DriversDir()) / name;
  if (!fs::exists(folder / "driver.json")) {
    if (why) *why = "no client library called '" + name + "' (no " + (folder / "driver.json").string() + ")";
    return std::nullopt;
  }
  return Load(folder, why);
}

std::string CheckDriver(const DriverSpec& d) {
  const std::string& program = d.command[0];
  const std::string install = d.install.empty() ? "" : ": " + d.install;
  if (access(program.c_str(), X_OK) != 0)
    return "client=" + d.name + " needs " + program + ", which is not installed here" + install;
  if (d.check.empty()) return "";
  Program check;
  check.argv = d.check;
  check.env = {{"LANG", "C.UTF-8"}, {"HOME", d.dir}};
  if (d.check[0].empty() || d.check[0][0] != '/')
    return "client=" + d.name + ": its driver.json's \"check\" must start with an absolute program path";
  const RunResult r = Run(check, std::chrono::seconds(30));
  if (!r.started) return "client=" + d.name + ": cannot run " + d.check[0] + " (" + r.error + ")" + install;
  if (r.ok()) return "";
  return "client=" + d.name + ": the " + d.library + " library is not installed here" + install;
}

}  // namespace sc::load
