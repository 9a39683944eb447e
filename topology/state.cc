#include "topology/state.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "topology/cgroup.h"
#include "topology/firewall.h"
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

void RunState::Replace(const std::string& kind, const nlohmann::json& old_data, const nlohmann::json& new_data) {
  std::lock_guard<std::mutex> l(*mu_);
  for (auto& r : resources_)
    if (r.kind == kind && r.data == old_data) {
      r.data = new_data;
      break;
    }
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

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// What removing one resource came to.
struct Outcome {
  enum Kind { kRemoved, kGone, kFailed, kUnreachable } kind;
  std::string message;  // for kFailed / kUnreachable
};
Outcome Removed() { return {Outcome::kRemoved, ""}; }
Outcome Gone() { return {Outcome::kGone, ""}; }
Outcome Failed(std::string m) { return {Outcome::kFailed, std::move(m)}; }

bool Under(const std::string& path, const std::string& root) {
  return !root.empty() && root != "/" && (path == root || path.rfind(root + "/", 0) == 0);
}

// Only directories of this run: its state directory or its run directory.
Outcome RemoveDir(const RunState& st, const std::string& path) {
  if (path.find("..") != std::string::npos ||
      !(Under(path, st.dir()) || Under(path, st.info().value("run_dir", std::string()))))
    return Failed("refused to remove " + path + ": not a directory of run " + st.run_id());
  if (!Exists(path)) return Gone();
  std::error_code ec;
  fs::remove_all(path, ec);
  return ec ? Failed("cannot remove " + path + ": " + ec.message()) : Removed();
}

Outcome RemoveOne(const RunState& st, const Resource& r) {
  const auto& d = r.data;
  const std::string prefix = "sc-" + st.run_id() + "-";
  if (r.kind == "process") {
    pid_t pid = d.value("pid", 0);
    unsigned long long start = d.value("start_time", 0ULL);
    if (!IsSameProcess(pid, start)) {
      ReapIfExited(pid);
      return Gone();
    }
    KillAndWait(pid, start);
    return IsSameProcess(pid, start) ? Failed("process " + std::to_string(pid) + " (" + d.value("what", std::string()) +
                                              ") did not exit after SIGKILL")
                                     : Removed();
  }
  if (r.kind == "cgroup") {
    const std::string path = d.value("path", "");
    if (!Exists(path)) return Gone();
    std::string err = RemoveCgroupDir(path);
    return err.empty() ? Removed() : Failed(err);
  }
  if (r.kind == "chain") {
    const std::string ns = d.value("netns", "");
    if (!ns.empty() && !Exists("/var/run/netns/" + ns)) return Gone();  // went with its namespace
    try {
      RemoveChain(ns, d.value("name", ""));
    } catch (const std::exception& e) {
      return Failed(e.what());
    }
    return Removed();
  }
  if (r.kind == "netns") {
    const std::string name = d.value("name", "");
    if (name.rfind(prefix, 0) != 0) return Failed("refused to delete namespace " + name + ": not named " + prefix + "*");
    if (!Exists("/var/run/netns/" + name)) return Gone();
    auto res = RunCommand({"/usr/sbin/ip", "netns", "del", name}, "", 10000);
    if (res.ok() || !Exists("/var/run/netns/" + name)) return Removed();
    return Failed("cannot delete namespace " + name + ": " + res.Describe() + " " + res.output);
  }
  if (r.kind == "dir") return RemoveDir(st, d.value("path", ""));
  if (r.kind == "remote") {
    // A cleanup command for a real host, run over SSH (ssh_backend.h).
    const std::string ns = d.value("netns", "");
    const std::string host = d.value("host", std::string("?"));
    // The namespace SSH ran from (tests only) is gone: so is everything reached through it.
    if (!ns.empty() && !Exists("/var/run/netns/" + ns)) return Gone();
    auto argv = d.value("argv", std::vector<std::string>{});
    argv.push_back(d.value("command", "true"));
    auto res = RunCommand(argv, ns, 20000);
    if (res.ok()) return Removed();
    if (res.timed_out || res.exit_code == 255)
      return {Outcome::kUnreachable, "host " + host + " could not be reached over SSH (" + res.Describe() + "): " +
                                         res.output};
    return Failed("cleanup on " + host + " failed (" + res.Describe() + "): " + res.output);
  }
  return Gone();  // "fault" and unknown kinds hold no resource of their own.
}

}  // namespace

std::string RemoveDamagedRun(const std::string& run_id) {
  const std::string dir = StateRoot() + "/" + run_id;
  if (run_id.empty() || run_id.find('/') != std::string::npos || run_id.find("..") != std::string::npos)
    return "refused to remove state of run '" + run_id + "'";
  std::error_code ec;
  fs::remove_all(dir, ec);
  return ec ? "cannot remove " + dir + ": " + ec.message() : "";
}

std::vector<std::string> TearDown(RunState& state) {
  std::vector<std::string> report;
  auto res = state.resources();
  for (auto it = res.rbegin(); it != res.rend(); ++it) {
    Outcome o = RemoveOne(state, *it);
    if (o.kind == Outcome::kRemoved || o.kind == Outcome::kGone) {
      state.Forget(it->kind, it->data);
      continue;
    }
    // A host may be unreachable for a moment (its link coming back, sshd
    // restarting): it is tried again within this cleanup, a bounded number of
    // times. Then what it held is forgotten, with what may remain there, so
    // that one cleanup is always enough and no state is kept that no later
    // cleanup could remove either.
    for (int attempt = 2; o.kind == Outcome::kUnreachable && attempt <= kUnreachableAttempts; ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(kUnreachableRetryMs));
      o = RemoveOne(state, *it);
    }
    if (o.kind == Outcome::kRemoved || o.kind == Outcome::kGone) {
      state.Forget(it->kind, it->data);
      continue;
    }
    if (o.kind == Outcome::kUnreachable) {
      state.Forget(it->kind, it->data);
      report.push_back(o.message + "; forgotten after " + std::to_string(kUnreachableAttempts) +
                       " attempts: remove by hand on that host what this command removes: " +
                       it->data.value("command", std::string()));
      continue;
    }
    report.push_back(o.message);
  }
  if (state.resources().empty()) {
    auto o = RemoveDir(state, state.dir());
    if (o.kind == Outcome::kFailed) report.push_back(o.message);
  } else if (report.empty()) {
    report.push_back("state of run " + state.run_id() + " still lists resources it could not remove");
  }
  return report;
}

}  // namespace sc::topology
