// Integration: the SSH backend against real sshd servers. Each "host" is a
// network namespace with two links: eth1 (data plane, where faults strike)
// and mgmt0 (management, where SSH runs, as on a VM). The harness reaches
// them from a client namespace, over real SSH with a key made for the test.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "topology/control.h"
#include "topology/converge.h"
#include "topology/session.h"
#include "topology/test_support.h"

namespace sc::topology {
namespace {

namespace fs = std::filesystem;

class SshHosts : public ::testing::Test {
 protected:
  void SetUp() override {
    before_ = testing::HostSnapshot();
    id_ = "ss" + std::to_string(getpid() % 100000);
    dir_ = "/tmp/sc-ssh-test-" + id_;
    fs::create_directories(dir_ + "/remote");
    data_ = PickFreePrefix({});
    mgmt_ = PickFreePrefix({data_});
    ASSERT_FALSE(data_.empty());
    ASSERT_EQ(RunCommand({"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir_ + "/id"}).exit_code, 0);
    ASSERT_EQ(RunCommand({"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir_ + "/host"}).exit_code, 0);
    fs::copy_file(dir_ + "/id.pub", dir_ + "/authorized_keys");
    if (!fs::exists("/run/sshd")) {
      fs::create_directories("/run/sshd");
      made_run_sshd_ = true;
    }
    std::vector<std::string> hosts = {"n1", "n2", "n3", "cl"};
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
      std::ofstream(dir_ + "/sshd-" + h + ".conf")
          << "ListenAddress " << Addr(mgmt_, h) << "\nPort 22\nHostKey " << dir_ << "/host\nPidFile " << dir_
          << "/sshd-" << h << ".pid\nAuthorizedKeysFile " << dir_ << "/authorized_keys\n"
          << "PermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
          << "UsePAM no\nStrictModes no\n";
      sshd_.push_back(Spawn({{"/usr/sbin/sshd", "-D", "-e", "-f", dir_ + "/sshd-" + h + ".conf"}, {}, Ns(h), {},
                             dir_ + "/sshd-" + h + ".log"}));
    }
    nlohmann::json inv = {{"vip", data_ + ".100"}, {"identity", dir_ + "/id"}, {"remote_dir", dir_ + "/remote"},
                          {"client_netns", Ns("cl")}, {"hosts", nlohmann::json::array()}};
    for (auto* h : {"n1", "n2", "n3"})
      inv["hosts"].push_back({{"name", h}, {"ssh", "root@" + Addr(mgmt_, h)}, {"address", Addr(data_, h)}, {"iface", "eth1"}});
    inventory_ = dir_ + "/inventory.json";
    std::ofstream(inventory_) << inv.dump(1);
  }

  void TearDown() override { CleanUp(); }
  void CleanUp() {
    // A failed test may have stopped before `down`: remove its runs, then end
    // any process still working in this test's directory (ours, by pid).
    for (auto& id : RunState::List()) {
      try {
        auto st = RunState::Load(id);
        if (st.info().value("inventory", nlohmann::json::object()).value("remote_dir", "") == dir_ + "/remote")
          sc::topology::TearDown(st);
      } catch (...) {
      }
    }
    for (auto& e : fs::directory_iterator("/proc")) {
      std::error_code ec;
      auto cwd = fs::read_symlink(e.path() / "cwd", ec).string();
      if (ec || cwd.rfind(dir_ + "/", 0) != 0) continue;
      pid_t pid = std::atoi(e.path().filename().c_str());
      KillAndWait(pid, ProcessStartTime(pid));
    }
    for (pid_t p : sshd_) KillAndWait(p, ProcessStartTime(p));
    for (auto* h : {"n1", "n2", "n3", "cl", "sw"}) RunCommand({"/usr/sbin/ip", "netns", "del", Ns(h)});
    fs::remove_all(dir_);
    if (made_run_sshd_) fs::remove("/run/sshd");
    EXPECT_EQ(testing::HostSnapshot(), before_) << "the host's network or rules changed";
  }

  std::string Ns(const std::string& h) const { return "sc-" + id_ + "-" + h; }
  static std::string Addr(const std::string& prefix, const std::string& h) {
    return prefix + "." + (h == "cl" ? std::string("200") : std::to_string(10 + (h[1] - '0')));
  }
  void Ip(const std::string& ns, const std::vector<std::string>& cmds) {
    std::string file = dir_ + "/ip.batch";
    std::ofstream out(file);
    for (auto& c : cmds) out << c << "\n";
    out.close();
    std::vector<std::string> argv = {"/usr/sbin/ip"};
    if (!ns.empty()) argv.insert(argv.end(), {"-n", ns});
    argv.insert(argv.end(), {"-batch", file});
    auto r = RunCommand(argv);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  // Processes running `program` whose arguments mention this test's directory.
  int CountProcesses(const std::string& program) {
    int n = 0;
    for (auto& e : fs::directory_iterator("/proc")) {
      std::ifstream in(e.path() / "cmdline");
      std::string cmd;
      std::getline(in, cmd, '\0');
      std::string rest((std::istreambuf_iterator<char>(in)), {});
      if (cmd == program && rest.find(dir_) != std::string::npos) ++n;
    }
    return n;
  }

  std::string id_, dir_, data_, mgmt_, inventory_, before_;
  std::vector<pid_t> sshd_;
  bool made_run_sshd_ = false;
};

TEST_F(SshHosts, SentinelTopologyOverSshFailsOverMovesTheVipAndLeavesNothing) {
  Options o;
  Session s = OpenSession(o, dir_ + "/run", inventory_);
  s.backend->Up();
  std::printf("up over SSH in %.0f ms\n", s.backend->up_ms());
  EXPECT_EQ(CurrentMaster(*s.backend), "n1");
  EXPECT_EQ(s.backend->VipHolder(), "n1");
  EXPECT_EQ(RunCommand({"/usr/bin/redis-cli", "-h", data_ + ".100", "SET", "k", "v"}, Ns("cl")).output, "OK\n");

  ASSERT_TRUE(s.backend->Signal("n1", Service::kRedis, SIGKILL));
  std::string master;
  EXPECT_TRUE(WaitFor([&] {
    master = CurrentMaster(*s.backend);
    return !master.empty() && master != "n1" && s.backend->VipHolder() == master;
  }, 20000, 50)) << "no failover, or the VIP did not follow (master '" << master << "')";

  s.backend->AddDropRules("n2", "F1", {{"", Addr(data_, "n3"), "", ""}});
  std::string rules = RunCommand({"/usr/sbin/iptables", "-S"}, Ns("n2")).output;
  EXPECT_NE(rules.find("-A " + s.backend->layout().chain + "-F1 -d " + Addr(data_, "n3") + "/32 -j DROP"),
            std::string::npos) << rules;
  s.backend->RemoveDropRules("n2", "F1");
  EXPECT_EQ(RunCommand({"/usr/sbin/iptables", "-S"}, Ns("n2")).output.find("-F1"), std::string::npos);
  s.backend->Start("n1", Service::kRedis);
  EXPECT_EQ(WaitConverged(*s.backend, 30000), "") << "the old master did not rejoin";

  std::vector<pid_t> pids;
  for (auto* n : {"n1", "n2", "n3"})
    for (auto svc : {Service::kRedis, Service::kSentinel}) pids.push_back(s.backend->Pid(n, svc));
  s.backend->Down();
  for (pid_t p : pids) {
    EXPECT_GT(p, 0);
    EXPECT_EQ(ProcessStartTime(p), 0u) << "pid " << p << " still runs on a host";
  }
  EXPECT_EQ(RunCommand({"/usr/sbin/iptables", "-S"}, Ns("n2")).output.find("SC-"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ + "/remote/" + s.backend->layout().run_id));
  EXPECT_TRUE(fs::exists(dir_ + "/run/n1/redis.log")) << "the hosts' logs are kept with the run";
  EXPECT_EQ(CountProcesses("/usr/bin/ssh"), 0) << "an SSH master connection is left";
}

TEST_F(SshHosts, AScenarioRunsUnchangedOnRealHosts) {
  const std::string file = dir_ + "/kill.chaos";
  std::ofstream(file) << "scenario \"over ssh\"\ntopology sentinel3 down-after=1s\nload clients=4 duration=12s\n"
                         "at 3s kill redis on master as m\nat 9s restart m\nexpect failover within 10s\n";
  auto r = RunCommand({std::string(SC_BINARY_DIR) + "/sentinel-chaos", "run", file, "--inventory", inventory_, "--out",
                       dir_ + "/out", "--quiet"}, "", 600000);
  std::printf("%s", r.output.c_str());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(CountProcesses("/usr/bin/ssh"), 0) << "an SSH master connection is left";
  EXPECT_TRUE(fs::is_empty(dir_ + "/remote")) << "the run left files on a host";
}

}  // namespace
}  // namespace sc::topology
