// The Vagrant-shaped environment, built in network namespaces on this machine
// (for the SSH tests and the SSH benchmark; not part of the harness).
//
// It mirrors vagrant/Vagrantfile: three "VMs" n1..n3, each a namespace with a
// data link eth1 (redis, Sentinel, the VIP; where faults strike) and a
// management link mgmt0 (SSH), prepared by vagrant/provision.sh like the VMs
// and running a real sshd with a /run of its own. One more namespace, "cl",
// plays the harness machine: Harness() runs the harness binary inside it with
// `ip netns exec`, so that for the harness it is "the host" and the deployed
// inventory names no client namespace.
//
// Everything lives in namespaces named sc-<id>-* and in /tmp/sc-ssh-test-<id>;
// Destroy() (also the destructor) removes all of it, and the runs whose state
// names its remote_dir, also after a failure half-way.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace sc::topology {

class VagrantShapedEnv {
 public:
  // Builds the environment. Throws std::runtime_error saying what failed;
  // what was made until then is removed first. `id`: a short word unique
  // among the environments alive on this machine (names are derived from it).
  explicit VagrantShapedEnv(const std::string& id);
  ~VagrantShapedEnv();
  VagrantShapedEnv(const VagrantShapedEnv&) = delete;
  VagrantShapedEnv& operator=(const VagrantShapedEnv&) = delete;

  // Removes the runs of this environment (`cleanup RUN-ID` from the harness
  // machine's namespace), every process still working in its directory, the
  // sshds, the namespaces and the directory. Returns the ids of runs whose
  // state was still there after their cleanup (then removed by force): a
  // caller that expected none fails on them. Idempotent.
  std::vector<std::string> Destroy();

  // argv that runs `sentinel-chaos ARGS...` on the harness machine.
  std::vector<std::string> Harness(const std::vector<std::string>& args) const;
  std::string Ns(const std::string& host) const { return "sc-" + id_ + "-" + host; }  // host: n1..n3, cl, sw
  // The host's address in a /24 prefix ("10.9.1"): .11-.13 for n1-n3, .200 for cl.
  static std::string Addr(const std::string& prefix, const std::string& host);

  const std::string& dir() const { return dir_; }
  std::string remote_dir() const { return dir_ + "/remote"; }
  const std::string& data_prefix() const { return data_; }
  const std::string& mgmt_prefix() const { return mgmt_; }
  std::string vip() const { return data_ + ".100"; }
  // SSH and the load from the namespace "cl" (for in-process backend tests).
  const std::string& inventory() const { return inventory_; }
  // What a user of the Vagrantfile has: no client namespace (use with Harness()).
  const std::string& deployed_inventory() const { return deployed_inventory_; }

  // The runs whose state names this environment's remote_dir.
  std::vector<std::string> MyRuns() const;
  // Everything a run could leave on a "host": processes working in
  // remote_dir, SC- chains, the VIP, eth1 down, files in remote_dir, state
  // dirs. "" when nothing.
  std::string Leftovers() const;
  // Processes running `program` whose arguments mention this environment's directory.
  int CountProcesses(const std::string& program) const;
  std::string SshdLog(const std::string& host) const;

 private:
  void Build();
  void Ip(const std::string& ns, const std::vector<std::string>& cmds) const;

  std::string id_, dir_, data_, mgmt_, inventory_, deployed_inventory_;
  std::vector<pid_t> sshd_;
  bool destroyed_ = false;
};

}  // namespace sc::topology
