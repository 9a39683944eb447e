// bench_checkers [OPS]: writes a synthetic history of OPS operations
// (default 10 million: 8 clients, three outages, a final read) to a temp
// file, times RunChecks over it, prints elapsed seconds and peak RSS against
// the targets, and deletes the file.
// bench_checkers --journal FILE: times RunChecks over an existing journal
// (a run's history.jsonl.zst) and leaves it; for profiling the checkers alone.
// bench_checkers --write FILE [OPS]: only writes the synthetic journal to FILE.
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "harness/checkers/run_checks.h"

namespace {

using sc::Nanos;
constexpr Nanos kMs = 1'000'000;
constexpr Nanos kS = 1'000'000'000;
constexpr int kClients = 8;

struct Outage {
  Nanos start, end;
};

double Elapsed(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double CpuSeconds(const struct rusage& ru) {
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

sc::Event MakeEvent(Nanos at, const char* type) {
  sc::Event ev;
  ev.at = at;
  ev.type = type;
  return ev;
}

// Writes the history; returns the number of ops written.
int64_t WriteHistory(const std::string& path, int64_t total_ops) {
  sc::JournalWriter w(path, {{"workload", "set"}, {"run", "bench"}});
  int64_t per_client = total_ops / kClients;
  // Ops take about 0.5 ms, so the load lasts per_client * 0.5 ms; outages at
  // 20%, 50% and 80% of it, 3 s each.
  Nanos load = per_client * kMs / 2;
  std::vector<Outage> outages = {{load / 5, load / 5 + 3 * kS},
                                 {load / 2, load / 2 + 3 * kS},
                                 {load * 4 / 5, load * 4 / 5 + 3 * kS}};
  const char* nodes[] = {"n1", "n2", "n3"};
  sc::Event role = MakeEvent(0, "role");
  role.node = "n1";
  role.role = "master";
  w.Append(role);
  for (size_t i = 0; i < outages.size(); ++i) {
    sc::Event f = MakeEvent(outages[i].start, "fault-start");
    f.name = "f" + std::to_string(i + 1);
    f.kind = "kill";
    f.target = nodes[i % 3];
    w.Append(f);
    sc::Event s = MakeEvent(outages[i].start + 1 * kS, "sentinel-event");
    s.node = "n2";
    s.name = "+sdown";
    s.detail = "master mymaster 10.0.0.1 6379";
    w.Append(s);
    s.at += 2 * kS;
    s.name = "+switch-master";
    s.detail = "mymaster x " + std::to_string(i);
    w.Append(s);
    role.at = s.at;
    role.node = nodes[i % 3];
    role.role = "replica";
    w.Append(role);
    role.node = nodes[(i + 1) % 3];
    role.role = "master";
    w.Append(role);
  }

  // status per element: 0 failed, 1 acked, 2 unknown; lost: acked in the
  // 200 ms before an outage.
  std::vector<std::vector<uint8_t>> status(kClients);
  std::vector<std::vector<uint8_t>> lost(kClients);
  uint64_t rng = 88172645463325252ull;
  int64_t written = 0;
  std::vector<Nanos> now(kClients, 0);
  sc::Op op;
  op.kind = sc::OpKind::kWrite;
  op.server = "10.213.4.11:6379";
  for (int64_t i = 0; i < per_client; ++i) {
    for (int c = 0; c < kClients; ++c) {
      rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
      op.client = c;
      op.seq = static_cast<uint64_t>(i);
      op.value = "c" + std::to_string(c) + "-" + std::to_string(i);
      op.invoke = now[c];
      op.outcome = sc::Outcome::kOk;
      op.error = sc::ErrorClass::kNone;
      op.error_text.clear();
      Nanos latency = 200'000 + static_cast<Nanos>(rng % 600'000);
      bool lost_here = false;
      for (const Outage& o : outages) {
        if (op.invoke >= o.start && op.invoke < o.end) {
          bool timeout = rng % 16 == 0;
          op.outcome = timeout ? sc::Outcome::kUnknown : sc::Outcome::kFail;
          op.error = timeout ? sc::ErrorClass::kTimeout : sc::ErrorClass::kRefused;
          op.error_text = timeout ? "timeout" : "Connection refused";
          latency = timeout ? 100 * kMs : 1 * kMs;
        }
        lost_here |= op.invoke >= o.start - 200 * kMs && op.invoke < o.start;
      }
      op.complete = op.invoke + latency;
      now[c] = op.complete + 10'000;
      status[c].push_back(op.outcome == sc::Outcome::kOk ? 1 : op.outcome == sc::Outcome::kFail ? 0 : 2);
      lost[c].push_back(lost_here && op.outcome == sc::Outcome::kOk);
      w.Append(op);
      ++written;
    }
  }

  // Final read from the master (and a replica with the same data), in parts.
  for (const char* node : {"n1", "n2"}) {
    sc::Event fr = MakeEvent(load + 10 * kS, "final-read");
    fr.node = node;
    fr.role = node == std::string("n1") ? "master" : "replica";
    for (int c = 0; c < kClients; ++c) {
      for (size_t s = 0; s < status[c].size(); ++s) {
        bool present = (status[c][s] == 1 && !lost[c][s]) || (status[c][s] == 2 && s % 2 == 0);
        if (!present) continue;
        fr.values.push_back("c" + std::to_string(c) + "-" + std::to_string(s));
        if (fr.values.size() == sc::JournalWriter::kMaxValuesPerLine) {
          w.Append(fr);
          fr.values.clear();
        }
      }
    }
    if (!fr.values.empty()) w.Append(fr);
  }
  w.Close();
  return written;
}

// The CPU time the hypervisor gave other guests instead of this machine, all
// CPUs together ("steal" in /proc/stat), in seconds; 0 where not reported.
// A wall time measured while it grew is not this code's alone.
double StolenSeconds() {
  FILE* f = std::fopen("/proc/stat", "r");
  if (f == nullptr) return 0;
  unsigned long long v[8] = {};
  int n = std::fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
                      &v[6], &v[7]);
  std::fclose(f);
  return n == 8 ? static_cast<double>(v[7]) / static_cast<double>(sysconf(_SC_CLK_TCK)) : 0;
}

// Times RunChecks over `path` and prints the figures and the cost. `ops`: how
// many the journal holds, or -1 to take the count from the figures.
void TimeChecks(const std::string& path, int64_t ops) {
  const double stolen0 = StolenSeconds();
  struct rusage ru, thread_ru;
  getrusage(RUSAGE_SELF, &ru);
  getrusage(RUSAGE_THREAD, &thread_ru);
  double cpu0 = CpuSeconds(ru), thread_cpu0 = CpuSeconds(thread_ru);
  auto t1 = std::chrono::steady_clock::now();
  std::string warning;
  nlohmann::json r = sc::RunChecks(path, sc::CheckSettings(), &warning);
  double secs = Elapsed(t1);
  getrusage(RUSAGE_SELF, &ru);
  getrusage(RUSAGE_THREAD, &thread_ru);
  double cpu = CpuSeconds(ru) - cpu0;
  // The checkers run on this thread; the journal reader's three threads (one
  // decompresses, two split and parse op lines) have ended and count in the
  // process's total. On an idle machine with two cores the wall time is a
  // little over half the total.
  double checker_cpu = CpuSeconds(thread_ru) - thread_cpu0;
  const double stolen = StolenSeconds() - stolen0;
  if (!warning.empty()) std::printf("warning: %s\n", warning.c_str());
  const nlohmann::json& f = r["figures"];
  std::printf("figures: %s\n", f.dump().c_str());
  if (ops < 0) ops = f.value("ok_ops", int64_t{0}) + f.value("failed_ops", int64_t{0}) + f.value("unknown_ops", int64_t{0});
  std::printf("checker: %lld ops in %.2f s (%.2f s CPU: checker thread %.2f s, reader threads %.2f s; "
              "%.2f s CPU stolen by other guests meanwhile), peak RSS %ld MB (targets: 3 s, 256 MB)\n",
              static_cast<long long>(ops), secs, cpu, checker_cpu, cpu - checker_cpu, stolen, ru.ru_maxrss / 1024);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--journal") {
    try {
      TimeChecks(argv[2], -1);
      return 0;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_checkers: %s\n", e.what());
      return 1;
    }
  }
  if (argc >= 3 && std::string(argv[1]) == "--write") {
    int64_t n = argc > 3 ? std::atoll(argv[3]) : 10'000'000;
    int64_t written = WriteHistory(argv[2], n);
    std::printf("wrote %lld ops to %s\n", static_cast<long long>(written), argv[2]);
    return 0;
  }
  int64_t ops = argc > 1 ? std::atoll(argv[1]) : 10'000'000;
  if (ops < kClients) {
    std::fprintf(stderr, "usage: bench_checkers [OPS]  (OPS at least %d)\n", kClients);
    return 2;
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp ? tmp : "/tmp") + "/sc-bench-history-XXXXXX";
  int fd = mkstemp(path.data());
  if (fd < 0) {
    std::perror("mkstemp");
    return 1;
  }
  close(fd);
  unlink(path.c_str());
  path += ".jsonl.zst";  // compressed, as runs write it

  int rc = 0;
  try {
    auto t0 = std::chrono::steady_clock::now();
    int64_t written = WriteHistory(path, ops);
    struct stat st;
    stat(path.c_str(), &st);
    std::printf("wrote %lld ops in %.1f s: %.1f MB compressed journal\n", static_cast<long long>(written), Elapsed(t0),
                st.st_size / 1e6);

    TimeChecks(path, written);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_checkers: %s\n", e.what());
    rc = 1;
  }
  unlink(path.c_str());
  return rc;
}
