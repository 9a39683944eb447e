// counter: every write is INCR of `key`. The final read is its value; lost
// increments are the acknowledged ones above it.
#include "harness/load/workload.h"

namespace sc::load {

WorkloadKind CounterWorkload() {
  WorkloadKind k;
  k.name = "counter";
  k.help = "INCR of one key per write; lost = acknowledged increments above the master's final value";
  k.shape = DataShape::kCounter;
  k.request = [](const RequestContext& c) {
    Request r;
    r.value = "1";
    r.argv = {"INCR", c.options.key};
    return r;
  };
  return k;
}

}  // namespace sc::load
