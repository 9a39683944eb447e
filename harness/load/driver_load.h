// A client group driven by a real client library: the driver program of
// drivers/NAME/ (drivers.h), run as a child process inside the client host's
// network, speaking the driver protocol (docs/client-drivers.md) on its
// stdin and stdout. Every op line it writes goes into the run's journal
// unchanged (the driver stamps times on the run clock, whose CLOCK_MONOTONIC
// zero it is given), so checkers, figures and reports treat it exactly like
// the built-in hiredis load.
//
// Life: the constructor starts the process and waits for "ready" (the
// library loaded, clients built); Start sends "start" with the load's start
// and end instants; Stop sends "stop"; Join reads until the driver exits.
// A driver that has not finished drain + 5 s after the end (or 3 s after
// Stop) is SIGKILLed by its pid. A driver whose stdin closes (the harness
// died) stops by itself. Its stderr goes to a log file.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/history/history.h"
#include "harness/load/drivers.h"
#include "harness/load/load.h"
#include "harness/load/load_generator.h"
#include "harness/load/load_options.h"

namespace sc::load {

// What the driver said when it was ready.
struct DriverReady {
  std::string library;
  std::string version;
  std::string profile;
  nlohmann::json settings = nlohmann::json::object();  // the values it set (none for defaults)
};

struct DriverSetup {
  LoadOptions options;          // client= names the driver; profile= its settings
  int first_client = 0;         // this group's clients are first_client .. first_client+clients-1
  std::string log_path;         // the driver's stderr
  Endpoints endpoints;          // thread_init(0) enters the client host's network before the fork
  int64_t drain_ns = 1'000'000'000;  // how long after the end an op may still complete
  int ready_timeout_ms = 20000;
};

// The configuration line the harness sends first (docs/client-drivers.md).
nlohmann::json DriverConfig(const DriverSetup& s, const RunClock& clock);

class DriverLoad : public Load {
 public:
  // Starts the driver and waits for "ready". Throws std::runtime_error naming
  // the driver, with the end of its stderr, when it exits or is not ready in time.
  DriverLoad(const DriverSpec& driver, DriverSetup setup, const RunClock& clock);
  ~DriverLoad() override;  // Stops, joins, and kills the process if it still runs.
  DriverLoad(const DriverLoad&) = delete;
  DriverLoad& operator=(const DriverLoad&) = delete;

  const DriverReady& ready() const { return ready_; }
  // Where op lines go. REQUIRES: called once, before Start.
  void Attach(JournalWriter& journal) { journal_ = &journal; }

  void Start() override;
  void Stop() override;
  void Join() override;
  LoadStats stats() const override;
  std::vector<std::string> ThreadErrors() const override;

 private:
  void Spawn();
  void WriteLine(const std::string& line);
  // Reads one line (without '\n') by `deadline` on the run clock; false at EOF or deadline.
  bool ReadLine(std::string* line, Nanos deadline);
  void ReadOps();
  void HandleLine(const std::string& line);
  void Error(const std::string& what);
  void Reap(Nanos deadline);
  std::string StderrTail() const;

  const DriverSpec driver_;
  const DriverSetup setup_;
  const RunClock& clock_;
  JournalWriter* journal_ = nullptr;
  DriverReady ready_;
  pid_t pid_ = -1;
  int in_fd_ = -1;   // the driver's stdin
  int out_fd_ = -1;  // the driver's stdout
  std::string pending_;
  Nanos end_ = 0;
  std::atomic<Nanos> stop_at_{0};
  bool started_ = false;
  std::thread reader_;
  std::atomic<uint64_t> ok_{0}, fail_{0}, unknown_{0};
  mutable std::mutex errors_mu_;
  std::vector<std::string> errors_;
  int bad_lines_ = 0;
};

}  // namespace sc::load
