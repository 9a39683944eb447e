// SplitBrainChecker: intervals during which more than one redis-server
// reported role master (the shared analysis's role intervals). An interval
// still running at the end of the journal ends there and is marked "open".
#pragma once

#include "harness/checkers/checker.h"

namespace sc {

class SplitBrainChecker : public Checker {
 public:
  void Finish(const CheckContext& ctx, nlohmann::json& results) override;
};

}  // namespace sc
