// set: every write is SADD of a unique element ("c3-1207": client 3, seq
// 1207) to `key`, or with key-ops=N to KEY:CLIENT:GENERATION (KeyOf). The
// final read brings back every element; a lost write is an acknowledged
// element the master lacks.
#include "harness/load/workload.h"

namespace sc::load {

WorkloadKind SetWorkload() {
  WorkloadKind k;
  k.name = "set";
  k.help = "SADD of a unique element per write; lost = acknowledged elements missing from the master";
  k.shape = DataShape::kElements;
  k.key_ops = true;
  k.request = [](const RequestContext& c) {
    Request r;
    r.value = "c" + std::to_string(c.client) + "-" + std::to_string(c.seq);
    r.argv = {"SADD", KeyOf(c.options, c.client, c.seq), r.value};
    return r;
  };
  return k;
}

}  // namespace sc::load
