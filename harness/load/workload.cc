#include "harness/load/workload.h"

#include <stdexcept>

namespace sc::load {

WorkloadKind SetWorkload();
WorkloadKind CounterWorkload();
WorkloadKind MixedWorkload();

namespace {

std::vector<WorkloadKind> BuiltinWorkloads() {
  return {
      SetWorkload(),
      CounterWorkload(),
      MixedWorkload(),
  };
}

}  // namespace

void WorkloadRegistry::Register(WorkloadKind kind) {
  if (kind.name.empty() || Find(kind.name) || !kind.request)
    throw std::logic_error("workload '" + kind.name + "' is a duplicate or lacks request");
  kinds_.push_back(std::move(kind));
}

const WorkloadKind* WorkloadRegistry::Find(const std::string& name) const {
  for (const auto& k : kinds_)
    if (k.name == name) return &k;
  return nullptr;
}

std::string WorkloadRegistry::NameList() const {
  std::string out;
  for (size_t i = 0; i < kinds_.size(); ++i)
    out += (i == 0 ? "" : i + 1 == kinds_.size() ? " or " : ", ") + kinds_[i].name;
  return out;
}

WorkloadRegistry& Workloads() {
  static WorkloadRegistry* registry = [] {
    auto* r = new WorkloadRegistry;
    for (auto& k : BuiltinWorkloads()) r->Register(std::move(k));
    return r;
  }();
  return *registry;
}

const WorkloadKind& WorkloadOf(const LoadOptions& o) {
  const WorkloadKind* k = Workloads().Find(o.workload);
  if (!k) throw std::logic_error("no workload named '" + o.workload + "' is registered");
  return *k;
}

}  // namespace sc::load
