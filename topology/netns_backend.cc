#include "common/source_dir.h"
#include "topology/netns_backend.h"

#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <arpa/inet.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <fstream>
#include <random>
#include <sstream>

#include "topology/cgroup.h"
#include "topology/control.h"
#include "topology/converge.h"
#include "topology/process.h"

namespace sc::topology {

namespace fs = std::filesystem;

const char* ToString(Service s) { return s == Service::kRedis ? "redis" : "sentinel"; }

namespace {
// A change that does all its work at Commit (backends with nothing to ready).
class CommitLater : public PreparedChange {
 public:
  explicit CommitLater(std::function<void()> commit) : commit_(std::move(commit)) {}
  void Commit() override { commit_(); }

 private:
  std::function<void()> commit_;
};
}  // namespace

std::unique_ptr<PreparedChange> Backend::PrepareAddDropRulesOnHosts(
    const std::string& tag, const std::map<std::string, std::vector<DropRule>>& rules) {
  return std::make_unique<CommitLater>([this, tag, rules] { AddDropRulesOnHosts(tag, rules); });
}

std::unique_ptr<PreparedChange> Backend::PrepareSetLinkUp(const std::string& host, bool up) {
  return std::make_unique<CommitLater>([this, host, up] { SetLinkUp(host, up); });
}

std::unique_ptr<PreparedChange> Backend::PrepareRemoveDropRulesOnHosts(const std::string& tag,
                                                                       const std::set<std::string>& hosts) {
  return std::make_unique<CommitLater>([this, tag, hosts] { RemoveDropRulesOnHosts(tag, hosts); });
}

// Namespace tables read and changed ahead; Commit writes them one after the
// other (each a single table replace), then does the state's bookkeeping.
class NetnsBackend::PreparedFilter : public PreparedChange {
 public:
  PreparedFilter(std::vector<PreparedFilterChange> changes, std::function<void()> after)
      : changes_(std::move(changes)), after_(std::move(after)) {}
  void Commit() override {
    for (auto& c : changes_) c.Commit();
    after_();
  }

 private:
  std::vector<PreparedFilterChange> changes_;
  std::function<void()> after_;
};

namespace {

const char* kIp = "/usr/sbin/ip";

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `ip -batch -` style: one ip process per namespace, commands from a file.
void IpBatch(const std::string& netns, const std::vector<std::string>& commands, const std::string& scratch) {
  WriteText(scratch, [&] {
    std::string s;
    for (auto& c : commands) s += c + "\n";
    return s;
  }());
  std::vector<std::string> argv = {kIp};
  if (!netns.empty()) argv.insert(argv.end(), {"-n", netns});
  argv.insert(argv.end(), {"-batch", scratch});
  auto r = RunCommand(argv);
  unlink(scratch.c_str());
  if (r.exit_code != 0) throw std::runtime_error("setting up the test network failed: ip said: " + r.output);
}

std::string RandomId() {
  std::random_device rd;
  std::ostringstream s;
  s << std::hex << (rd() & 0xffffff);
  std::string id = s.str();
  return std::string(6 - id.size(), '0') + id;
}

bool IsExecutable(const std::string& p) { return access(p.c_str(), X_OK) == 0; }

}  // namespace

void CheckEnvironment(const Options& o) {
  if (geteuid() != 0)
    throw EnvironmentError("sentinel-chaos must run as root (it creates network namespaces): run it with sudo");
  for (const char* p : {"/usr/bin/redis-server", "/usr/bin/redis-sentinel"})
    if (!IsExecutable(p))
      throw EnvironmentError(std::string(p) + " is missing: install it with 'apt-get install redis-server redis-sentinel' (or run 'make deps')");
  if (!IsExecutable(kIp)) throw EnvironmentError("/usr/sbin/ip is missing: apt-get install iproute2");
  if (o.vip && !IsExecutable("/usr/bin/arping"))
    throw EnvironmentError("/usr/bin/arping is missing (the VIP hook needs it): apt-get install iputils-arping");
  if (o.supervisor && !IsExecutable("/usr/bin/supervisord"))
    throw EnvironmentError("/usr/bin/supervisord is missing (supervisor=on): apt-get install supervisor");
  DetectCgroupHierarchy();  // throws saying what to mount
}

std::unique_ptr<RunState> AllocateRun(const Options& o, const std::string& run_dir, RunSlot* out) {
  fs::create_directories(StateRoot());
  int lock = open((StateRoot() + "/.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) throw EnvironmentError("cannot open " + StateRoot() + "/.lock: " + strerror(errno));
  flock(lock, LOCK_EX);
  struct Unlock {
    int fd;
    ~Unlock() { close(fd); }
  } unlock{lock};

  std::vector<std::string> used;
  for (auto& id : RunState::List()) {
    try {
      used.push_back(RunState::Load(id).info().value("prefix", ""));
    } catch (...) {
    }
  }
  RunSlot slot;
  if (!o.subnet.empty()) {
    slot.prefix = PrefixOf(o.subnet);
    std::string why;
    if (ClashesWithHost(slot.prefix, &why))
      throw EnvironmentError("subnet " + o.subnet + " overlaps the host's network (" + why +
                             "): choose another with --subnet, e.g. 10.213.7.0/24");
    for (auto& u : used)
      if (u == slot.prefix)
        throw EnvironmentError("subnet " + o.subnet + " is in use by another run: choose another or let sentinel-chaos pick one");
  } else {
    slot.prefix = PickFreePrefix(used);
    if (slot.prefix.empty())
      throw EnvironmentError("no free 10.213.X.0/24 subnet: run 'sentinel-chaos cleanup' or pass --subnet");
  }
  do {
    slot.run_id = RandomId();
  } while (access((StateRoot() + "/" + slot.run_id).c_str(), F_OK) == 0);
  *out = slot;
  return std::make_unique<RunState>(RunState::Create(
      slot.run_id, {{"prefix", slot.prefix}, {"run_dir", run_dir}, {"harness_pid", getpid()},
                    {"harness_start_time", ProcessStartTime(getpid())}, {"harness_ancestors", ProcessAncestors(getpid())},
                    {"kind", ToString(o.kind)}}));
}

NetnsBackend::NetnsBackend(Options options, Layout layout, RunState& state)
    : options_(std::move(options)), layout_(std::move(layout)), state_(state), cgroups_(DetectCgroupHierarchy()) {}

Cgroup NetnsBackend::CgroupOf(const Node& n) const { return Cgroup(cgroups_, n.cgroup); }

std::string NetnsBackend::vip_script() const { return std::string(sc::SourceDir()) + "/topology/vip-reconfig.sh"; }

const Node& NetnsBackend::NodeNamed(const std::string& name) const {
  const Node* n = layout_.Find(name);
  if (!n) throw std::runtime_error("no host '" + name + "' in this topology");
  return *n;
}

void NetnsBackend::CreateNetwork() {
  const std::string scratch = layout_.state_dir + "/ip.batch";
  std::vector<const Node*> hosts;
  for (auto& n : layout_.nodes) hosts.push_back(&n);
  hosts.push_back(&layout_.client);

  std::vector<std::string> add = {"netns add " + layout_.switch_netns};
  state_.Record("netns", {{"name", layout_.switch_netns}});
  for (auto* h : hosts) {
    state_.Record("netns", {{"name", h->netns}});
    add.push_back("netns add " + h->netns);
  }
  IpBatch("", add, scratch);

  std::vector<std::string> sw = {"link set lo up", "link add " + layout_.bridge + " type bridge",
                                 "link set " + layout_.bridge + " up"};
  for (auto* h : hosts) {
    const std::string port = "v-" + h->name;
    sw.push_back("link add " + port + " type veth peer name " + layout_.iface + " netns " + h->netns);
    sw.push_back("link set " + port + " master " + layout_.bridge);
    sw.push_back("link set " + port + " up");
  }
  IpBatch(layout_.switch_netns, sw, scratch);
  for (auto* h : hosts) {
    std::vector<std::string> cmds = {"link set lo up", "addr add " + h->address + "/24 dev " + layout_.iface,
                                     "link set " + layout_.iface + " up"};
    if (h == &layout_.nodes[0] && options_.vip)
      cmds.push_back("addr add " + layout_.vip + "/24 dev " + layout_.iface);
    IpBatch(h->netns, cmds, scratch);
  }
  if (options_.vip) {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    char stamp[40];
    std::snprintf(stamp, sizeof stamp, "%lld.%09ld", static_cast<long long>(now.tv_sec), now.tv_nsec);
    std::ofstream(layout_.vip_log(), std::ios::app) << stamp << " n1 add " << layout_.vip << " (initial master)\n";
  }
}

void NetnsBackend::WriteConfigs(const Node& n) {
  fs::create_directories(n.dir);
  fs::create_directories(n.sock_dir);
  if (n.redis) WriteText(n.redis_conf(), RedisConfig(options_, layout_, n));
  if (n.sentinel) WriteText(n.sentinel_conf(), SentinelConfig(options_, layout_, n, vip_script()));
  if (options_.supervisor) WriteText(n.supervisor_conf(), SupervisorConfig(options_, layout_, n));
}

void NetnsBackend::StartProcess(const Node& n, Service s) {
  SpawnSpec spec;
  spec.netns = n.netns;
  spec.cgroup_procs = CgroupOf(n).procs_files();
  if (s == Service::kRedis) {
    spec.argv = {"/usr/bin/redis-server", n.redis_conf()};
  } else {
    spec.argv = {"/usr/bin/redis-sentinel", n.sentinel_conf()};
    for (auto& [k, v] : VipHookEnv(layout_, n)) spec.env[k] = v;
  }
  spec.log_file = n.dir + "/" + ToString(s) + ".out";
  pid_t pid = Spawn(spec);
  state_.Record("process", {{"pid", pid}, {"start_time", ProcessStartTime(pid)},
                            {"what", std::string(ToString(s)) + " on " + n.name}});
}

void NetnsBackend::StartNode(const Node& n) {
  if (options_.supervisor) {
    SpawnSpec spec;
    spec.netns = n.netns;
    spec.cgroup_procs = CgroupOf(n).procs_files();
    spec.argv = {"/usr/bin/python3", "/usr/bin/supervisord", "-c", n.supervisor_conf()};
    spec.log_file = n.dir + "/supervisord.out";
    pid_t pid = Spawn(spec);
    state_.Record("process", {{"pid", pid}, {"start_time", ProcessStartTime(pid)}, {"what", "supervisord on " + n.name}});
    return;
  }
  if (n.redis) StartProcess(n, Service::kRedis);
  if (n.sentinel) StartProcess(n, Service::kSentinel);
}

void NetnsBackend::Up() {
  auto t0 = std::chrono::steady_clock::now();
  fs::create_directories(layout_.run_dir);
  CreateNetwork();
  for (auto& n : layout_.nodes) {
    const Cgroup cg = CgroupOf(n);
    for (auto& dir : cg.dirs()) state_.Record("cgroup", {{"path", dir}});
    cg.Create();
    WriteConfigs(n);
  }
  for (auto& n : layout_.nodes) StartNode(n);
  TuneSentinelDiscovery(*this);
  std::string why = WaitConverged(*this, 30000);
  if (!why.empty()) throw std::runtime_error("the topology did not converge within 30 s: " + why);
  up_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void NetnsBackend::Down() {
  auto problems = TearDown(state_);
  if (!problems.empty()) {
    std::string all;
    for (auto& p : problems) all += "\n  " + p;
    throw std::runtime_error("could not remove everything:" + all);
  }
}

pid_t NetnsBackend::Pid(const std::string& node, Service s) const {
  const Node& n = NodeNamed(node);
  std::ifstream in(s == Service::kRedis ? n.redis_pidfile() : n.sentinel_pidfile());
  pid_t pid = 0;
  if (!(in >> pid) || pid <= 0) return 0;
  // Trust the pidfile only if that pid is alive, in this node's cgroup, and the right program.
  if (!CgroupOf(n).Contains(pid)) return 0;
  std::string comm = ReadText("/proc/" + std::to_string(pid) + "/comm");
  if (comm.rfind(s == Service::kRedis ? "redis-server" : "redis-sentinel", 0) != 0) return 0;
  if (ProcessStartTime(pid) == 0) return 0;
  return pid;
}

bool NetnsBackend::Signal(const std::string& node, Service s, int sig) {
  pid_t pid = Pid(node, s);
  if (pid == 0) return false;
  bool ok = kill(pid, sig) == 0;
  if (sig == SIGKILL || sig == SIGTERM) ReapIfExited(pid);
  return ok;
}

void NetnsBackend::Start(const std::string& node, Service s) {
  const Node& n = NodeNamed(node);
  if (Pid(node, s) != 0) return;
  if (options_.supervisor) return;  // supervisord brings it back by itself
  // Reap the old process if it was our child, then start it again.
  StartProcess(n, s);
}

void NetnsBackend::Freeze(const std::string& node) { CgroupOf(NodeNamed(node)).Freeze(); }
void NetnsBackend::Thaw(const std::string& node) { CgroupOf(NodeNamed(node)).Thaw(); }

void NetnsBackend::SetCpuLimit(const std::string& node, double cpus, int period_us) {
  if (cpus > 0) CgroupOf(NodeNamed(node)).SetCpuLimit(cpus, period_us);
  else CgroupOf(NodeNamed(node)).ClearCpuLimit();
}

std::string NetnsBackend::CpuLimitProblem() const {
  if (cgroups_.version == CgroupVersion::kV1) {
    if (cgroups_.cpu_root.empty())
      return "CPU limits need the cgroup v1 cpu controller, which is not mounted at /sys/fs/cgroup/cpu: "
             "'mkdir -p /sys/fs/cgroup/cpu && mount -t cgroup -o cpu cpu /sys/fs/cgroup/cpu'";
    return "";
  }
  std::ifstream in(cgroups_.root + "/cgroup.controllers");
  std::string word;
  while (in >> word)
    if (word == "cpu") return "";
  return "CPU limits need the cpu controller in cgroup v2 at " + cgroups_.root +
         ", but its cgroup.controllers does not list it; on a hybrid host the cpu controller is bound to cgroup v1: "
         "use v1 (SENTINEL_CHAOS_CGROUP=v1) or boot with systemd.unified_cgroup_hierarchy=1";
}

void NetnsBackend::PowerOff(const std::string& node) {
  const Node& n = NodeNamed(node);
  if (!CgroupOf(n).KillAll(5000))
    throw std::runtime_error("the processes of " + node + " did not exit within 5 s of SIGKILL (" +
                             cgroups_.Describe() + ")");
  // A power cut also loses the addresses the host's services had added.
  if (options_.vip &&
      RunCommand({kIp, "-n", n.netns, "addr", "del", layout_.vip + "/24", "dev", layout_.iface}).exit_code == 0) {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    char stamp[40];
    std::snprintf(stamp, sizeof stamp, "%lld.%09ld", static_cast<long long>(now.tv_sec), now.tv_nsec);
    std::ofstream(layout_.vip_log(), std::ios::app) << stamp << " " << n.name << " del " << layout_.vip << " (power off)\n";
  }
}

std::string NetnsBackend::RedisLog(const std::string& node) const {
  const Node* n = layout_.Find(node);
  return n && n->redis ? n->dir + "/redis.log" : "";
}

std::string NetnsBackend::SentinelLog(const std::string& node) const {
  const Node* n = layout_.Find(node);
  return n && n->sentinel ? n->dir + "/sentinel.log" : "";
}

void NetnsBackend::Boot(const std::string& node) {
  const Node& n = NodeNamed(node);
  for (auto f : {n.redis_pidfile(), n.sentinel_pidfile()}) unlink(f.c_str());
  StartNode(n);
}

namespace {
// Sets the UP flag of `port` through `fd`, a socket of the namespace that
// holds the port (the ioctl acts in the socket's namespace, whatever the
// calling thread's). Returns "" or what failed.
std::string SetPortUp(int fd, const std::string& port, bool up) {
  ifreq ifr{};
  std::snprintf(ifr.ifr_name, IFNAMSIZ, "%s", port.c_str());
  if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0) return std::string("reading its flags: ") + strerror(errno);
  if (up) ifr.ifr_flags |= IFF_UP;
  else ifr.ifr_flags &= ~IFF_UP;
  if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0) return strerror(errno);
  return "";
}
}  // namespace

// A socket opened in the switch namespace ahead; Commit is the one ioctl pair.
class NetnsBackend::PreparedLink : public PreparedChange {
 public:
  PreparedLink(int fd, std::string host, std::string port, bool up)
      : fd_(fd), host_(std::move(host)), port_(std::move(port)), up_(up) {}
  ~PreparedLink() override { close(fd_); }
  void Commit() override {
    const std::string error = SetPortUp(fd_, port_, up_);
    if (!error.empty())
      throw std::runtime_error("cannot set the link of " + host_ + (up_ ? " up" : " down") + " (" + port_ + "): " + error);
  }

 private:
  int fd_;
  std::string host_, port_;
  bool up_;
};

std::unique_ptr<PreparedChange> NetnsBackend::PrepareSetLinkUp(const std::string& host, bool up) {
  const Node& n = NodeNamed(host);
  int fd = -1, err = 0;
  RunInNetns(layout_.switch_netns, [&] {
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    err = errno;
  });
  if (fd < 0) throw std::runtime_error("cannot set the link of " + host + ": " + strerror(err));
  return std::make_unique<PreparedLink>(fd, host, "v-" + n.name, up);
}

void NetnsBackend::SetLinkUp(const std::string& host, bool up) {
  // An ioctl on the host's switch port, from inside the switch namespace: a
  // few microseconds, where running `ip` takes milliseconds (a fault's
  // instant must hold to 1 ms).
  PrepareSetLinkUp(host, up)->Commit();
}

void NetnsBackend::AddDropRules(const std::string& host, const std::string& tag, const std::vector<DropRule>& rules) {
  const Node& n = NodeNamed(host);
  const nlohmann::json chain = {{"netns", n.netns}, {"name", layout_.chain + "-" + tag}};
  if (!reserved_.erase({host, tag})) state_.Record("chain", chain);
  topology::AddDropRules(n.netns, chain["name"], rules);
}

void NetnsBackend::RemoveDropRules(const std::string& host, const std::string& tag) {
  const Node& n = NodeNamed(host);
  const nlohmann::json chain = {{"netns", n.netns}, {"name", layout_.chain + "-" + tag}};
  topology::RemoveChain(n.netns, chain["name"]);
  // A caller that reserved chains forgets them itself once every host is
  // healed (ReleaseDropRules), keeping the state writes out of the heal.
  if (reserving_.count(tag)) reserved_.insert({host, tag});
  else state_.Forget("chain", chain);
}

std::unique_ptr<PreparedChange> NetnsBackend::PrepareAddDropRulesOnHosts(
    const std::string& tag, const std::map<std::string, std::vector<DropRule>>& rules) {
  std::vector<PreparedFilterChange> changes;
  for (auto& [host, r] : rules) {
    const Node& n = NodeNamed(host);
    // Recorded before anything can be committed, as AddDropRules does.
    if (!reserved_.count({host, tag})) {
      reserving_.insert(tag);
      reserved_.insert({host, tag});
      state_.Record("chain", {{"netns", n.netns}, {"name", layout_.chain + "-" + tag}});
    }
    changes.push_back(PreparedFilterChange::AddDropRules(n.netns, layout_.chain + "-" + tag, r));
  }
  std::vector<std::string> hosts;
  for (auto& [host, r] : rules) hosts.push_back(host);
  return std::make_unique<PreparedFilter>(std::move(changes), [this, tag, hosts] {
    for (auto& host : hosts) reserved_.erase({host, tag});  // the chain now holds rules
  });
}

std::unique_ptr<PreparedChange> NetnsBackend::PrepareRemoveDropRulesOnHosts(const std::string& tag,
                                                                           const std::set<std::string>& hosts) {
  std::vector<PreparedFilterChange> changes;
  for (auto& host : hosts)
    changes.push_back(PreparedFilterChange::RemoveChain(NodeNamed(host).netns, layout_.chain + "-" + tag));
  return std::make_unique<PreparedFilter>(std::move(changes), [this, tag, hosts] {
    for (auto& host : hosts) {  // as RemoveDropRules
      const nlohmann::json chain = {{"netns", NodeNamed(host).netns}, {"name", layout_.chain + "-" + tag}};
      if (reserving_.count(tag)) reserved_.insert({host, tag});
      else state_.Forget("chain", chain);
    }
  });
}

void NetnsBackend::ReserveDropRules(const std::string& host, const std::string& tag) {
  const Node& n = NodeNamed(host);
  reserving_.insert(tag);
  if (!reserved_.insert({host, tag}).second) return;
  state_.Record("chain", {{"netns", n.netns}, {"name", layout_.chain + "-" + tag}});
}

void NetnsBackend::ReleaseDropRules(const std::string& host, const std::string& tag) {
  const Node& n = NodeNamed(host);
  if (!reserved_.erase({host, tag})) return;
  state_.Forget("chain", {{"netns", n.netns}, {"name", layout_.chain + "-" + tag}});
}

void NetnsBackend::EnterNetwork(const std::string& host) const { JoinNetns(NodeNamed(host).netns); }

std::string NetnsBackend::VipHolder() const {
  if (!options_.vip) return "";
  in_addr vip{};
  inet_pton(AF_INET, layout_.vip.c_str(), &vip);
  std::string holder;
  for (auto& n : layout_.nodes) {
    bool has = false;
    try {
      RunInNetns(n.netns, [&] {
        ifaddrs* ifs = nullptr;
        if (getifaddrs(&ifs) != 0) return;
        for (auto* i = ifs; i; i = i->ifa_next)
          if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
              reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr.s_addr == vip.s_addr)
            has = true;
        freeifaddrs(ifs);
      });
    } catch (...) {
    }
    if (has) holder += (holder.empty() ? "" : ",") + n.name;
  }
  return holder;
}

}  // namespace sc::topology
