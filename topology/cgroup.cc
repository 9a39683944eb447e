#include "topology/cgroup.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "topology/backend.h"
#include "topology/process.h"

namespace sc::topology {
namespace {

constexpr long kCgroupMagic = 0x27e0eb;     // CGROUP_SUPER_MAGIC (v1)
constexpr long kCgroup2Magic = 0x63677270;  // CGROUP2_SUPER_MAGIC

long FsType(const std::string& path) {
  struct statfs s;
  if (statfs(path.c_str(), &s) != 0) return 0;
  return static_cast<long>(s.f_type);
}

bool PathExists(const std::string& p) { return access(p.c_str(), F_OK) == 0; }

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Throws with the file and errno: a cgroup write that fails must be loud.
void Write(const std::string& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + strerror(errno));
  ssize_t n = write(fd, text.data(), text.size());
  int saved = errno;
  close(fd);
  if (n != static_cast<ssize_t>(text.size()))
    throw std::runtime_error("cannot write '" + text + "' to " + path + ": " + strerror(saved));
}

std::vector<pid_t> PidsIn(const std::string& dir) {
  std::vector<pid_t> pids;
  std::ifstream in(dir + "/cgroup.procs");
  pid_t p;
  while (in >> p) pids.push_back(p);
  return pids;
}

bool IsV2Dir(const std::string& dir) { return PathExists(dir + "/cgroup.freeze") || FsType(dir) == kCgroup2Magic; }

bool FrozenDir(const std::string& dir) {
  if (IsV2Dir(dir)) return Read(dir + "/cgroup.events").find("frozen 1") != std::string::npos;
  return Read(dir + "/freezer.state").rfind("FROZEN", 0) == 0;
}

void SetFrozen(const std::string& dir, bool frozen, int timeout_ms) {
  if (IsV2Dir(dir)) {
    Write(dir + "/cgroup.freeze", frozen ? "1" : "0");
  } else {
    Write(dir + "/freezer.state", frozen ? "FROZEN" : "THAWED");
  }
  if (!WaitFor([&] { return FrozenDir(dir) == frozen; }, timeout_ms, 1))
    throw std::runtime_error(std::string("the kernel did not report ") + dir + (frozen ? " frozen" : " thawed") +
                             " within " + std::to_string(timeout_ms) + " ms");
}

// Kills what is in `dir` and waits until it is empty. Works on any cgroup
// directory: v2 with or without cgroup.kill, v1 freezer, v1 without freezer.
bool KillDir(const std::string& dir, int timeout_ms) {
  if (!PathExists(dir)) return true;
  const bool v2 = IsV2Dir(dir);
  const bool can_freeze = v2 ? PathExists(dir + "/cgroup.freeze") : PathExists(dir + "/freezer.state");
  auto round = [&] {
    if (v2 && PathExists(dir + "/cgroup.kill")) {
      Write(dir + "/cgroup.kill", "1");
      if (can_freeze) Write(dir + "/cgroup.freeze", "0");  // what starts here next must run
      return;
    }
    // Frozen, nothing can fork or restart a child between reading the list and signalling it.
    if (can_freeze) SetFrozen(dir, true, 2000);
    for (pid_t p : PidsIn(dir)) kill(p, SIGKILL);
    if (can_freeze) SetFrozen(dir, false, 2000);
  };
  round();
  // cgroup.procs stops listing a process early in its exit; v2's "populated 0"
  // says when the last one has really left (rmdir fails with EBUSY before).
  auto empty = [&] {
    if (!PidsIn(dir).empty()) return false;
    return !v2 || Read(dir + "/cgroup.events").find("populated 0") != std::string::npos;
  };
  return WaitFor([&] {
    auto pids = PidsIn(dir);
    if (empty()) return true;
    for (pid_t p : pids) ReapIfExited(p);
    try {
      round();
    } catch (const std::exception&) {
    }
    return empty();
  }, timeout_ms, 5);
}

std::string PickV2Root() {
  for (const char* r : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"})
    if (FsType(r) == kCgroup2Magic) return r;
  return "";
}

std::string PickV1(const char* controller_file, std::initializer_list<const char*> candidates) {
  for (const char* r : candidates)
    if (FsType(r) == kCgroupMagic && PathExists(std::string(r) + "/cgroup.procs") &&
        (controller_file == nullptr || PathExists(std::string(r) + "/" + controller_file)))
      return r;
  return "";
}

std::string PickV1Freezer() {
  // The freezer's root has no freezer.state to recognise it by: go by the
  // mount point Debian, Docker and systemd all use.
  return PickV1(nullptr, {"/sys/fs/cgroup/freezer"});
}

CgroupHierarchy V1(const std::string& freezer) {
  CgroupHierarchy h;
  h.version = CgroupVersion::kV1;
  h.root = freezer;
  h.cpu_root = PickV1("cpu.cfs_period_us", {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"});
  return h;
}

CgroupHierarchy V2(const std::string& root) {
  CgroupHierarchy h;
  h.version = CgroupVersion::kV2;
  h.root = root;
  h.cpu_root = root;
  return h;
}

const char* kHowToMount =
    "mount one: cgroup v2 with 'mount -t cgroup2 none /sys/fs/cgroup' (kernel >= 5.2), or the v1 freezer with "
    "'mkdir -p /sys/fs/cgroup/freezer && mount -t cgroup -o freezer freezer /sys/fs/cgroup/freezer'";

}  // namespace

std::string CgroupHierarchy::Describe() const {
  if (version == CgroupVersion::kV2) return "cgroup v2 at " + root;
  return "cgroup v1 (freezer at " + root + ", cpu " + (cpu_root.empty() ? "not mounted" : "at " + cpu_root) + ")";
}

CgroupHierarchy DetectCgroupHierarchy(const std::string& want_in) {
  std::string want = want_in.empty() ? "auto" : want_in;
  if (want == "auto") {
    const char* env = getenv("SENTINEL_CHAOS_CGROUP");
    if (env && *env) want = env;
  }
  if (want != "auto" && want != "v1" && want != "v2")
    throw EnvironmentError("unknown cgroup version '" + want + "' (SENTINEL_CHAOS_CGROUP): use auto, v1 or v2");
  if (want == "auto" || want == "v1") {
    std::string f = PickV1Freezer();
    if (!f.empty()) return V1(f);
    if (want == "v1") throw EnvironmentError(std::string("cgroup v1 was asked for, but its freezer is not mounted at /sys/fs/cgroup/freezer: ") + kHowToMount);
  }
  std::string r = PickV2Root();
  if (r.empty())
    throw EnvironmentError(std::string("no usable cgroup hierarchy (neither the v1 freezer at /sys/fs/cgroup/freezer "
                                       "nor cgroup2 at /sys/fs/cgroup or /sys/fs/cgroup/unified): ") + kHowToMount);
  // Whether the kernel has cgroup.freeze shows only in a child: Create() checks.
  return V2(r);
}

Cgroup::Cgroup(CgroupHierarchy h, std::string name) : h_(std::move(h)), name_(std::move(name)) {
  if (name_.empty() || name_.find('/') != std::string::npos || name_ == "." || name_ == "..")
    throw std::invalid_argument("internal: bad cgroup name '" + name_ + "'");
}

std::string Cgroup::main_dir() const { return h_.root + "/" + name_; }

std::string Cgroup::cpu_dir() const {
  if (h_.version == CgroupVersion::kV2) return main_dir();
  return h_.cpu_root.empty() ? "" : h_.cpu_root + "/" + name_;
}

std::vector<std::string> Cgroup::dirs() const {
  std::vector<std::string> d = {main_dir()};
  if (h_.version == CgroupVersion::kV1 && !cpu_dir().empty()) d.push_back(cpu_dir());
  return d;
}

std::vector<std::string> Cgroup::procs_files() const {
  std::vector<std::string> f;
  for (auto& d : dirs()) f.push_back(d + "/cgroup.procs");
  return f;
}

void Cgroup::Create() const {
  for (auto& d : dirs())
    if (mkdir(d.c_str(), 0755) != 0 && errno != EEXIST)
      throw EnvironmentError("cannot create cgroup " + d + " (" + h_.Describe() + "): " + strerror(errno));
  if (h_.version == CgroupVersion::kV2 && !PathExists(main_dir() + "/cgroup.freeze"))
    throw EnvironmentError("cgroup v2 at " + h_.root + " has no cgroup.freeze: node-down faults need kernel >= 5.2 "
                           "(or mount the v1 freezer at /sys/fs/cgroup/freezer)");
}

bool Cgroup::Exists() const { return PathExists(main_dir()); }

void Cgroup::AddPid(pid_t pid) const {
  for (auto& f : procs_files()) Write(f, std::to_string(pid));
}

std::vector<pid_t> Cgroup::Pids() const { return PidsIn(main_dir()); }

bool Cgroup::Contains(pid_t pid) const {
  std::istringstream in(Read("/proc/" + std::to_string(pid) + "/cgroup"));
  std::string line;
  while (std::getline(in, line)) {
    // "ID:CONTROLLERS:PATH"; v2's line is "0::PATH".
    auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string controllers = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
    if (path != "/" + name_) continue;
    if (h_.version == CgroupVersion::kV2 ? controllers.empty()
                                         : ("," + controllers + ",").find(",freezer,") != std::string::npos)
      return true;
  }
  return false;
}

void Cgroup::Freeze(int timeout_ms) const { SetFrozen(main_dir(), true, timeout_ms); }
void Cgroup::Thaw(int timeout_ms) const { SetFrozen(main_dir(), false, timeout_ms); }
bool Cgroup::Frozen() const { return FrozenDir(main_dir()); }

bool Cgroup::KillAll(int timeout_ms) const {
  bool ok = KillDir(main_dir(), timeout_ms);
  // v1: the cpu directory holds the same processes, now gone; v2: one directory.
  return ok;
}

void Cgroup::SetCpuLimit(double cpus, int period_us) const {
  if (!(cpus > 0) || period_us < 1000 || period_us > 1000000)
    throw std::invalid_argument("internal: cpu limit " + std::to_string(cpus) + " per " + std::to_string(period_us) + " us");
  long quota = std::max(1000L, std::lround(cpus * period_us));
  if (h_.version == CgroupVersion::kV1) {
    if (cpu_dir().empty())
      throw EnvironmentError("CPU limits need the cgroup v1 cpu controller, which is not mounted at /sys/fs/cgroup/cpu: "
                             "'mkdir -p /sys/fs/cgroup/cpu && mount -t cgroup -o cpu cpu /sys/fs/cgroup/cpu'");
    Write(cpu_dir() + "/cpu.cfs_period_us", std::to_string(period_us));
    Write(cpu_dir() + "/cpu.cfs_quota_us", std::to_string(quota));
    return;
  }
  if (!topology::PathExists(main_dir() + "/cpu.max")) {
    std::string available = Read(h_.root + "/cgroup.controllers");
    while (!available.empty() && available.back() == '\n') available.pop_back();
    if ((" " + available + " ").find(" cpu ") == std::string::npos)
      throw EnvironmentError("CPU limits need the cpu controller in cgroup v2 at " + h_.root +
                             ", but it is not available there (cgroup.controllers: '" + available +
                             "'); on a hybrid host the cpu controller is bound to cgroup v1: use v1 "
                             "(SENTINEL_CHAOS_CGROUP=v1) or boot with systemd.unified_cgroup_hierarchy=1");
    try {
      Write(h_.root + "/cgroup.subtree_control", "+cpu");
    } catch (const std::exception& e) {
      throw EnvironmentError(std::string("cannot enable the cpu controller for the node cgroups: ") + e.what() +
                             " (EBUSY: the parent cgroup holds processes itself; run the harness from a cgroup "
                             "whose parent delegates cpu)");
    }
    if (!topology::PathExists(main_dir() + "/cpu.max"))
      throw EnvironmentError("cgroup v2 at " + h_.root + ": cpu enabled but " + main_dir() + "/cpu.max is missing");
  }
  Write(main_dir() + "/cpu.max", std::to_string(quota) + " " + std::to_string(period_us));
}

void Cgroup::ClearCpuLimit() const {
  if (h_.version == CgroupVersion::kV1) {
    if (!cpu_dir().empty()) Write(cpu_dir() + "/cpu.cfs_quota_us", "-1");
    return;
  }
  if (topology::PathExists(main_dir() + "/cpu.max")) Write(main_dir() + "/cpu.max", "max");
}

std::string Cgroup::Remove(int timeout_ms) const {
  std::string problems;
  for (auto& d : dirs()) {
    std::string p = RemoveCgroupDir(d);
    (void)timeout_ms;
    if (!p.empty()) problems += (problems.empty() ? "" : "; ") + p;
  }
  return problems;
}

std::string RemoveCgroupDir(const std::string& dir) {
  const auto slash = dir.rfind('/');
  if (dir.rfind("/sys/fs/cgroup/", 0) != 0 || dir.find("..") != std::string::npos || slash == std::string::npos ||
      dir.compare(slash + 1, 15, "sentinel-chaos-") != 0)
    return "refused to touch cgroup " + dir;
  if (!topology::PathExists(dir)) return "";
  bool empty = false;
  try {
    empty = KillDir(dir, 5000);
  } catch (const std::exception& e) {
    return "cannot empty cgroup " + dir + ": " + e.what();
  }
  if (!empty) return "processes of cgroup " + dir + " did not exit";
  // v1 has no "populated" to wait for: a process that left cgroup.procs may
  // still be exiting for a moment, and rmdir says EBUSY until it is done.
  int err = 0;
  WaitFor([&] {
    err = rmdir(dir.c_str()) == 0 ? 0 : errno;
    return err != EBUSY;
  }, 2000, 5);
  if (err != 0 && err != ENOENT) return "cannot remove cgroup " + dir + ": " + strerror(err);
  return "";
}

}  // namespace sc::topology
