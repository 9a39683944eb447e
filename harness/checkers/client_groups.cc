#include "harness/checkers/client_groups.h"

#include <algorithm>
#include <cstdlib>

#include "harness/checkers/run_checks.h"

namespace sc {

std::vector<ClientGroup> ClientGroupsFromMeta(const nlohmann::json& meta) {
  std::vector<ClientGroup> out;
  if (!meta.is_object() || !meta.contains("groups") || !meta["groups"].is_array()) return out;
  for (auto& j : meta["groups"]) {
    ClientGroup g;
    g.name = j.value("name", "");
    g.client = j.value("client", "");
    g.profile = j.value("profile", "");
    g.first_client = j.value("first_client", 0);
    g.clients = j.value("clients", 0);
    g.info = j.value("info", nlohmann::json::object());
    out.push_back(std::move(g));
  }
  return out;
}

nlohmann::json ToJson(const ClientGroup& g) {
  return {{"name", g.name},        {"client", g.client},   {"profile", g.profile},
          {"first_client", g.first_client}, {"clients", g.clients}, {"info", g.info}};
}

int ElementClient(const std::string& element) {
  if (element.size() < 4 || element[0] != 'c') return -1;
  size_t dash = element.find('-', 1);
  if (dash == std::string::npos || dash == 1) return -1;
  int n = 0;
  for (size_t i = 1; i < dash; ++i) {
    if (element[i] < '0' || element[i] > '9' || n > 100000000) return -1;
    n = n * 10 + (element[i] - '0');
  }
  return n;
}

nlohmann::json CheckClientGroups(const std::string& journal_path, const CheckSettings& settings,
                                 const std::vector<ClientGroup>& groups) {
  nlohmann::json out = nlohmann::json::array();
  for (const ClientGroup& g : groups) {
    auto keep_op = [&g](const Op& op) { return g.Holds(op.client); };
    // A final read keeps only the elements this group's clients wrote.
    auto filter_event = [&g](Event& ev) {
      if (ev.type == "final-read")
        ev.values.erase(std::remove_if(ev.values.begin(), ev.values.end(),
                                       [&g](const std::string& v) { return !g.Holds(ElementClient(v)); }),
                        ev.values.end());
      return true;
    };
    nlohmann::json r = RunChecks(journal_path, settings, keep_op, filter_event);
    nlohmann::json j = ToJson(g);
    j["availability"] = r.value("availability", nlohmann::json());
    const std::string workload = r.value("data_loss", nlohmann::json::object()).value("workload", "");
    if (workload != "counter") j["data_loss"] = r.value("data_loss", nlohmann::json());
    j["latency"] = r.value("latency", nlohmann::json::object()).value("overall", nlohmann::json());
    j["failovers"] = r.value("failovers", nlohmann::json::array());
    j["throughput"] = r.value("throughput", nlohmann::json());
    nlohmann::json figures = nlohmann::json::object();
    const nlohmann::json all_figures = r.value("figures", nlohmann::json::object());
    for (auto& [k, v] : all_figures.items()) {
      if (workload == "counter" && (k == "lost" || k == "lost_increments" || k == "unexpected" || k == "recovered")) continue;
      if (k == "split_brain" || k == "split_brain.count" || k == "diverged" || k == "settled") continue;
      figures[k] = v;
    }
    j["figures"] = figures;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace sc
