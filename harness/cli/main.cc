// sentinel-chaos: the command line. Each subcommand lives in its own file;
// this one only dispatches and turns errors into exit codes.
#include <csignal>
#include <iostream>
#include <map>
#include <string>

#include "harness/cli/args.h"
#include "harness/cli/nightly_commands.h"
#include "harness/cli/registry_docs.h"
#include "harness/cli/run_commands.h"
#include "harness/cli/topology_commands.h"
#include "topology/backend.h"

namespace {

const char* kHelp = R"(usage: sentinel-chaos COMMAND [ARGS]

Failure injection for highly available Redis (master, replicas, Sentinels, VIP).

  run       run one scenario file: topology, load, faults, checks, report
  check     validate scenario files without running anything
  suite     run many scenarios (and option matrices), write a suite overview
  report    render a run's (or suite's) reports again from its results
  trend     compare suites across nights: trend.html, trend.json, regressions
  nightly   the nightly job: suite, reports, trend, step summary, exit code
  up        stand a topology up in network namespaces and leave it running
  status    show a running topology: roles, pids, Sentinel views, VIP holder
  down      take a topology down, leaving nothing behind
  cleanup   remove what crashed or killed runs left behind

Run `sentinel-chaos COMMAND --help` for each command's options.
Exit codes: 0 success, 1 an expectation failed, 2 invalid input, 3 environment
or infrastructure problem.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace sc::cli;
  std::signal(SIGPIPE, SIG_IGN);  // a dead server is an error reply, never the end of the harness
  std::map<std::string, int (*)(int, char**)> commands = {
      {"up", CmdUp},       {"status", CmdStatus}, {"down", CmdDown},   {"cleanup", CmdCleanup},
      {"run", CmdRun},     {"check", CmdCheck},   {"suite", CmdSuite}, {"report", CmdReport},
      {"trend", CmdTrend}, {"nightly", CmdNightly}};
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" || std::string(argv[1]) == "help") {
    std::cout << kHelp << "\nThe scenario language's words (docs/scenario-language.md):\n" << LanguageHelp();
    return argc < 2 ? kInvalidInput : kOk;
  }
  auto it = commands.find(argv[1]);
  if (it == commands.end()) {
    std::vector<std::string> names;
    for (auto& [n, f] : commands) names.push_back(n);
    std::string near = Closest(argv[1], names);
    std::cerr << "sentinel-chaos: unknown command '" << argv[1] << "'" << (near.empty() ? "" : "; did you mean '" + near + "'?")
              << "\nrun 'sentinel-chaos --help' for the list\n";
    return kInvalidInput;
  }
  try {
    return it->second(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "sentinel-chaos " << argv[1] << ": " << e.what() << "\n";
    return kInvalidInput;
  } catch (const sc::topology::EnvironmentError& e) {
    std::cerr << "sentinel-chaos " << argv[1] << ": " << e.what() << "\n";
    return kEnvironment;
  } catch (const std::exception& e) {
    std::cerr << "sentinel-chaos " << argv[1] << ": " << e.what() << "\n";
    return kEnvironment;
  }
}
