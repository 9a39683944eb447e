// One cgroup per node, on cgroup v1 or v2, behind one small interface:
// make it, put processes in it, freeze / thaw them, kill them all, limit their
// CPU, remove it. Which hierarchy is used is detected once at start
// (DetectCgroupHierarchy); everything else is the same for both.
//
// What each path needs (README "cgroups"):
//   v1: the freezer controller mounted (e.g. /sys/fs/cgroup/freezer); for CPU
//       limits also the cpu controller (/sys/fs/cgroup/cpu, cfs_quota_us).
//   v2: a cgroup2 mount (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid
//       host); kernel >= 5.2 for cgroup.freeze, >= 5.14 for cgroup.kill (older
//       kernels: kill falls back to freezing and signalling every pid); for CPU
//       limits the cpu controller must be available in the mount's root
//       (cgroup.controllers lists "cpu"), which it is not on a hybrid host
//       where cpu is bound to v1.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace sc::topology {

enum class CgroupVersion { kV1, kV2 };

struct CgroupHierarchy {
  CgroupVersion version = CgroupVersion::kV1;
  std::string root;      // v1: the freezer hierarchy's mount; v2: the cgroup2 mount
  std::string cpu_root;  // v1: the cpu hierarchy's mount ("" = none); v2: == root
  // "cgroup v1 (freezer at /sys/fs/cgroup/freezer, cpu at /sys/fs/cgroup/cpu)"
  std::string Describe() const;
};

// Picks the hierarchy node cgroups are made in. `want` is "auto" (or ""),
// "v1" or "v2"; when "auto", the environment variable SENTINEL_CHAOS_CGROUP
// (same values) decides if set. auto = the v1 freezer if mounted at
// /sys/fs/cgroup/freezer, else cgroup2 at /sys/fs/cgroup, else cgroup2 at
// /sys/fs/cgroup/unified. Throws EnvironmentError (backend.h) saying what to
// mount when no usable hierarchy exists. Checks only mounts, makes nothing.
CgroupHierarchy DetectCgroupHierarchy(const std::string& want = "auto");

// A cgroup named `name` at the top of the hierarchy (v1: one directory in the
// freezer hierarchy and, if mounted, one in the cpu hierarchy, so that a CPU
// limit covers the same processes). A value: constructing it touches nothing.
// Every method that fails throws std::runtime_error naming the file and errno,
// except where noted.
class Cgroup {
 public:
  // REQUIRES: name is one path component (no '/'), e.g. "sentinel-chaos-ab12cd-n1".
  Cgroup(CgroupHierarchy h, std::string name);

  const std::string& name() const { return name_; }
  const CgroupHierarchy& hierarchy() const { return h_; }
  // Every directory of this cgroup, the freezer/main one first. Record these
  // in the run state before Create() so that cleanup finds them.
  std::vector<std::string> dirs() const;
  // The cgroup.procs files a newly spawned child writes "0" to (SpawnSpec).
  std::vector<std::string> procs_files() const;

  // Makes every directory (existing ones are fine).
  void Create() const;
  bool Exists() const;
  // Moves `pid` (all its threads) into the cgroup, in every hierarchy.
  void AddPid(pid_t pid) const;
  // The processes in the cgroup now (main directory).
  std::vector<pid_t> Pids() const;
  // Whether /proc/PID/cgroup places `pid` in this cgroup.
  bool Contains(pid_t pid) const;

  // Freezes every process and returns once the kernel reports the cgroup
  // frozen (v1 freezer.state FROZEN; v2 cgroup.events "frozen 1"); throws if
  // that does not happen within `timeout_ms`. Thaw is the opposite.
  void Freeze(int timeout_ms = 2000) const;
  void Thaw(int timeout_ms = 2000) const;
  bool Frozen() const;

  // SIGKILLs every process in the cgroup, frozen or not, and waits until the
  // cgroup is empty (reaping those that are our children). v2: cgroup.kill;
  // v1 (or a kernel without cgroup.kill): freeze, signal each pid of
  // cgroup.procs, thaw, repeat until empty, so that nothing can fork or be
  // restarted by a supervisor in between. Leaves the cgroup thawed. Returns
  // false if processes remain after `timeout_ms`.
  bool KillAll(int timeout_ms = 5000) const;

  // Limits the cgroup to `cpus` CPUs' worth of time (0.05 = 5 % of one CPU)
  // per `period_us`. v1: cpu.cfs_period_us / cpu.cfs_quota_us in the cpu
  // hierarchy; v2: cpu.max (enabling +cpu in the root's subtree_control if
  // needed). Throws EnvironmentError (backend.h) when the cpu controller is
  // not available to this hierarchy, saying why.
  // REQUIRES: cpus > 0; 1000 <= period_us <= 1000000.
  void SetCpuLimit(double cpus, int period_us = 100000) const;
  void ClearCpuLimit() const;

  // KillAll, then removes every directory. Returns "" or what is left and why.
  // Never throws.
  std::string Remove(int timeout_ms = 5000) const;

 private:
  std::string main_dir() const;
  std::string cpu_dir() const;  // "" = no cpu hierarchy (v1 without cpu)
  CgroupHierarchy h_;
  std::string name_;
};

// Removes one cgroup directory recorded in a run's state (cleanup after a
// crash), whatever its version: kills what is in it, then rmdir. Refuses any
// directory that is not a "sentinel-chaos-*" cgroup under /sys/fs/cgroup.
// Returns "" or the problem. A missing directory is not a problem.
std::string RemoveCgroupDir(const std::string& dir);

}  // namespace sc::topology
