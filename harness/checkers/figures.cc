#include "harness/checkers/figures.h"

#include <algorithm>
#include <cctype>

namespace sc {

namespace {

struct Figure {
  const char* name;
  bool duration;
};

const Figure kFigures[] = {
    {"unavailability.longest", true},      {"unavailability.total", true},
    {"unavailability.count", false},       {"read_unavailability.longest", true},
    {"read_unavailability.total", true},   {"read_unavailability.count", false},
    {"client_unavailability.longest", true}, {"ttr", true},
    {"ttr.<ID>", true},                    {"attempted", false},
    {"acknowledged", false},               {"lost", false},
    {"unexpected", false},                 {"recovered", false},
    {"lost_increments", false},            {"split_brain", true},
    {"split_brain.count", false},          {"diverged", false},
    {"failovers", false},                  {"failover.time", true},
    {"latency.p50", true},                 {"latency.p90", true},
    {"latency.p99", true},                 {"latency.p999", true},
    {"latency.max", true},                 {"ok_ops", false},
    {"failed_ops", false},                 {"unknown_ops", false},
    {"settled", false},                    {"acknowledged.before_fault", false},
    {"unavailability.onset", true},        {"faults.not_applied", false},
};

bool IsFaultTtr(const std::string& name) {
  if (name.size() <= 4 || name.compare(0, 4, "ttr.") != 0) return false;
  return std::all_of(name.begin() + 4, name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

const Figure* Find(const std::string& name) {
  for (const Figure& f : kFigures) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

}  // namespace

bool IsKnownFigure(const std::string& name) {
  if (name == "ttr.<ID>") return false;  // the placeholder itself is not a figure
  return Find(name) != nullptr || IsFaultTtr(name);
}

std::vector<std::string> KnownFigureNames() {
  std::vector<std::string> names;
  for (const Figure& f : kFigures) names.push_back(f.name);
  return names;
}

bool FigureIsDuration(const std::string& name) {
  if (IsFaultTtr(name)) return true;
  const Figure* f = Find(name);
  return f != nullptr && f->duration;
}

}  // namespace sc
