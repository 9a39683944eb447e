// Benchmark (not a test): the load generator against redis-benchmark on the
// same sentinel3 master, in the same run, both from the client host through
// the VIP, 8 connections, no pipelining. Target: ratio of at least 1.0.
#include <chrono>
#include <cstdio>
#include <regex>
#include <thread>

#include "harness/history/history.h"
#include "harness/load/load_generator.h"
#include "topology/process.h"
#include "topology/session.h"

int main(int argc, char** argv) {
  using namespace sc;
  const double seconds = argc > 1 ? std::atof(argv[1]) : 5;
  topology::Session s = topology::OpenSession(topology::Options{}, "");
  s.backend->Up();
  const auto& l = s.backend->layout();
  double ours = 0, theirs = 0;
  {
    RunClock clock;
    const std::string journal_path = l.state_dir + "/bench-history.jsonl";
    JournalWriter journal(journal_path, nlohmann::json::object());
    load::LoadOptions o;
    o.clients = 8;
    o.duration_ns = static_cast<int64_t>(seconds * 1e9);
    load::Endpoints ep;
    auto* b = s.backend.get();
    ep.thread_init = [b](int) { b->EnterNetwork("client"); };
    ep.vip = [&l] { return load::Address{l.vip, 6379}; };
    load::LoadGenerator gen(o, clock, journal, ep);
    auto t0 = std::chrono::steady_clock::now();
    gen.Start();
    gen.Join();
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    journal.Close();
    ours = gen.stats().ok / took;
  }
  auto r = topology::RunCommand({"/usr/bin/redis-benchmark", "-h", l.vip, "-c", "8", "-n",
                                 std::to_string(static_cast<int>(ours * seconds)), "-t", "set", "-q"},
                                l.client.netns, 600000);
  std::smatch m;
  static const std::regex kRate("SET: ([0-9.]+) requests per second");
  if (std::regex_search(r.output, m, kRate)) theirs = std::stod(m[1]);
  s.backend->Down();
  std::printf("throughput through the VIP of a sentinel3 master, 8 connections: load generator %.0f ops/s "
              "(every op journaled), redis-benchmark -c 8 -t set %.0f ops/s, ratio %.2f (target >= 1.0)\n",
              ours, theirs, theirs > 0 ? ours / theirs : 0);
  return theirs > 0 ? 0 : 1;
}
