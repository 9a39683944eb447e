// SplitBrainChecker: intervals during which more than one redis-server
// reported role master ("role" events). An interval still running at the end
// of the journal ends there and is marked "open".
#pragma once

#include "harness/checkers/checker.h"

namespace sc {

class SplitBrainChecker : public Checker {
 public:
  void OnEvent(const Event& ev) override;
  void Finish(const CheckContext& ctx, nlohmann::json& results) override;

 private:
  struct RoleChange {
    Nanos at;
    std::string node;
    std::string role;
  };
  std::vector<RoleChange> changes_;
};

}  // namespace sc
