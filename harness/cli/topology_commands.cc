#include "harness/cli/topology_commands.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "harness/cli/args.h"
#include "topology/control.h"
#include "topology/converge.h"
#include "topology/session.h"

namespace sc::cli {

using namespace sc::topology;

namespace {

const char* kUpHelp = R"(usage: sentinel-chaos up [--topology KIND] [--OPTION VALUE]... [--file TOPOLOGY.json]

Stands the topology up in network namespaces and returns once it has converged
(replication up, every Sentinel agrees, the VIP answers from the client host).
It stays up until `sentinel-chaos down RUN-ID`.

  --topology KIND          single | sentinel1 | sentinel2 | sentinel3 (default)
  --replicas N             1 or 2 (sentinel3)
  --quorum N               Sentinel quorum (default: majority)
  --down-after D           down-after-milliseconds, e.g. 1s, 500ms
  --failover-timeout D     e.g. 5s
  --min-replicas-to-write N, --min-replicas-max-lag SECONDS
  --persistence none|rdb|aof, --appendfsync always|everysec|no
  --vip on|off, --supervisor on|off, --supervisor-delay D
  --requirepass PASSWORD, --subnet A.B.C.0/24, --port N, --sentinel-port N
  --file FILE              options from a JSON file ({"topology": "sentinel3", ...});
                           command-line options override it
  --inventory HOSTS.json   real hosts or VMs over SSH instead of namespaces here
Exit codes: 0 up, 2 invalid options (nothing started), 3 environment problem.
)";

Options OptionsFromArgs(const Args& a) {
  std::vector<std::string> errors;
  Options o;
  if (auto f = a.Get("file")) o = FromJsonFile(*f, errors);
  for (auto& [k, v] : a.options) {
    if (k == "file" || k == "help" || k == "inventory") continue;
    if (auto e = SetOption(o, k, v)) errors.push_back(*e);
  }
  for (auto& e : Validate(o)) errors.push_back(e);
  if (!errors.empty()) {
    std::string all = errors[0];
    for (size_t i = 1; i < errors.size(); ++i) all += "\n" + errors[i];
    throw UsageError(all);
  }
  return o;
}

std::vector<std::string> ValuedTopologyOptions() {
  std::vector<std::string> v = OptionNames();
  v.push_back("file");
  v.push_back("inventory");
  return v;
}

std::string RunIdArg(const Args& a, const char* cmd) {
  if (a.positional.size() > 1) throw UsageError(std::string(cmd) + " takes one run id");
  if (!a.positional.empty()) return a.positional[0];
  auto runs = RunState::List();
  if (runs.size() == 1) return runs[0];
  if (runs.empty()) throw UsageError("no topology is up (nothing under " + StateRoot() + ")");
  std::string all;
  for (auto& r : runs) all += " " + r;
  throw UsageError(std::string("several runs are up; name one:") + all);
}

void PrintStatus(const Backend& b) {
  const Layout& l = b.layout();
  const Options& o = b.options();
  std::cout << "run " << l.run_id << "  topology " << ToString(o.kind)
            << (l.nodes[0].netns.empty() ? "  over SSH" : "  subnet " + l.prefix + ".0/24")
            << (o.vip ? "  vip " + l.vip : "") << (o.supervisor ? "  supervisor on" : "") << "\n";
  std::string vip = b.VipHolder();
  for (auto& n : l.nodes) {
    std::cout << "  " << n.name << " " << n.address;
    if (n.redis) {
      pid_t pid = b.Pid(n.name, Service::kRedis);
      Reply r = Ask(n.redis_socket(), {"INFO", "replication"}, o.requirepass);
      std::string role = r.ok ? InfoField(r.text, "role") : "down";
      if (role == "slave") role = "replica of " + InfoField(r.text, "master_host") + " (link " + InfoField(r.text, "master_link_status") + ")";
      std::cout << "  redis pid " << (pid ? std::to_string(pid) : "-") << " " << role;
    }
    if (n.sentinel) {
      pid_t pid = b.Pid(n.name, Service::kSentinel);
      Reply r = Ask(n.sentinel_socket(), {"SENTINEL", "get-master-addr-by-name", o.master_name});
      std::cout << "  sentinel pid " << (pid ? std::to_string(pid) : "-") << " says master "
                << (r.ok && r.items.size() == 2 ? r.items[0] : "?");
    }
    if (!vip.empty() && vip.find(n.name) != std::string::npos) std::cout << "  [VIP]";
    std::cout << "\n";
  }
  std::cout << "  client " << l.client.address << "\n";
  std::string why = WhyNotConverged(b);
  std::cout << "  converged: " << (why.empty() ? "yes" : "no (" + why + ")") << "\n";
}

}  // namespace

int CmdUp(int argc, char** argv) {
  Args a = Args::Parse(argc, argv, 2, {"help"}, ValuedTopologyOptions());
  if (a.Has("help")) {
    std::cout << kUpHelp;
    return kOk;
  }
  if (!a.positional.empty()) throw UsageError("up takes no positional argument '" + a.positional[0] + "'");
  Options o = OptionsFromArgs(a);
  Session s = OpenSession(o, "", a.Get("inventory").value_or(""));
  // Ctrl-C during `up` lets it finish its step, then removes what it made.
  static std::atomic<bool> interrupted{false};
  std::signal(SIGINT, [](int) { interrupted = true; });
  std::signal(SIGTERM, [](int) { interrupted = true; });
  try {
    s.backend->Up();
  } catch (...) {
    s.backend->Down();
    throw;
  }
  if (interrupted) {
    s.backend->Down();
    std::cerr << "sentinel-chaos up: interrupted; everything it made was removed\n";
    return kEnvironment;
  }
  s.state->SetInfo("kept", true);
  std::printf("up in %.0f ms\n", s.backend->up_ms());
  PrintStatus(*s.backend);
  std::cout << "take it down with: sentinel-chaos down " << s.state->run_id() << "\n";
  return kOk;
}

int CmdStatus(int argc, char** argv) {
  Args a = Args::Parse(argc, argv, 2, {"help"}, {});
  if (a.Has("help")) {
    std::cout << "usage: sentinel-chaos status [RUN-ID]\n\nPer server: processes and pids, role as redis reports it,\n"
                 "what each Sentinel believes the master is, who holds the VIP.\n";
    return kOk;
  }
  Session s = ReopenSession(RunIdArg(a, "status"));
  PrintStatus(*s.backend);
  return kOk;
}

int CmdDown(int argc, char** argv) {
  Args a = Args::Parse(argc, argv, 2, {"help"}, {});
  if (a.Has("help")) {
    std::cout << "usage: sentinel-chaos down [RUN-ID]\n\nRemoves exactly what the run made: processes (by pid),\n"
                 "rules, namespaces, cgroups, its state directory.\n";
    return kOk;
  }
  auto state = RunState::Load(RunIdArg(a, "down"));
  auto t0 = std::chrono::steady_clock::now();
  auto problems = TearDown(state);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  for (auto& p : problems) std::cerr << "sentinel-chaos: " << p << "\n";
  if (!problems.empty()) return kEnvironment;
  std::printf("down %s in %.0f ms\n", state.run_id().c_str(), ms);
  return kOk;
}

int CmdCleanup(int argc, char** argv) {
  Args a = Args::Parse(argc, argv, 2, {"help", "all"}, {"inventory"});
  if (a.Has("help")) {
    std::cout << "usage: sentinel-chaos cleanup [--all] [--inventory FILE] [RUN-ID...]\n\nRemoves what earlier runs left behind (a harness killed with\n"
                 "SIGKILL, a crash): every run whose harness is gone, or the runs named. Topologies\n"
                 "kept by `up` are left alone unless --all or named. What is already gone is forgotten;\n"
                 "a host that cannot be reached is tried a few times, then reported with what may\n"
                 "remain there and forgotten: one cleanup is always enough.\n"
                 "--inventory FILE: then, on every host of FILE, removes what runs whose state is\n"
                 "gone left in its remote_dir (services by pid and start time, the runs' chains,\n"
                 "their files) and, when no run is left there, the VIP; runs still alive or kept\n"
                 "by `up` are left alone.\n";
    return kOk;
  }
  std::vector<std::string> ids = a.positional.empty() ? StaleRuns(a.Has("all")) : a.positional;
  std::optional<SshInventory> inventory;
  if (auto file = a.Get("inventory")) {
    std::vector<std::string> errors;
    inventory = LoadInventory(*file, errors);
    if (!errors.empty()) {
      for (auto& e : errors) std::cerr << "sentinel-chaos: " << e << "\n";
      return kEnvironment;
    }
    // Without run ids, only the stale runs on this inventory's hosts.
    if (a.positional.empty()) {
      std::vector<std::string> on_hosts;
      for (auto& id : ids) {
        try {
          auto inv = RunState::Load(id).info().value("inventory", nlohmann::json());
          if (inv.is_object() && inv.value("remote_dir", "") == inventory->remote_dir &&
              inv.value("hosts", nlohmann::json::array()) == inventory->ToJson()["hosts"])
            on_hosts.push_back(id);
        } catch (...) {
        }
      }
      ids = on_hosts;
    }
  }
  int failed = 0, removed = 0;
  for (auto& id : ids) {
    std::unique_ptr<RunState> state;
    try {
      state = std::make_unique<RunState>(RunState::Load(id));
    } catch (const std::exception& e) {
      if (!a.positional.empty() && !std::filesystem::exists(StateRoot() + "/" + id)) {
        std::cerr << "sentinel-chaos: no run '" << id << "'\n";
        ++failed;
        continue;
      }
      // A state directory without a readable state file records nothing: remove it.
      std::string err = RemoveDamagedRun(id);
      std::cerr << "sentinel-chaos: run " << id << ": " << e.what()
                << (err.empty() ? "; its state directory was removed" : "; " + err) << "\n";
      failed += !err.empty();
      removed += err.empty();
      continue;
    }
    auto problems = TearDown(*state);
    for (auto& p : problems) std::cerr << "sentinel-chaos: run " << id << ": " << p << "\n";
    failed += !problems.empty();
    removed += problems.empty();
  }
  std::cout << "cleanup: removed " << removed << " run(s)" << (failed ? ", " + std::to_string(failed) + " failed" : "") << "\n";
  if (inventory) {
    // Runs whose state is still here (alive, or kept by `up`) are not swept.
    std::vector<std::string> keep = RunState::List();
    std::vector<std::string> swept;
    auto problems = SweepHosts(*inventory, keep, swept);
    for (auto& line : swept) std::cout << "cleanup: " << line << "\n";
    for (auto& p : problems) std::cerr << "sentinel-chaos: cleanup --inventory: " << p << "\n";
    if (!problems.empty()) return kEnvironment;
  }
  return failed ? kEnvironment : kOk;
}

}  // namespace sc::cli
