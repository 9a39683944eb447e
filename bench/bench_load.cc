// bench_load: closed-loop throughput of the load generator (8 clients, set
// workload, every op journaled) against redis-benchmark on the same local
// redis-server. Usage: bench_load [seconds=5]
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <cstdlib>
#include <iostream>
#include <regex>
#include <string>

#include "harness/load/load_generator.h"
#include "common/run.h"
#include "harness/load/local_redis.h"

namespace {

// Runs redis-benchmark and returns its SET requests per second (0 if unparsable).
double RedisBenchmarkSet(int port) {
  sc::Program prog;
  prog.argv = {"/usr/bin/redis-benchmark", "-h", "127.0.0.1", "-p", std::to_string(port), "-c", "8", "-n", "200000",
               "-t", "set", "-q"};
  std::string out = sc::Run(prog, std::chrono::minutes(5)).output;
  std::smatch m;
  static const std::regex kRate("SET: ([0-9.]+) requests per second");
  if (!std::regex_search(out, m, kRate)) {
    std::cerr << "could not parse redis-benchmark output:\n" << out << "\n";
    return 0;
  }
  return std::stod(m[1]);
}

// CPU seconds (user + system) the process has used so far.
double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i)
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  return ticks / sysconf(_SC_CLK_TCK);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sc;
  const double seconds = argc > 1 ? std::atof(argv[1]) : 5;
  try {
    testing::TempDir dir("sc-bench-load");
    auto server = testing::LocalRedis::StartServer(dir.path(), "r1", /*tcp=*/true);

    load::LoadOptions o;
    o.clients = 8;
    o.workload = "set";
    o.via = load::Via::kDirect;
    o.rate = 0;
    o.duration_ns = static_cast<Nanos>(seconds * 1e9);
    o.command_timeout_ns = 1'000'000'000;
    load::Endpoints ep;
    const load::Address addr{"127.0.0.1", server->port()};
    ep.direct = [addr] { return addr; };

    RunClock clock;
    JournalWriter journal(dir.path() + "/journal.jsonl", nlohmann::json::object());
    load::LoadGenerator::Stats stats;
    Nanos elapsed;
    double cpu0 = 0, cpu1 = 0;
    {
      load::LoadGenerator gen(o, clock, journal, ep);
      Nanos t0 = clock.Now();
      cpu0 = CpuSeconds(server->pid());
      gen.Start();
      gen.Join();
      elapsed = clock.Now() - t0;
      cpu1 = CpuSeconds(server->pid());
      stats = gen.stats();
    }
    journal.Close();
    const double ours = stats.ok / (elapsed / 1e9);
    const auto b0 = std::chrono::steady_clock::now();
    const double theirs = RedisBenchmarkSet(server->port());
    const double bench_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - b0).count();
    const double cpu2 = CpuSeconds(server->pid());
    std::printf("load generator: %.0f ops/s (%llu ok, %llu fail, %llu unknown, journaled), "
                "redis-benchmark -c 8 -t set: %.0f ops/s, ratio %.2f (target >= 1.0)\n",
                ours, static_cast<unsigned long long>(stats.ok),
                static_cast<unsigned long long>(stats.fail),
                static_cast<unsigned long long>(stats.unknown), theirs,
                theirs > 0 ? ours / theirs : 0.0);
    std::printf("redis-server busy: %.0f%% of a core under the load generator, %.0f%% under "
                "redis-benchmark\n",
                100 * (cpu1 - cpu0) / (elapsed / 1e9), 100 * (cpu2 - cpu1) / bench_s);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "bench_load: " << e.what() << "\n";
    return 1;
  }
}
