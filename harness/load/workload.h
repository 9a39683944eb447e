// Workloads: what each client sends, what the final read brings back and how
// lost writes are counted. Each workload is one NAME_workload.cc beside its
// request builder, listed in workload.cc; the load options, the load
// generator, the runner's final read, the plan's JSON and the data-loss
// checker ask this registry and never name a workload.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "harness/load/load_options.h"

namespace sc::load {

// What a workload's data is, for the final read and the data-loss checker.
enum class DataShape {
  // Unique elements in sets (`key`, or KEY:CLIENT:GENERATION with key-ops):
  // read back with SSCAN; lost = acknowledged and absent from the master.
  kElements,
  // One integer at `key`: read back with GET (nil = 0); lost = acknowledged
  // increments above the master's final value.
  kCounter,
};

// Where a request is built: the client, its sequence number, its own RNG.
struct RequestContext {
  const LoadOptions& options;
  int client;
  uint64_t seq;
  std::mt19937_64& rng;
};

// One request and what the history records of it.
struct Request {
  std::vector<std::string> argv;
  bool read = false;  // a read: changes nothing (reads figures, never lost)
  std::string value;  // the element written, "1" for an increment, the key read
};

struct WorkloadKind {
  std::string name;  // the word after workload=
  std::string help;  // one line for docs and errors
  DataShape shape = DataShape::kElements;
  bool reads = false;    // issues reads (reads= applies, read figures measured)
  bool key_ops = false;  // key-ops= applies (elements spread over generation keys)
  // The next request of a client. Called from the client's thread.
  std::function<Request(const RequestContext&)> request;
};

class WorkloadRegistry {
 public:
  // Throws std::logic_error for a duplicate name or a kind without request.
  void Register(WorkloadKind kind);
  const WorkloadKind* Find(const std::string& name) const;
  const std::vector<WorkloadKind>& All() const { return kinds_; }
  // "set, counter or mixed".
  std::string NameList() const;

 private:
  std::vector<WorkloadKind> kinds_;
};

// Every workload: the built-in ones, then any a test registered.
WorkloadRegistry& Workloads();

// The workload a load runs. Throws std::logic_error for a name nobody
// registered (SetLoadOption refuses those first).
const WorkloadKind& WorkloadOf(const LoadOptions& o);

}  // namespace sc::load
