#include "common/source_dir.h"
#include "topology/ssh_backend.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "topology/control.h"
#include "topology/converge.h"
#include "topology/process.h"

namespace sc::topology {

namespace fs = std::filesystem;

nlohmann::json SshInventory::ToJson() const {
  nlohmann::json hs = nlohmann::json::array();
  for (auto& h : hosts)
    hs.push_back({{"name", h.name}, {"ssh", h.ssh}, {"port", h.ssh_port}, {"address", h.address}, {"iface", h.iface}});
  return {{"hosts", hs}, {"vip", vip}, {"prefix_len", prefix_len}, {"identity", identity},
          {"remote_dir", remote_dir}, {"client_netns", client_netns}, {"client_address", client_address}};
}

SshInventory InventoryFromJson(const nlohmann::json& j, const std::string& where, std::vector<std::string>& errors) {
  SshInventory inv;
  try {
    for (auto& h : j.at("hosts")) {
      SshHost host;
      host.name = h.at("name");
      host.ssh = h.at("ssh");
      host.ssh_port = h.value("port", 22);
      host.address = h.at("address");
      host.iface = h.value("iface", "eth1");
      inv.hosts.push_back(host);
    }
    inv.vip = j.value("vip", "");
    inv.prefix_len = j.value("prefix_len", 24);
    inv.identity = j.value("identity", "");
    inv.remote_dir = j.value("remote_dir", inv.remote_dir);
    inv.client_netns = j.value("client_netns", "");
    inv.client_address = j.value("client_address", "");
  } catch (const std::exception& e) {
    errors.push_back(where + ": an inventory needs \"hosts\": [{\"name\", \"ssh\", \"address\"}, ...] (" + e.what() + ")");
    return inv;
  }
  for (size_t i = 0; i < inv.hosts.size(); ++i)
    if (inv.hosts[i].name != "n" + std::to_string(i + 1))
      errors.push_back(where + ": host " + std::to_string(i + 1) + " must be named n" + std::to_string(i + 1) +
                       " (n1 starts as master), not '" + inv.hosts[i].name + "'");
  if (inv.remote_dir.empty() || inv.remote_dir[0] != '/') errors.push_back(where + ": remote_dir must be an absolute path");
  return inv;
}

SshInventory LoadInventory(const std::string& path, std::vector<std::string>& errors) {
  std::ifstream in(path);
  if (!in) {
    errors.push_back(path + ": cannot read the inventory file");
    return {};
  }
  nlohmann::json j;
  try {
    in >> j;
  } catch (const std::exception& e) {
    errors.push_back(path + ": malformed JSON (" + std::string(e.what()) + ")");
    return {};
  }
  return InventoryFromJson(j, path, errors);
}

namespace {

// Quotes a word for the remote shell.
std::string Q(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Shell functions every remote command starts with (builtins only, so that a
// signal costs no fork on a loaded host). A service is known by its pidfile
// and PIDFILE.id, "PID STARTTIME" written right after it started: a signal
// goes only to a process with that pid AND that start time (field 22 of
// /proc/PID/stat), never to a stranger that got a recycled pid, nor to a zombie.
//   sc_id PIDFILE       records PIDFILE.id (waits up to 5 s for the pidfile)
//   sc_sig PIDFILE SIG  signals the recorded process if it is still that one
//   sc_pid PIDFILE      prints its pid if it is still that one
//   sc_end PIDFILE      SIGKILLs its whole process group if it is still that
//                       one: the service (started by setsid, so the group is
//                       its own) and whatever it started, above all a VIP
//                       hook script Sentinel is running, which would
//                       otherwise outlive its Sentinel and add the VIP after
//                       the cleanup removed it (seen once: "n1 holds the VIP");
//                       only the process itself if its group is the caller's
const char kShellPrelude[] =
    "sc_id() { f=$1; i=0; while [ ! -s \"$f\" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done; "
    "read p < \"$f\" || return 1; read -r l < /proc/$p/stat || return 1; set -- ${l##*\") \"}; "
    "echo \"$p ${20}\" > \"$f.id\"; }\n"
    "sc_sig() { f=$1; g=$2; read p s < \"$f.id\" 2>/dev/null || return 1; read -r l < /proc/$p/stat 2>/dev/null || "
    "return 1; set -- ${l##*\") \"}; [ \"$1\" != Z ] && [ \"${20}\" = \"$s\" ] && kill -$g $p; }\n"
    "sc_pid() { sc_sig \"$1\" 0 && read p s < \"$1.id\" && echo $p; }\n"
    "sc_end() { f=$1; read -r m < /proc/$$/stat || return 1; set -- ${m##*\") \"}; own=$3; "
    "read p s < \"$f.id\" 2>/dev/null || return 1; read -r l < /proc/$p/stat 2>/dev/null || "
    "return 1; set -- ${l##*\") \"}; [ \"$1\" != Z ] && [ \"${20}\" = \"$s\" ] || return 1; "
    "if [ \"$3\" -gt 1 ] && [ \"$3\" != \"$own\" ]; then kill -CONT -$3; kill -KILL -$3; "
    "else kill -CONT $p; kill -KILL $p; fi; }\n";

// The harness's remote shells carry their run in their arguments
// (`/bin/sh -s sc-shell-<run>`, see ChannelTo), so that a cleanup can end
// them: a killed harness may have written a command that its shell has not
// run yet. sc_end_shells RUN SIGKILLs each such shell's process group (the
// shell leads it: sshd starts every session with setsid), so a command it is
// running goes too, and waits up to 5 s until none is left. The grep pattern
// does not match grep's own arguments.
const char kEndShells[] =
    "sc_shells() { grep -lzx \"[s]c-shell-$1\" /proc/[0-9]*/cmdline 2>/dev/null; }\n"
    "sc_end_shells() { for f in $(sc_shells \"$1\"); do p=${f#/proc/}; p=${p%/cmdline}; "
    "kill -KILL -$p 2>/dev/null || kill -KILL $p 2>/dev/null; done; i=0; "
    "while [ -n \"$(sc_shells \"$1\")\" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done; }\n";

std::string ShellMarker(const std::string& run_id) { return "sc-shell-" + run_id; }

std::string Heredoc(const std::string& path, const std::string& text) {
  return "cat > " + Q(path) + " <<'SC_EOF'\n" + text + (text.empty() || text.back() == '\n' ? "" : "\n") + "SC_EOF\n";
}

std::string ReadLocal(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

SshBackend::SshBackend(Options options, SshInventory inventory, std::string run_id, std::string run_dir,
                       RunState& state)
    : options_(std::move(options)), inv_(std::move(inventory)), state_(state) {
  if (static_cast<int>(inv_.hosts.size()) < options_.Hosts())
    throw EnvironmentError("the inventory has " + std::to_string(inv_.hosts.size()) + " host(s); topology " +
                           ToString(options_.kind) + " needs " + std::to_string(options_.Hosts()));
  if (options_.vip && inv_.vip.empty()) throw EnvironmentError("vip=on needs \"vip\" in the inventory");
  layout_ = MakeLayout(options_, run_id, "0.0.0", run_dir);
  layout_.vip = options_.vip ? inv_.vip : "";
  for (auto& n : layout_.nodes) {
    const SshHost& h = inv_.hosts[n.index - 1];
    n.address = h.address;
    n.netns = "";
    n.cgroup = "";
  }
  layout_.client.netns = inv_.client_netns;
  layout_.client.address = inv_.client_address;  // found in Up() when not given
}

std::vector<std::string> SweepHosts(const SshInventory& inv, const std::vector<std::string>& keep,
                                    std::vector<std::string>& removed) {
  std::vector<std::string> problems;
  std::string keep_list;
  for (auto& k : keep) keep_list += " " + k;
  const std::string ipt = "iptables -w";
  for (auto& h : inv.hosts) {
    // A run is known on the host by either of two traces, each enough alone:
    // its directory in remote_dir or a chain SC-<run>-*. A chain is not
    // always beside a directory: when hosts share remote_dir (one file
    // system, as in the namespace test environment), the first host swept
    // removes the directory for all. A command of a killed harness can still
    // be on its way: so the run's remote shells are ended (and waited for)
    // first, so that nothing it sent can land after the sweep, then its
    // services, its chains, its directory. (A shell alone does not name a
    // run to sweep: where hosts share a machine's processes, as in the test
    // environment, it may be a live run of other hosts that started after
    // `keep` was read.) Run ids are lower-case hex (state.cc); anything else
    // is not ours.
    std::string cmd = std::string(kShellPrelude) + kEndShells + "keep=" + Q(keep_list + " ") + "; left=0; rd=" +
                      Q(inv.remote_dir) + "; ids=$({ for d in \"$rd\"/*/; do [ -d \"$d\" ] && basename \"$d\"; done; " +
                      ipt + " -S 2>/dev/null | awk '$1==\"-N\" && $2 ~ /^SC-[0-9a-f]+-/ {split($2, a, \"-\"); print a[2]}'; "
                      "} | sort -u); "
                      "for id in $ids; do case \"$id\" in *[!0-9a-f]*|'') continue;; esac; "
                      "case \"$keep\" in *\" $id \"*) left=1; continue;; esac; "
                      "sc_end_shells \"$id\"; d=\"$rd/$id/\"; "
                      "for f in \"$d\"*/redis.pid \"$d\"*/sentinel.pid; do [ -e \"$f.id\" ] && sc_end \"$f\"; done; "
                      "for c in $(" + ipt + " -S 2>/dev/null | awk -v p=\"SC-$id-\" '$1==\"-N\" && index($2,p)==1 {print $2}'); do " +
                      ipt + " -D INPUT -j $c; " + ipt + " -D OUTPUT -j $c; " + ipt + " -F $c; " + ipt + " -X $c; done; "
                      "rm -rf \"$d\"; echo \"removed run $id\"; done; "
                      "if [ $left = 0 ]; then ";
    if (!inv.vip.empty())
      cmd += "ip addr del " + inv.vip + "/" + std::to_string(inv.prefix_len) + " dev " + Q(h.iface) +
             " 2>/dev/null && echo \"removed the VIP " + inv.vip + "\"; ";
    cmd += "ip link show " + Q(h.iface) + " | grep -q 'state DOWN' && ip link set " + Q(h.iface) +
           " up && echo \"set " + h.iface + " up\"; fi; true";
    std::vector<std::string> argv = {"/usr/bin/ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                                     "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o",
                                     "ConnectTimeout=5", "-p", std::to_string(h.ssh_port)};
    if (!inv.identity.empty()) argv.insert(argv.end(), {"-i", inv.identity});
    argv.insert(argv.end(), {h.ssh, cmd});
    auto r = RunCommand(argv, inv.client_netns, 30000);
    if (!r.ok()) {
      problems.push_back("host " + h.name + " (" + h.ssh + "): " + r.Describe() + " " + r.output);
      continue;
    }
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) removed.push_back(h.name + ": " + line);
  }
  return problems;
}

const SshHost& SshBackend::HostNamed(const std::string& name) const {
  for (auto& h : inv_.hosts)
    if (h.name == name) return h;
  throw std::runtime_error("no host '" + name + "' in the inventory");
}

std::vector<std::string> SshBackend::SshArgs(const SshHost& h, bool via_master) const {
  std::vector<std::string> a = {"/usr/bin/ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5",
                                "-p", std::to_string(h.ssh_port)};
  if (!inv_.identity.empty()) a.insert(a.end(), {"-i", inv_.identity});
  if (via_master) a.insert(a.end(), {"-o", "ControlMaster=no", "-S", layout_.state_dir + "/ssh-" + h.name + ".ctl"});
  return a;
}

// A long-lived remote shell over the host's master connection: a command is
// written to its stdin, followed by a marker line carrying the exit status,
// and its output read back until that marker. One round trip, no process
// started on either side for the command itself.
class SshBackend::Channel {
 public:
  Channel(const std::vector<std::string>& argv, const std::string& netns, const std::string& log) {
    signal(SIGPIPE, SIG_IGN);  // a broken channel shows as EPIPE
    sc::Program p;
    p.argv = argv;
    p.setup.netns = netns;
    child_ = sc::StartPiped(p, log);
  }
  ~Channel() { Close(); }
  bool alive() const { return child_.pid > 0; }

  // False when the channel is (or just became) unusable; `out` is set otherwise,
  // also on a timeout (exit_code -1; the channel is closed then).
  bool Call(const std::string& command, int timeout_ms, Result& out) {
    std::lock_guard<std::mutex> l(mu_);
    if (child_.pid <= 0) return false;
    const std::string marker = "\n__SC_DONE_" + std::to_string(++seq_) + "__ ";
    const std::string text = "{\n" + command + "\n} </dev/null 2>&1; printf '\\n%s %s\\n' '__SC_DONE_" +
                             std::to_string(seq_) + "__' \"$?\"\n";
    for (size_t done = 0; done < text.size();) {
      ssize_t k = write(child_.to_child, text.data() + done, text.size() - done);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) {
        Close();
        return false;
      }
      done += k;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      size_t at = buf_.find(marker);
      if (at != std::string::npos) {
        size_t eol = buf_.find('\n', at + marker.size());
        if (eol != std::string::npos) {
          out.output = buf_.substr(0, at);
          out.exit_code = std::atoi(buf_.substr(at + marker.size(), eol - at - marker.size()).c_str());
          buf_.erase(0, eol + 1);
          return true;
        }
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        Close();
        out = {-1, "no answer within " + std::to_string(timeout_ms) + " ms"};
        return true;
      }
      pollfd pf{child_.from_child, POLLIN, 0};
      int rc = poll(&pf, 1, static_cast<int>(left.count()));
      if (rc < 0 && errno == EINTR) continue;
      if (rc <= 0) continue;
      char chunk[8192];
      ssize_t k = read(child_.from_child, chunk, sizeof chunk);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) {
        Close();
        return false;
      }
      buf_.append(chunk, k);
    }
  }

  void Close() {
    if (child_.pid <= 0) return;
    close(child_.to_child);
    close(child_.from_child);
    kill(child_.pid, SIGKILL);  // our own child, not yet reaped: the pid is still ours
    while (waitpid(child_.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    child_ = {};
  }

 private:
  std::mutex mu_;
  sc::PipedChild child_;
  unsigned long seq_ = 0;
  std::string buf_;
};

SshBackend::~SshBackend() { CloseChannels(); }

void SshBackend::CloseChannels() {
  std::lock_guard<std::mutex> l(channels_mu_);
  channels_.clear();
}

SshBackend::Channel* SshBackend::ChannelTo(const std::string& host, int channel) const {
  const SshHost& h = HostNamed(host);
  const std::string ctl = layout_.state_dir + "/ssh-" + h.name + ".ctl";
  std::lock_guard<std::mutex> l(channels_mu_);
  auto& c = channels_[host + "#" + std::to_string(channel)];
  if (c && c->alive()) return c.get();
  if (access(ctl.c_str(), F_OK) != 0) return nullptr;  // no master connection (yet, or any more)
  auto argv = SshArgs(h, true);
  argv.insert(argv.end(), {h.ssh, "exec /bin/sh -s " + ShellMarker(layout_.run_id)});
  try {
    c = std::make_unique<Channel>(argv, inv_.client_netns, layout_.state_dir + "/ssh-" + h.name + ".log");
  } catch (const std::exception&) {
    c.reset();
  }
  return c.get();
}

SshBackend::Result SshBackend::Remote(const std::string& host, const std::string& command, int channel,
                                      int timeout_ms) const {
  const std::string full = std::string(kShellPrelude) + command;
  if (Channel* c = ChannelTo(host, channel)) {
    Result r;
    if (c->Call(full, timeout_ms, r)) return r;
  }
  auto argv = SshArgs(HostNamed(host), true);
  argv.push_back(HostNamed(host).ssh);
  argv.push_back(full);
  auto r = RunCommand(argv, inv_.client_netns, timeout_ms);
  return {r.exit_code, r.output.empty() && !r.ok() ? "ssh " + r.Describe() : r.output};
}

std::string SshBackend::RemoteDir(const Node& n) const { return inv_.remote_dir + "/" + layout_.run_id + "/" + n.name; }

Node SshBackend::RemoteView(const Node& n) const {
  Node r = n;
  r.dir = RemoteDir(n);
  r.sock_dir = RemoteDir(n);
  return r;
}

void SshBackend::StartMaster(const Node& n) {
  const SshHost& h = HostNamed(n.name);
  const Node remote = RemoteView(n);
  fs::create_directories(n.sock_dir);
  auto argv = SshArgs(h, false);
  argv.insert(argv.end(), {"-M", "-S", layout_.state_dir + "/ssh-" + h.name + ".ctl", "-N", "-o",
                           "ExitOnForwardFailure=yes", "-o", "ServerAliveInterval=2", "-L",
                           n.redis_socket() + ":" + remote.redis_socket(), "-L",
                           n.sentinel_socket() + ":" + remote.sentinel_socket(), h.ssh});
  pid_t pid = Spawn({argv, {}, inv_.client_netns, {}, layout_.state_dir + "/ssh-" + h.name + ".log"});
  state_.Record("process", {{"pid", pid}, {"start_time", ProcessStartTime(pid)}, {"what", "ssh master to " + h.name}});
  auto check = SshArgs(h, true);
  check.insert(check.end(), {"-O", "check", h.ssh});
  if (!WaitFor([&] { return RunCommand(check, inv_.client_netns).exit_code == 0; }, 15000, 20))
    throw EnvironmentError("cannot reach " + h.ssh + " over SSH (see " + layout_.state_dir + "/ssh-" + h.name +
                           ".log): check the inventory, the key and that sshd runs");
}

std::string SshBackend::PidCommand(const Node& n, Service s) const {
  const Node r = RemoteView(n);
  return "sc_pid " + Q(s == Service::kRedis ? r.redis_pidfile() : r.sentinel_pidfile());
}

void SshBackend::CheckNetworks(const Node& n) {
  const SshHost& h = HostNamed(n.name);
  auto r = Remote(n.name, "echo \"$SSH_CONNECTION\"; ip -o -4 addr show");
  if (r.exit_code != 0) throw EnvironmentError("cannot look at the interfaces of " + n.name + ": " + r.output);
  std::istringstream in(r.output);
  std::string conn, line;
  std::getline(in, conn);
  std::istringstream cf(conn);
  std::string cip, cport, sip;
  cf >> cip >> cport >> sip;
  std::string ssh_iface, data_iface;
  while (std::getline(in, line)) {
    std::istringstream lf(line);
    std::string idx, iface, inet, cidr;
    lf >> idx >> iface >> inet >> cidr;
    std::string ip = cidr.substr(0, cidr.find('/'));
    if (!sip.empty() && ip == sip) ssh_iface = iface;
    if (ip == h.address) data_iface = iface;
  }
  if (data_iface.empty())
    throw EnvironmentError(n.name + ": no interface has the data address " + h.address +
                           " given as \"address\" in the inventory");
  if (data_iface != h.iface)
    throw EnvironmentError(n.name + ": the data address " + h.address + " is on " + data_iface + ", not on \"iface\": \"" +
                           h.iface + "\": set \"iface\": \"" + data_iface + "\" in the inventory");
  if (sip == h.address || ssh_iface == h.iface)
    throw EnvironmentError(n.name + ": SSH reaches the host at " + sip + " on " + h.iface +
                           ", the data interface that faults cut (node down sets it down, partitions drop on it), "
                           "so a fault would cut the harness off the host. Give \"ssh\" an address on a separate "
                           "management network (with vagrant/Vagrantfile: root@192.168.57.1X on eth1, data on eth2)");
}

void SshBackend::FindClientAddress() {
  if (!layout_.client.address.empty()) return;
  const std::string to = inv_.hosts.at(0).address;
  auto r = RunCommand({"/usr/sbin/ip", "-o", "-4", "route", "get", to}, inv_.client_netns, 5000);
  auto at = r.output.find(" src ");
  if (!r.ok() || at == std::string::npos)
    throw EnvironmentError("cannot find this machine's address on the data network (ip route get " + to +
                           ": " + r.output + "): give \"client_address\" in the inventory");
  std::istringstream f(r.output.substr(at + 5));
  f >> layout_.client.address;
  state_.SetInfo("client_address", layout_.client.address);
}

void SshBackend::StartService(const Node& n, Service s) {
  const Node r = RemoteView(n);
  std::string cmd = "cd " + Q(r.dir) + " && ";
  if (s == Service::kRedis) {
    cmd += "setsid /usr/bin/redis-server " + Q(r.redis_conf()) + " --daemonize yes";
  } else {
    cmd += "env";
    for (auto& [k, v] : VipHookEnv(layout_, r)) cmd += " " + k + "=" + Q(v);
    cmd += " SC_VIP_LOG=" + Q(r.dir + "/vip-events.log") + " SC_IFACE=" + Q(HostNamed(n.name).iface);
    cmd += " setsid /usr/bin/redis-sentinel " + Q(r.sentinel_conf()) + " --daemonize yes";
  }
  const std::string pidfile = s == Service::kRedis ? r.redis_pidfile() : r.sentinel_pidfile();
  auto res = Remote(n.name, "rm -f " + Q(pidfile) + " " + Q(pidfile + ".id") + "; " + cmd +
                                " >/dev/null 2>&1 </dev/null && sc_id " + Q(pidfile));
  if (res.exit_code != 0)
    throw std::runtime_error("cannot start " + std::string(ToString(s)) + " on " + n.name + ": " + res.output);
}

void SshBackend::Up() {
  auto t0 = std::chrono::steady_clock::now();
  if (access("/usr/bin/ssh", X_OK) != 0) throw EnvironmentError("/usr/bin/ssh is missing: apt-get install openssh-client");
  fs::create_directories(layout_.run_dir);
  const std::string script = ReadLocal(std::string(sc::SourceDir()) + "/topology/vip-reconfig.sh");
  for (auto& n : layout_.nodes) {
    const SshHost& h = HostNamed(n.name);
    StartMaster(n);
    CheckNetworks(n);
    // What `down` and `cleanup` run on the host, written before anything is made there:
    // end our services by their pidfiles, drop the VIP, remove the run's chains, remove our directory.
    const Node r = RemoteView(n);
    const std::string ipt = "iptables -w";
    // The run's remote shells go first: a command a killed harness sent may still be on its way.
    std::string cleanup = std::string(kShellPrelude) + kEndShells + "sc_end_shells " + layout_.run_id + "; for f in " + Q(r.redis_pidfile()) + " " +
                          Q(r.sentinel_pidfile()) + "; do sc_end $f; done; ";
    if (!layout_.vip.empty())
      cleanup += "ip addr del " + layout_.vip + "/" + std::to_string(inv_.prefix_len) + " dev " + h.iface + " 2>/dev/null; ";
    cleanup += "ip link set " + h.iface + " up; for c in $(" + ipt + " -S | awk '$1==\"-N\" && index($2,\"" + layout_.chain +
               "-\")==1 {print $2}'); do " + ipt + " -D INPUT -j $c; " + ipt + " -D OUTPUT -j $c; " + ipt + " -F $c; " +
               ipt + " -X $c; done; rm -rf " + Q(r.dir) + "; rmdir " + Q(inv_.remote_dir + "/" + layout_.run_id) +
               " 2>/dev/null; true";
    auto argv = SshArgs(h, false);
    argv.push_back(h.ssh);
    state_.Record("remote", {{"argv", argv}, {"netns", inv_.client_netns}, {"command", cleanup}, {"host", h.name}});

    std::string setup = "mkdir -p " + Q(r.dir) + " && " + Heredoc(r.dir + "/vip-reconfig.sh", script) +
                        "chmod +x " + Q(r.dir + "/vip-reconfig.sh") + "\n";
    if (n.redis) setup += Heredoc(r.redis_conf(), RedisConfig(options_, layout_, r));
    if (n.sentinel) setup += Heredoc(r.sentinel_conf(), SentinelConfig(options_, layout_, r, r.dir + "/vip-reconfig.sh"));
    if (n.index == 1 && !layout_.vip.empty())
      // With a gratuitous ARP, as the VIP hook does: the harness machine
      // outlives runs, and its ARP cache may still give the VIP the address
      // of the host that held it at the end of the previous run (seen: `up`
      // could not ping the VIP for 30 s after a run that ended with it on n2).
      setup += "ip addr add " + layout_.vip + "/" + std::to_string(inv_.prefix_len) + " dev " + h.iface +
               " && echo \"$(date +%s.%N) n1 add " + layout_.vip + " (initial master)\" >> " + Q(r.dir + "/vip-events.log") +
               " && { arping -q -U -c 1 -I " + Q(h.iface) + " " + layout_.vip + " >/dev/null 2>&1 </dev/null & }\n";
    auto res = Remote(n.name, setup);
    if (res.exit_code != 0) throw std::runtime_error("cannot prepare " + n.name + " over SSH: " + res.output);
  }
  for (auto& n : layout_.nodes) {
    if (n.redis) StartService(n, Service::kRedis);
    if (n.sentinel) StartService(n, Service::kSentinel);
  }
  FindClientAddress();
  TuneSentinelDiscovery(*this);
  std::string why = WaitConverged(*this, 30000);
  if (!why.empty()) throw std::runtime_error("the topology did not converge within 30 s: " + why);
  up_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void SshBackend::Down() {
  // Keep the servers' logs with the run before the remote directories go.
  for (auto& n : layout_.nodes) {
    const Node r = RemoteView(n);
    fs::create_directories(n.dir);
    for (const char* f : {"redis.log", "sentinel.log", "vip-events.log"}) {
      auto res = Remote(n.name, "cat " + Q(r.dir + "/" + f) + " 2>/dev/null");
      if (res.exit_code == 0 && !res.output.empty()) std::ofstream(n.dir + "/" + f) << res.output;
    }
  }
  CloseChannels();
  auto problems = TearDown(state_);
  if (!problems.empty()) {
    std::string all;
    for (auto& p : problems) all += "\n  " + p;
    throw std::runtime_error("could not remove everything:" + all);
  }
}

pid_t SshBackend::Pid(const std::string& node, Service s) const {
  const Node* n = layout_.Find(node);
  if (!n) throw std::runtime_error("no host '" + node + "' in this topology");
  auto r = Remote(node, PidCommand(*n, s));
  try {
    return r.exit_code == 0 ? std::stoi(r.output) : 0;
  } catch (...) {
    return 0;
  }
}

bool SshBackend::Signal(const std::string& node, Service s, int sig) {
  const Node* n = layout_.Find(node);
  if (!n) throw std::runtime_error("no host '" + node + "' in this topology");
  const Node r = RemoteView(*n);
  // One round trip: the identity check and the signal in one command.
  return Remote(node, "sc_sig " + Q(s == Service::kRedis ? r.redis_pidfile() : r.sentinel_pidfile()) + " " +
                          std::to_string(sig)).exit_code == 0;
}

void SshBackend::Start(const std::string& node, Service s) {
  if (Pid(node, s) != 0) return;
  StartService(*layout_.Find(node), s);
}

void SshBackend::Freeze(const std::string& node) {
  const Node r = RemoteView(*layout_.Find(node));
  Remote(node, "for f in " + Q(r.redis_pidfile()) + " " + Q(r.sentinel_pidfile()) + "; do sc_sig $f STOP; done; true");
}

void SshBackend::Thaw(const std::string& node) {
  const Node r = RemoteView(*layout_.Find(node));
  Remote(node, "for f in " + Q(r.redis_pidfile()) + " " + Q(r.sentinel_pidfile()) + "; do sc_sig $f CONT; done; true");
}

void SshBackend::PowerOff(const std::string& node) {
  const Node r = RemoteView(*layout_.Find(node));
  std::string cmd = "for f in " + Q(r.redis_pidfile()) + " " + Q(r.sentinel_pidfile()) +
                    "; do sc_end $f; rm -f $f $f.id; done; ";
  if (!layout_.vip.empty())
    cmd += "ip addr del " + layout_.vip + "/" + std::to_string(inv_.prefix_len) + " dev " + HostNamed(node).iface + " 2>/dev/null; ";
  Remote(node, cmd + "true");
}

void SshBackend::Boot(const std::string& node) {
  const Node& n = *layout_.Find(node);
  if (n.redis) StartService(n, Service::kRedis);
  if (n.sentinel) StartService(n, Service::kSentinel);
}

void SshBackend::SetLinkUp(const std::string& host, bool up) {
  auto r = Remote(host, "ip link set " + HostNamed(host).iface + (up ? " up" : " down"));
  if (r.exit_code != 0) throw std::runtime_error("cannot set the link of " + host + ": " + r.output);
}

namespace {

// A rule line in iptables-restore's format, for chain `c`.
std::string RuleLine(const std::string& c, const DropRule& r, const std::string& iface) {
  std::string line = "-A " + c;
  if (!r.src.empty()) line += " -s " + r.src;
  if (!r.dst.empty()) line += " -d " + r.dst;
  if (!r.in_iface.empty()) line += " -i " + iface;
  if (!r.out_iface.empty()) line += " -o " + iface;
  if (r.percent < 100) line += " -m statistic --mode random --probability " + std::to_string(r.percent / 100.0);
  return line + " -j DROP\n";
}

// One iptables-restore (one process on the host, one atomic commit) that
// changes only what `body` names (--noflush: nothing else is touched).
std::string Restore(const std::string& body) {
  return "iptables-restore -w --noflush <<'SC_EOF'\n*filter\n" + body + "COMMIT\nSC_EOF\n";
}

// The chain of the run's own for a fault, and the two jumps to it (empty: no effect yet).
std::string ChainAndJumps(const std::string& c) { return ":" + c + " - [0:0]\n-I INPUT -j " + c + "\n-I OUTPUT -j " + c + "\n"; }

}  // namespace

void SshBackend::ReserveDropRules(const std::string& host, const std::string& tag) {
  if (host == "client") return;  // nothing is made there (AddDropRules)
  {
    std::lock_guard<std::mutex> l(reserved_mu_);
    if (reserved_.count({host, tag})) return;
  }
  // Ahead of the fault's instant: the chain and its jumps, empty. The fault
  // itself is then one process on the host adding its rules.
  auto res = Remote(host, Restore(ChainAndJumps(layout_.chain + "-" + tag)));
  if (res.exit_code != 0) return;  // AddDropRules makes the chain itself then
  std::lock_guard<std::mutex> l(reserved_mu_);
  reserved_.insert({host, tag});
}

void SshBackend::ReleaseDropRules(const std::string& host, const std::string& tag) {
  {
    std::lock_guard<std::mutex> l(reserved_mu_);
    if (!reserved_.erase({host, tag})) return;  // used by AddDropRules, or never made
  }
  RemoveDropRules(host, tag);  // a reservation never used: its empty chain goes
}

std::string SshBackend::DropRulesCommand(const std::string& host, const std::string& tag,
                                         const std::vector<DropRule>& rules) {
  if (host == "client") {
    // The harness machine's own packet filter is never changed: every rule
    // between the client and a server has its mirror on that server (the
    // partition rules are made for both sides), which alone cuts the pair.
    for (auto& r : rules)
      if (r.src.empty() && r.dst.empty())
        throw EnvironmentError("on real hosts, faults on the client itself (loss, isolation) are not made: "
                               "the harness machine's rules are never changed; put the fault on a server");
    return "";
  }
  const std::string c = layout_.chain + "-" + tag;
  bool reserved;
  {
    std::lock_guard<std::mutex> l(reserved_mu_);
    reserved = reserved_.erase({host, tag}) > 0;  // used now: ReleaseDropRules leaves it
  }
  std::string body = reserved ? "" : ChainAndJumps(c);
  for (auto& r : rules) body += RuleLine(c, r, HostNamed(host).iface);
  return Restore(body);
}

void SshBackend::AddDropRules(const std::string& host, const std::string& tag, const std::vector<DropRule>& rules) {
  AddDropRulesOnHosts(tag, {{host, rules}});
}

void SshBackend::AddDropRulesOnHosts(const std::string& tag,
                                     const std::map<std::string, std::vector<DropRule>>& rules) {
  std::vector<std::pair<std::string, std::string>> commands;  // host, command
  for (auto& [host, r] : rules) {
    std::string cmd = DropRulesCommand(host, tag, r);
    if (!cmd.empty()) commands.push_back({host, cmd});
  }
  std::vector<Result> results(commands.size());
  OnEachHost(commands, results);
  std::string failed;
  for (size_t i = 0; i < commands.size(); ++i)
    if (results[i].exit_code != 0) failed += (failed.empty() ? "" : "; ") + commands[i].first + ": " + results[i].output;
  if (!failed.empty()) throw std::runtime_error("iptables on " + failed);
}

void SshBackend::RemoveDropRules(const std::string& host, const std::string& tag) { RemoveDropRulesOnHosts(tag, {host}); }

void SshBackend::RemoveDropRulesOnHosts(const std::string& tag, const std::set<std::string>& hosts) {
  const std::string c = layout_.chain + "-" + tag, ipt = "iptables -w";
  std::vector<std::pair<std::string, std::string>> commands;
  for (auto& host : hosts)
    if (host != "client")  // nothing was made there (DropRulesCommand)
      commands.push_back({host, ipt + " -D INPUT -j " + c + "; " + ipt + " -D OUTPUT -j " + c + "; " + ipt + " -F " + c +
                                    "; " + ipt + " -X " + c + "; true"});
  std::vector<Result> results(commands.size());
  OnEachHost(commands, results);
}

void SshBackend::OnEachHost(const std::vector<std::pair<std::string, std::string>>& commands,
                            std::vector<Result>& results) const {
  if (commands.size() == 1) {
    results[0] = Remote(commands[0].first, commands[0].second);
    return;
  }
  // One thread per host, each on its host's own channel: the slowest host,
  // not the sum, is what a fault waits for.
  std::vector<std::thread> threads;
  for (size_t i = 0; i < commands.size(); ++i)
    threads.emplace_back([&, i] { results[i] = Remote(commands[i].first, commands[i].second); });
  for (auto& t : threads) t.join();
}

void SshBackend::EnterNetwork(const std::string& host) const {
  if (host != "client" || inv_.client_netns.empty()) return;  // the harness machine is the client host
  JoinNetns(inv_.client_netns);
}

std::string SshBackend::VipHolder() const {
  if (layout_.vip.empty()) return "";
  std::string holder;
  for (auto& n : layout_.nodes) {
    auto r = Remote(n.name, "ip -o -4 addr show dev " + HostNamed(n.name).iface, 1, 5000);
    if (r.output.find(" " + layout_.vip + "/") != std::string::npos) holder += (holder.empty() ? "" : ",") + n.name;
  }
  return holder;
}

}  // namespace sc::topology
