// mixed: a share reads= of the requests are reads (SCARD of `key`, or
// SISMEMBER of an element the client may have written), the rest SADD of a
// unique element as in `set`.
#include "harness/load/workload.h"

namespace sc::load {

WorkloadKind MixedWorkload() {
  WorkloadKind k;
  k.name = "mixed";
  k.help = "a share reads= of reads (SCARD, SISMEMBER), the rest SADD of unique elements";
  k.shape = DataShape::kElements;
  k.reads = true;
  k.request = [](const RequestContext& c) {
    Request r;
    const std::string element = "c" + std::to_string(c.client) + "-" + std::to_string(c.seq);
    std::uniform_real_distribution<double> u(0, 1);
    if (u(c.rng) >= c.options.read_fraction) {
      r.value = element;
      r.argv = {"SADD", c.options.key, element};
      return r;
    }
    r.read = true;
    r.value = c.options.key;
    if (u(c.rng) < 0.5) {
      r.argv = {"SCARD", c.options.key};
      return r;
    }
    // Ask about an element this client may have written earlier.
    std::uniform_int_distribution<uint64_t> past(0, c.seq);
    r.argv = {"SISMEMBER", c.options.key, "c" + std::to_string(c.client) + "-" + std::to_string(past(c.rng))};
    return r;
  };
  return k;
}

}  // namespace sc::load
