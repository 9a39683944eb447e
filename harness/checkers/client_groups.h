// Figures per client group. A scenario may drive several client libraries
// at once (one `load` line each: hiredis, redis-py, ioredis, redis-rb); each
// line is a group with its own range of client indices in the shared history
// (the journal meta's "groups"). Every checker runs again over one group's
// operations alone, so a group's unavailability windows, lost writes and
// failover anatomy (its last step: the group's first ok write to the new
// master) mean exactly what they mean for the whole run (docs/results.md).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/checkers/checker.h"

namespace sc {

struct ClientGroup {
  std::string name;          // "redis-py/tuned", "hiredis"
  std::string client;        // "hiredis", "redis-py", ...
  std::string profile;       // "" for hiredis, else "defaults" | "tuned"
  int first_client = 0;
  int clients = 0;
  nlohmann::json info = nlohmann::json::object();  // library, version, settings (from the driver)

  bool Holds(int client) const { return client >= first_client && client < first_client + clients; }
};

// meta["groups"] of a journal; empty when the run had one load line.
std::vector<ClientGroup> ClientGroupsFromMeta(const nlohmann::json& meta);
nlohmann::json ToJson(const ClientGroup& g);

// The client index written in a set element "c<N>-<seq>"; -1 for anything else.
int ElementClient(const std::string& element);

// results["groups"]: one object per group with name, client, profile,
// library, version, settings, first_client, clients, and the checkers'
// sections availability, data_loss (set and mixed workloads only: a shared
// counter cannot be split by group), latency, failovers and figures.
nlohmann::json CheckClientGroups(const std::string& journal_path, const CheckSettings& settings,
                                 const std::vector<ClientGroup>& groups);

}  // namespace sc
