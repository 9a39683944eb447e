#include "harness/load/load.h"

namespace sc::load {

Load::~Load() = default;

void LoadGroups::Start() {
  for (auto& g : groups_) g->Start();
}

void LoadGroups::Stop() {
  for (auto& g : groups_) g->Stop();
}

void LoadGroups::Join() {
  for (auto& g : groups_) g->Join();
}

LoadStats LoadGroups::stats() const {
  LoadStats s;
  for (auto& g : groups_) {
    LoadStats one = g->stats();
    s.ok += one.ok;
    s.fail += one.fail;
    s.unknown += one.unknown;
  }
  return s;
}

std::vector<std::string> LoadGroups::ThreadErrors() const {
  std::vector<std::string> all;
  for (auto& g : groups_)
    for (auto& e : g->ThreadErrors()) all.push_back(e);
  return all;
}

}  // namespace sc::load
