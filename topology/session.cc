#include "topology/session.h"

#include <signal.h>

#include "topology/process.h"

namespace sc::topology {

Session OpenSession(const Options& o, const std::string& run_dir, const std::string& inventory) {
  SshInventory inv;
  if (!inventory.empty()) {
    std::vector<std::string> errors;
    inv = LoadInventory(inventory, errors);
    if (!errors.empty()) throw EnvironmentError(errors[0]);
  } else {
    CheckEnvironment(o);
  }
  Session s;
  RunSlot slot;
  s.state = AllocateRun(o, run_dir, &slot);
  std::string dir = run_dir.empty() ? s.state->dir() + "/data" : run_dir;
  s.state->SetInfo("run_dir", dir);
  s.state->SetInfo("options", ToJson(o, true));
  if (!inventory.empty()) {
    s.state->SetInfo("inventory", inv.ToJson());
    s.backend = std::make_unique<SshBackend>(o, inv, slot.run_id, dir, *s.state);
  } else {
    s.backend = std::make_unique<NetnsBackend>(o, MakeLayout(o, slot.run_id, slot.prefix, dir), *s.state);
  }
  return s;
}

Session ReopenSession(const std::string& run_id) {
  Session s;
  s.state = std::make_unique<RunState>(RunState::Load(run_id));
  std::vector<std::string> errors;
  Options o = FromJson(s.state->info().value("options", nlohmann::json::object()), "state of run " + run_id, errors);
  if (!errors.empty()) throw std::runtime_error(errors[0]);
  if (s.state->info().contains("inventory")) {
    SshInventory inv = InventoryFromJson(s.state->info()["inventory"], "state of run " + run_id, errors);
    s.backend = std::make_unique<SshBackend>(o, inv, run_id, s.state->info().value("run_dir", ""), *s.state);
    return s;
  }
  s.backend = std::make_unique<NetnsBackend>(
      o, MakeLayout(o, run_id, s.state->info().value("prefix", ""), s.state->info().value("run_dir", "")), *s.state);
  return s;
}

std::vector<std::string> StaleRuns(bool all) {
  std::vector<std::string> out;
  for (auto& id : RunState::List()) {
    try {
      auto st = RunState::Load(id);
      const auto& info = st.info();
      pid_t owner = info.value("harness_pid", 0);
      bool owner_alive = owner > 0 && IsSameProcess(owner, info.value("harness_start_time", 0ULL));
      if (all || (!owner_alive && !info.value("kept", false))) out.push_back(id);
    } catch (...) {
      out.push_back(id);  // a damaged state dir is itself a leftover
    }
  }
  return out;
}

}  // namespace sc::topology
