#include "topology/vagrant_env.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "common/source_dir.h"
#include "topology/layout.h"
#include "topology/process.h"
#include "topology/state.h"

namespace sc::topology {

namespace fs = std::filesystem;

namespace {

// A file's bytes; "" if it cannot be read. A /proc file of a process that
// exits while it is read fails with ESRCH, which std::istreambuf_iterator
// throws ("basic_filebuf::underflow error reading the file: No such
// process", once in a clean-clone make test); `<< rdbuf()` makes it a short read.
std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string VagrantShapedEnv::Addr(const std::string& prefix, const std::string& h) {
  return prefix + "." + (h == "cl" ? std::string("200") : std::to_string(10 + (h[1] - '0')));
}

VagrantShapedEnv::VagrantShapedEnv(const std::string& id) : id_(id), dir_("/tmp/sc-ssh-test-" + id) {
  try {
    Build();
  } catch (...) {
    Destroy();
    throw;
  }
}

VagrantShapedEnv::~VagrantShapedEnv() { Destroy(); }

void VagrantShapedEnv::Ip(const std::string& ns, const std::vector<std::string>& cmds) const {
  std::string file = dir_ + "/ip.batch";
  std::ofstream out(file);
  for (auto& c : cmds) out << c << "\n";
  out.close();
  std::vector<std::string> argv = {"/usr/sbin/ip"};
  if (!ns.empty()) argv.insert(argv.end(), {"-n", ns});
  argv.insert(argv.end(), {"-batch", file});
  auto r = RunCommand(argv);
  if (r.exit_code != 0) throw std::runtime_error("ip -batch failed in '" + ns + "': " + r.output);
}

void VagrantShapedEnv::Build() {
  fs::create_directories(dir_ + "/remote");
  data_ = PickFreePrefix({});
  mgmt_ = PickFreePrefix({data_});
  if (data_.empty() || mgmt_.empty()) throw std::runtime_error("no free private /24 for the test networks");
  for (auto* key : {"/id", "/host"}) {
    auto r = RunCommand({"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir_ + key});
    if (r.exit_code != 0) throw std::runtime_error("ssh-keygen: " + r.output);
  }
  const std::vector<std::string> hosts = {"n1", "n2", "n3", "cl"};
  Ip("", {"netns add " + Ns("sw"), "netns add " + Ns("n1"), "netns add " + Ns("n2"), "netns add " + Ns("n3"),
          "netns add " + Ns("cl")});
  std::vector<std::string> sw = {"link set lo up", "link add br0 type bridge", "link set br0 up",
                                 "link add br1 type bridge", "link set br1 up"};
  for (auto& h : hosts) {
    sw.push_back("link add d-" + h + " type veth peer name eth1 netns " + Ns(h));
    sw.push_back("link add m-" + h + " type veth peer name mgmt0 netns " + Ns(h));
    sw.push_back("link set d-" + h + " master br0 up");
    sw.push_back("link set m-" + h + " master br1 up");
  }
  Ip(Ns("sw"), sw);
  for (auto& h : hosts) {
    Ip(Ns(h), {"link set lo up", "addr add " + Addr(data_, h) + "/24 dev eth1", "link set eth1 up",
               "addr add " + Addr(mgmt_, h) + "/24 dev mgmt0", "link set mgmt0 up"});
    if (h == "cl") continue;
    // The same provisioning script as the Vagrant VMs (packages are already here).
    auto prov = RunCommand({"/bin/sh", std::string(sc::SourceDir()) + "/vagrant/provision.sh", dir_ + "/id.pub",
                            dir_ + "/authorized_keys"}, Ns(h), 120000);
    if (!prov.ok()) throw std::runtime_error("vagrant/provision.sh on " + h + ": " + prov.Describe() + "\n" + prov.output);
    std::ofstream(dir_ + "/sshd-" + h + ".conf")
        << "ListenAddress " << Addr(mgmt_, h) << "\nListenAddress " << Addr(data_, h) << "\nPort 22\nHostKey " << dir_
        << "/host\nPidFile " << dir_ << "/sshd-" << h << ".pid\nAuthorizedKeysFile " << dir_ << "/authorized_keys\n"
        << "PermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        << "UsePAM no\nStrictModes no\nMaxSessions 64\n";
    // Each "VM" has a /run of its own, as a VM has: sshd (re-executed for
    // every connection) needs its privilege separation directory /run/sshd
    // and refuses the connection without it ("Missing privilege separation
    // directory: /run/sshd" in its log, "kex_exchange_identification:
    // Connection reset by peer" at the client). When the tests shared the
    // host's /run/sshd, the first test to finish removed the directory it had
    // made while a test running beside it (ctest -j2) still used its sshd:
    // every later connection of that test was reset. A private mount
    // namespace (slave, so that the host's unmounts still reach it) with a
    // tmpfs on /run gives each sshd its own, gone with its last process.
    sshd_.push_back(Spawn({{"/usr/bin/unshare", "--mount", "--propagation", "slave", "/bin/sh", "-c",
                            "mount -t tmpfs -o mode=0755 sc-vm-run /run && mkdir -m 0755 /run/sshd && "
                            "exec /usr/sbin/sshd -D -e -f \"$0\"",
                            dir_ + "/sshd-" + h + ".conf"},
                           {}, Ns(h), {}, dir_ + "/sshd-" + h + ".log"}));
  }
  for (auto* h : {"n1", "n2", "n3"})
    if (!WaitFor([&] { return fs::exists(dir_ + "/sshd-" + h + ".pid"); }, 20000, 20))
      throw std::runtime_error(std::string("sshd on ") + h + " did not start: " + SshdLog(h));
  nlohmann::json inv = {{"vip", vip()}, {"identity", dir_ + "/id"}, {"remote_dir", remote_dir()},
                        {"client_netns", Ns("cl")}, {"hosts", nlohmann::json::array()}};
  for (auto* h : {"n1", "n2", "n3"})
    inv["hosts"].push_back({{"name", h}, {"ssh", "root@" + Addr(mgmt_, h)}, {"address", Addr(data_, h)}, {"iface", "eth1"}});
  inventory_ = dir_ + "/inventory.json";
  std::ofstream(inventory_) << inv.dump(1);
  inv.erase("client_netns");
  deployed_inventory_ = dir_ + "/deployed.json";
  std::ofstream(deployed_inventory_) << inv.dump(1);
}

std::vector<std::string> VagrantShapedEnv::Harness(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"/usr/sbin/ip", "netns", "exec", Ns("cl"),
                                   std::string(SC_BINARY_DIR) + "/sentinel-chaos"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::string VagrantShapedEnv::SshdLog(const std::string& host) const { return ReadFile(dir_ + "/sshd-" + host + ".log"); }

std::vector<std::string> VagrantShapedEnv::MyRuns() const {
  std::vector<std::string> mine;
  for (auto& id : RunState::List()) {
    try {
      if (RunState::Load(id).info().value("inventory", nlohmann::json::object()).value("remote_dir", "") == remote_dir())
        mine.push_back(id);
    } catch (...) {
    }
  }
  return mine;
}

std::string VagrantShapedEnv::Leftovers() const {
  std::string left;
  for (auto& e : fs::directory_iterator("/proc")) {
    std::error_code ec;
    auto cwd = fs::read_symlink(e.path() / "cwd", ec).string();
    if (!ec && cwd.rfind(remote_dir(), 0) == 0) {
      std::ifstream stat(e.path() / "stat");
      std::string st;
      std::getline(stat, st);
      if (st.find(") Z ") == std::string::npos) left += "process " + e.path().filename().string() + "\n";
    }
  }
  for (auto* h : {"n1", "n2", "n3", "cl"}) {
    for (auto* ipt : {"/usr/sbin/iptables-legacy", "/usr/sbin/iptables-nft"}) {
      auto rules = RunCommand({ipt, "-S"}, Ns(h)).output;
      if (rules.find("SC-") != std::string::npos) left += std::string(h) + " " + ipt + ": " + rules;
    }
    auto addrs = RunCommand({"/usr/sbin/ip", "-o", "-4", "addr"}, Ns(h)).output;
    if (addrs.find(vip() + "/") != std::string::npos) left += std::string(h) + " holds the VIP\n";
    if (RunCommand({"/usr/sbin/ip", "-o", "link", "show", "eth1"}, Ns(h)).output.find("state DOWN") != std::string::npos)
      left += std::string(h) + ": eth1 is down\n";
  }
  std::error_code ec;
  if (!fs::is_empty(remote_dir(), ec) && !ec) left += "files in remote_dir\n";
  for (auto& id : MyRuns()) left += "state of run " + id + "\n";
  return left;
}

int VagrantShapedEnv::CountProcesses(const std::string& program) const {
  int n = 0;
  for (auto& e : fs::directory_iterator("/proc")) {
    const std::string all = ReadFile((e.path() / "cmdline").string());  // "" once it exited
    const std::string cmd = all.substr(0, all.find('\0'));
    if (cmd == program && all.find(dir_, cmd.size()) != std::string::npos) ++n;
  }
  return n;
}

std::vector<std::string> VagrantShapedEnv::Destroy() {
  std::vector<std::string> stale;
  if (destroyed_) return stale;
  destroyed_ = true;
  // A failure may have stopped before `down`: remove its runs, then end any
  // process still working in this directory (ours, by pid).
  for (auto& id : MyRuns()) {
    try {
      auto st = RunState::Load(id);
      // A run of the harness machine's namespace is cleaned up from there.
      if (st.info().value("inventory", nlohmann::json::object()).value("client_netns", "").empty())
        RunCommand(Harness({"cleanup", id}), "", 120000);
      else
        TearDown(st);
    } catch (...) {
    }
  }
  std::error_code ec;
  for (auto& e : fs::directory_iterator("/proc", ec)) {
    std::error_code ec2;
    auto cwd = fs::read_symlink(e.path() / "cwd", ec2).string();
    if (ec2 || cwd.rfind(dir_ + "/", 0) != 0) continue;
    pid_t pid = std::atoi(e.path().filename().c_str());
    KillAndWait(pid, ProcessStartTime(pid));
  }
  for (pid_t p : sshd_) KillAndWait(p, ProcessStartTime(p));
  for (auto* h : {"n1", "n2", "n3", "cl", "sw"})
    if (fs::exists("/var/run/netns/" + Ns(h))) RunCommand({"/usr/sbin/ip", "netns", "del", Ns(h)});
  // Everything a run here made lived in the namespaces and the directory
  // just removed: a state directory still naming it is stale (one cleanup
  // should have removed it) and goes too; the caller is told.
  for (auto& id : MyRuns()) {
    stale.push_back(id);
    RemoveDamagedRun(id);
  }
  fs::remove_all(dir_, ec);
  return stale;
}

}  // namespace sc::topology
