#include "topology/state.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "topology/firewall.h"
#include "topology/cgroup.h"
#include "topology/process.h"

namespace sc::topology {

namespace fs = std::filesystem;

std::string StateRoot() { return "/run/sentinel-chaos"; }

std::string RunState::dir() const { return StateRoot() + "/" + run_id_; }

RunState RunState::Create(const std::string& run_id, const nlohmann::json& info) {
  std::error_code ec;
  fs::create_directories(StateRoot(), ec);
  RunState s(run_id);
  if (mkdir(s.dir().c_str(), 0700) != 0)
    throw std::runtime_error("cannot create " + s.dir() + ": " + strerror(errno));
  s.info_ = info;
  s.Save();
  return s;
}

RunState RunState::Load(const std::string& run_id) {
  RunState s(run_id);
  std::ifstream in(s.dir() + "/state.json");
  if (!in) throw std::runtime_error("no run '" + run_id + "' (" + s.dir() + "/state.json is missing)");
  nlohmann::json j;
  try {
    in >> j;
  } catch (const std::exception& e) {
    throw std::runtime_error(s.dir() + "/state.json is damaged: " + e.what());
  }
  s.info_ = j.value("info", nlohmann::json::object());
  for (auto& r : j.value("resources", nlohmann::json::array())) s.resources_.push_back({r["kind"], r["data"]});
  return s;
}

std::vector<std::string> RunState::List() {
  std::vector<std::string> ids;
  std::error_code ec;
  for (auto& e : fs::directory_iterator(StateRoot(), ec))
    if (e.is_directory()) ids.push_back(e.path().filename());
  std::sort(ids.begin(), ids.end());
  return ids;
}

void RunState::SetInfo(const std::string& key, const nlohmann::json& value) {
  std::lock_guard<std::mutex> l(*mu_);
  info_[key] = value;
  Save();
}

void RunState::Record(const std::string& kind, const nlohmann::json& data) {
  std::lock_guard<std::mutex> l(*mu_);
  resources_.push_back({kind, data});
  Save();
}

void RunState::Forget(const std::string& kind, const nlohmann::json& data) {
  std::lock_guard<std::mutex> l(*mu_);
  auto it = std::find_if(resources_.rbegin(), resources_.rend(),
                         [&](const Resource& r) { return r.kind == kind && r.data == data; });
  if (it == resources_.rend()) return;
  resources_.erase(std::next(it).base());
  Save();
}

std::vector<Resource> RunState::resources() const {
  std::lock_guard<std::mutex> l(*mu_);
  return resources_;
}

void RunState::Save() const {
  nlohmann::json j;
  j["run_id"] = run_id_;
  j["info"] = info_;
  j["resources"] = nlohmann::json::array();
  for (auto& r : resources_) j["resources"].push_back({{"kind", r.kind}, {"data", r.data}});
  const std::string path = dir() + "/state.json", tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump(1) << "\n";
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0)
    throw std::runtime_error("cannot write " + path + ": " + strerror(errno));
}

namespace {

std::string RemoveDir(const std::string& path) {
  // Only directories the harness made under its own roots.
  if (path.size() < 8 || path.find("..") != std::string::npos) return "refused to remove " + path;
  std::error_code ec;
  fs::remove_all(path, ec);
  return ec ? "cannot remove " + path + ": " + ec.message() : "";
}

std::string RemoveOne(const Resource& r) {
  const auto& d = r.data;
  if (r.kind == "process") {
    pid_t pid = d.value("pid", 0);
    KillAndWait(pid, d.value("start_time", 0ULL));
    return "";
  }
  if (r.kind == "cgroup") return RemoveCgroupDir(d.value("path", ""));
  if (r.kind == "chain") {
    try {
      RemoveChain(d.value("netns", ""), d.value("name", ""));
    } catch (const std::exception& e) {
      return e.what();
    }
    return "";
  }
  if (r.kind == "netns") {
    const std::string name = d.value("name", "");
    if (access(("/var/run/netns/" + name).c_str(), F_OK) != 0) return "";
    auto res = RunCommand({"/usr/sbin/ip", "netns", "del", name});
    return res.exit_code == 0 ? "" : "cannot delete namespace " + name + ": " + res.output;
  }
  if (r.kind == "dir") return RemoveDir(d.value("path", ""));
  if (r.kind == "remote") {
    // A cleanup command for a real host, run over SSH (ssh_backend.h).
    auto argv = d.value("argv", std::vector<std::string>{});
    argv.push_back(d.value("command", "true"));
    auto res = RunCommand(argv, d.value("netns", ""));
    return res.exit_code == 0 ? "" : "cleanup on " + d.value("host", std::string("?")) + " failed: " + res.output;
  }
  return "";  // "fault" and unknown kinds hold no resource of their own.
}

}  // namespace

std::vector<std::string> TearDown(RunState& state) {
  std::vector<std::string> report;
  auto res = state.resources();
  for (auto it = res.rbegin(); it != res.rend(); ++it) {
    std::string err = RemoveOne(*it);
    if (!err.empty()) report.push_back(err);
    else state.Forget(it->kind, it->data);
  }
  if (report.empty()) RemoveDir(state.dir());
  return report;
}

}  // namespace sc::topology
