// The one-machine backend: a switch namespace with a bridge that is never
// attached to the host, one namespace per server and one for the client host,
// real redis-server / redis-sentinel (optionally under supervisord) started in
// them, every process in one cgroup per server (v1 or v2, cgroup.h).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <utility>

#include "topology/backend.h"
#include "topology/cgroup.h"
#include "topology/state.h"

namespace sc::topology {

// A fresh run: a unique id, a free subnet (or options.subnet, checked), and a
// state directory, taken atomically so that parallel runs never collide.
// Throws EnvironmentError (not root, subnet clash, no free subnet).
struct RunSlot {
  std::string run_id;
  std::string prefix;  // "10.213.7"
};
std::unique_ptr<RunState> AllocateRun(const Options& o, const std::string& run_dir, RunSlot* slot);

// Checks that the machine can run the topology; throws EnvironmentError with
// what to do (install a package, run as root ...).
void CheckEnvironment(const Options& o);

class NetnsBackend : public Backend {
 public:
  // `state` must outlive the backend; every resource is recorded there.
  NetnsBackend(Options options, Layout layout, RunState& state);
  ~NetnsBackend() override = default;

  void Up() override;
  void Down() override;
  const Layout& layout() const override { return layout_; }
  const Options& options() const override { return options_; }

  pid_t Pid(const std::string& node, Service s) const override;
  bool Signal(const std::string& node, Service s, int sig) override;
  void Start(const std::string& node, Service s) override;
  bool Supervised() const override { return options_.supervisor; }

  void Freeze(const std::string& node) override;
  void Thaw(const std::string& node) override;
  void PowerOff(const std::string& node) override;
  void Boot(const std::string& node) override;
  void SetCpuLimit(const std::string& node, double cpus, int period_us = 100000) override;
  std::string CpuLimitProblem() const override;
  void SetLinkUp(const std::string& host, bool up) override;
  std::unique_ptr<PreparedChange> PrepareSetLinkUp(const std::string& host, bool up) override;
  void AddDropRules(const std::string& host, const std::string& tag, const std::vector<DropRule>& rules) override;
  void RemoveDropRules(const std::string& host, const std::string& tag) override;
  void ReserveDropRules(const std::string& host, const std::string& tag) override;
  void ReleaseDropRules(const std::string& host, const std::string& tag) override;
  std::unique_ptr<PreparedChange> PrepareAddDropRulesOnHosts(
      const std::string& tag, const std::map<std::string, std::vector<DropRule>>& rules) override;
  std::unique_ptr<PreparedChange> PrepareRemoveDropRulesOnHosts(const std::string& tag,
                                                                const std::set<std::string>& hosts) override;
  void EnterNetwork(const std::string& host) const override;
  std::string VipHolder() const override;
  std::string VipHookLog() const override { return options_.vip ? layout_.vip_log() : ""; }
  std::string RedisLog(const std::string& node) const override;
  std::string SentinelLog(const std::string& node) const override;

  double up_ms() const override { return up_ms_; }

 private:
  class PreparedFilter;
  class PreparedLink;
  const Node& NodeNamed(const std::string& name) const;
  void CreateNetwork();
  void WriteConfigs(const Node& n);
  void StartNode(const Node& n);
  void StartProcess(const Node& n, Service s);
  std::string vip_script() const;
  Cgroup CgroupOf(const Node& n) const;

  Options options_;
  Layout layout_;
  RunState& state_;
  CgroupHierarchy cgroups_;  // detected once, when the backend is made
  double up_ms_ = 0;
  std::set<std::pair<std::string, std::string>> reserved_;  // (host, tag) chains in the state, without rules
  std::set<std::string> reserving_;                         // tags whose chains are reserved and released
};

}  // namespace sc::topology
