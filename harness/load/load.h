// One client group's load, as the runner sees it: the built-in hiredis
// generator (load_generator.h) or a real client library run as a driver
// process (driver_load.h). Both append every completed operation to the
// run's journal on the run clock; the runner only starts, stops and counts.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sc::load {

struct LoadStats {
  uint64_t ok = 0;
  uint64_t fail = 0;
  uint64_t unknown = 0;
};

class Load {
 public:
  virtual ~Load();
  // Starts driving; the duration counts from here. Call once.
  virtual void Start() = 0;
  // Asks every client to finish its current request and exit. Returns at once.
  virtual void Stop() = 0;
  // Waits until every client has finished (bounded: duration plus the load's
  // own drain time after Start).
  virtual void Join() = 0;
  // Live totals, for a status line. Safe from any thread.
  virtual LoadStats stats() const = 0;
  // Why clients could not run or a driver failed; empty when all went well.
  virtual std::vector<std::string> ThreadErrors() const = 0;
};

// Several groups driven side by side, as one Load (totals are summed).
class LoadGroups : public Load {
 public:
  explicit LoadGroups(std::vector<std::unique_ptr<Load>> groups) : groups_(std::move(groups)) {}
  void Start() override;
  void Stop() override;
  void Join() override;
  LoadStats stats() const override;
  std::vector<std::string> ThreadErrors() const override;

 private:
  std::vector<std::unique_ptr<Load>> groups_;
};

}  // namespace sc::load
