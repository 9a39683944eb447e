#include "harness/runner/runner.h"

#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "harness/checkers/client_groups.h"
#include "common/sha256.h"
#include "harness/checkers/run_checks.h"
#include "harness/faults/fault.h"
#include "harness/faults/fault_kind.h"
#include "harness/history/history.h"
#include "harness/load/driver_load.h"
#include "harness/load/drivers.h"
#include "harness/load/load_generator.h"
#include "harness/load/workload.h"
#include "harness/observer/log_tail.h"
#include "harness/observer/observer.h"
#include "harness/runner/fault_timing.h"
#include "harness/runner/set_reads.h"
#include "harness/runner/status_line.h"
#include "harness/waits/wait_condition.h"
#include "reports/write_reports.h"
#include "topology/control.h"
#include "topology/converge.h"
#include "topology/process.h"
#include "topology/session.h"

namespace sc::runner {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string Slug(const std::string& name) {
  std::string s;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) s += static_cast<char>(std::tolower(c));
    else if (!s.empty() && s.back() != '-') s += '-';
  }
  while (!s.empty() && s.back() == '-') s.pop_back();
  return s.empty() ? "scenario" : s.substr(0, 60);
}

void JudgeJson(const nlohmann::json& expectations, nlohmann::json& results) {
  const auto& figures = results.value("figures", nlohmann::json::object());
  // A fault that came into force late measured something else than the
  // scenario says (fault_timing.h): nothing is judged against it.
  const nlohmann::json late = results.value("run", nlohmann::json::object()).value("late_faults", nlohmann::json::array());
  bool all = true;
  results["expectations"] = nlohmann::json::array();
  for (auto& e : expectations) {
    nlohmann::json j = {{"text", e.value("text", "")}, {"figure", e.value("figure", "")}, {"op", e.value("op", "")},
                        {"expected", e.value("value", 0.0)}, {"unit", e.value("unit", "")}, {"line", e.value("line", 0)}};
    std::string figure = j["figure"];
    // GROUP:FIGURE is that client group's own figure.
    nlohmann::json group_figures;
    const nlohmann::json* source = &figures;
    if (const auto colon = figure.find(':'); colon != std::string::npos) {
      const std::string group = figure.substr(0, colon);
      group_figures = nlohmann::json::object();
      for (const auto& g : results.value("groups", nlohmann::json::array()))
        if (g.value("name", "") == group) group_figures = g.value("figures", nlohmann::json::object());
      source = &group_figures;
      figure = figure.substr(colon + 1);
    }
    if (late.is_array() && !late.empty()) {
      j["measured"] = nullptr;
      j["passed"] = false;
      j["note"] = "not measured: " + late[0].get<std::string>();
    } else if (source->contains(figure) && (*source)[figure].is_number()) {
      double measured = (*source)[figure].get<double>();
      j["measured"] = measured;
      j["passed"] = scenario::Holds(j["op"], measured, j["expected"].get<double>());
    } else {
      j["measured"] = nullptr;
      j["passed"] = false;
      j["note"] = "not measured in this run";
    }
    all &= j["passed"].get<bool>();
    results["expectations"].push_back(j);
  }
  results["run"]["verdict"] = all ? "pass" : "fail";
}

void Judge(const scenario::Plan& plan, nlohmann::json& results) {
  nlohmann::json expectations = nlohmann::json::array();
  for (auto& e : plan.expectations)
    expectations.push_back({{"text", e.text}, {"figure", e.figure}, {"op", e.op}, {"value", e.value},
                            {"unit", e.unit}, {"line", e.line}});
  JudgeJson(expectations, results);
}

std::string JournalPathIn(const std::string& run_dir) {
  for (const char* name : {"history.jsonl", "history.jsonl.zst"})
    if (fs::exists(fs::path(run_dir) / name)) return (fs::path(run_dir) / name).string();
  return "";
}

bool RecoverResults(const std::string& run_dir, nlohmann::json* results, std::string* error) {
  const std::string journal = JournalPathIn(run_dir);
  if (journal.empty()) {
    *error = run_dir + " holds no results.json and no history journal: the run ended before its topology was up";
    return false;
  }
  nlohmann::json meta = nlohmann::json::object();
  Nanos ends = 0;
  std::string warning;
  try {
    JournalReader r;
    r.on_meta = [&](const nlohmann::json& m) { meta = m; };
    r.on_op = [&](const Op& op) { ends = std::max(ends, op.complete); };
    r.on_event = [&](const Event& ev) { ends = std::max(ends, ev.at); };
    r.Read(journal);
    *results = RunChecks(journal, CheckSettings{}, &warning);
  } catch (const std::exception& e) {
    *error = std::string("cannot read the journal: ") + e.what();
    return false;
  }
  nlohmann::json& out = *results;
  for (const char* k : {"scenario", "topology", "load", "run"})
    if (meta.contains(k) && meta[k].is_object()) {
      if (out.contains(k) && out[k].is_object()) out[k].update(meta[k]);
      else out[k] = meta[k];
    }
  out["schema_version"] = 1;
  nlohmann::json plan;
  std::ifstream pf(fs::path(run_dir) / "plan.json");
  try {
    if (pf) pf >> plan;
  } catch (const std::exception&) {
    plan = nullptr;
  }
  JudgeJson(plan.is_object() && plan.contains("expectations") ? plan["expectations"] : nlohmann::json::array(), out);
  char at[64];
  std::snprintf(at, sizeof at, "%.3f s", ends / 1e9);
  out["run"]["duration_ns"] = ends;
  out["run"]["ends_ns"] = ends;
  out["run"]["cut_short"] = true;
  out["run"]["recovered"] = true;
  out["run"]["verdict"] = "error";
  out["run"]["error"] = std::string("cut short: the harness stopped without writing results (killed?); the journal ends at ") +
                        at + ", and the figures cover the run up to there";
  if (!out.contains("settle")) out["settle"] = nullptr;
  std::ofstream(fs::path(run_dir) / "results.json.tmp") << out.dump(1) << "\n";
  std::error_code ec;
  fs::rename(fs::path(run_dir) / "results.json.tmp", fs::path(run_dir) / "results.json", ec);
  if (ec) {
    *error = "cannot write " + run_dir + "/results.json: " + ec.message();
    return false;
  }
  return true;
}

namespace {

// The servers' data files (RDB, AOF) hold nothing but the run's own writes,
// which the final read has journaled: removed once the servers are down, so
// that a run directory keeps logs and configs, not megabytes of copies.
void RemoveDataFiles(const std::string& servers_dir) {
  std::error_code ec;
  if (!fs::is_directory(servers_dir, ec)) return;
  for (auto& node : fs::directory_iterator(servers_dir, ec)) {
    if (!node.is_directory(ec)) continue;
    for (auto& f : fs::directory_iterator(node.path(), ec)) {
      const std::string name = f.path().filename();
      if (name == "dump.rdb" || name == "appendonlydir" || name.rfind("appendonly.aof", 0) == 0 ||
          (name.rfind("temp-", 0) == 0 && f.path().extension() == ".rdb"))
        fs::remove_all(f.path(), ec);
    }
  }
}

std::string StampNow() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", std::localtime(&t));
  return buf;
}

// While it lives, the calling thread runs real-time (SCHED_FIFO, lowest
// priority): on a loaded machine an ordinary thread wakes milliseconds late,
// and a fault must come into force within 1 ms of its instant. Processes
// and threads it starts fall back to the normal policy (SCHED_RESET_ON_FORK).
// Without the privilege it changes nothing and says so.
class RealtimeScope {
 public:
  RealtimeScope() {
    sched_param p{};
    p.sched_priority = 1;
    ok_ = sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &p) == 0;
    if (!ok_) why_ = std::strerror(errno);
  }
  ~RealtimeScope() {
    sched_param p{};
    if (ok_) sched_setscheduler(0, SCHED_OTHER, &p);
  }
  bool ok() const { return ok_; }
  const std::string& why() const { return why_; }

 private:
  bool ok_ = false;
  std::string why_;
};

// How long before its instant a fault (or its stop) is armed: enough for the
// slowest arming seen (a partition's tables on three hosts, a crash's three
// Sentinel requests) on a loaded machine, short enough that the roles it
// resolved against rarely change before the instant (if they do, it is armed
// again at the instant).
constexpr Nanos kArmAheadNs = 50'000'000;

// A string one thread writes and others read.
class SharedString {
 public:
  void Set(std::string v) {
    std::lock_guard<std::mutex> l(mu_);
    v_ = std::move(v);
  }
  std::string Get() const {
    std::lock_guard<std::mutex> l(mu_);
    return v_;
  }

 private:
  mutable std::mutex mu_;
  std::string v_;
};

// Everything one run holds while it runs; torn down in reverse.
class RunInProgress {
 public:
  RunInProgress(scenario::Plan plan, const RunSettings& settings) : plan_(std::move(plan)), settings_(settings) {}

  RunOutcome Go();

 private:
  bool Interrupted() const { return settings_.interrupted && settings_.interrupted->load(); }
  // Sleeps until `deadline` (run clock), waking for interrupts.
  void SleepUntil(Nanos deadline);
  void Phase(const std::string& name, const std::string& detail = "");
  void Note(const std::string& detail);
  // Makes the fault and records it in the state: done before its instant.
  std::unique_ptr<faults::Fault> PrepareFault(const scenario::StartFault& s);
  // A fault armed against the roles the observer knew then (error: why it
  // cannot be applied to them).
  struct Armed {
    faults::Roles roles;
    std::string error;
  };
  // Arms `fault` against the observer's roles now: done just before its instant.
  Armed ArmFault(faults::Fault& fault);
  // At the instant: arms `fault` again if the roles changed since `armed`.
  void Rearm(faults::Fault& fault, Armed& armed);
  // Starts `fault` (from PrepareFault, armed as `armed` says), due at
  // `scheduled` (run clock) for the plan's nominal `nominal_at`.
  void StartFault(const scenario::StartFault& s, std::unique_ptr<faults::Fault> fault, const Armed& armed,
                  Nanos scheduled, int64_t nominal_at);
  // `for_ns`: the T of a `for T` stop, 0 otherwise.
  void StopFault(const scenario::StopFault& s, std::optional<Nanos> scheduled = std::nullopt, Nanos for_ns = 0);
  // The run-clock instant a step is due.
  Nanos Due(const scenario::Step& step) const;
  // When the fault's last Start/Stop took effect, on the run clock.
  Nanos EffectAt(const faults::Fault& f) const;
  void WaitUntil(const scenario::WaitUntil& w);
  void HealAll();
  // Removes the state records of the faults stopped since the last call.
  void ForgetStoppedFaults();
  // Returns "" or why lost writes cannot be measured (no master, its read failed).
  std::string FinalRead();
  void WatchVip();
  // key-ops > 0: reads, journals ("key-read") and deletes every finished key
  // while the load runs, whenever the service is settled.
  void RetireKeys();
  bool RetireOneKey(int client, uint64_t generation);
  // The master, if exactly one server says master and every other server
  // replicates from it, online, with lag <= 1 s; else "".
  std::string SettledMaster() const;
  nlohmann::json ResultsHeader() const;
  // Every load line of the plan: one client group each.
  std::vector<load::LoadOptions> LoadLines() const { return scenario::LoadLines(plan_); }
  // "" when every client library the plan uses can run here; else what to install.
  std::string MissingDrivers() const;
  load::Endpoints MakeEndpoints(const load::LoadOptions& line) const;
  // Starts every driver (they say ready), then the journal (its meta names
  // the groups), then the hiredis generators; load_ drives them all.
  void MakeLoads(nlohmann::json meta);

  scenario::Plan plan_;
  RunSettings settings_;
  uint64_t seed_ = 0;
  std::string run_dir_;
  topology::Session session_;
  std::unique_ptr<RunClock> clock_;
  std::unique_ptr<JournalWriter> journal_;
  std::unique_ptr<observer::Observer> observer_;
  std::unique_ptr<load::Load> load_;
  load::LoadGenerator* generator_ = nullptr;  // in load_, when the plan has one hiredis load line (key-ops)
  std::vector<ClientGroup> groups_;  // empty with one hiredis load line
  std::unique_ptr<StatusLine> status_;
  std::thread vip_thread_;
  std::thread retire_thread_;
  std::atomic<bool> stop_retire_{false};
  std::vector<uint64_t> retired_;  // per client: generations below this are read and deleted
  std::atomic<bool> stop_watch_{false};
  Nanos load_start_ = 0;
  Nanos load_end_ = 0;  // when the load was told to stop (0: it never was)
  Nanos wait_delay_ = 0;
  std::map<std::string, std::unique_ptr<faults::Fault>> active_;
  struct InForce {
    Nanos at = 0;            // when it came into force
    int64_t nominal_at = 0;  // its step's at_ns
  };
  std::map<std::string, InForce> in_force_;  // by fault id, latest start
  std::vector<std::string> active_order_;
  std::vector<nlohmann::json> stopped_;  // state records of stopped faults, not yet forgotten
  int fault_count_ = 0;
  std::string master_at_last_fault_ = "n1";
  std::string vip_at_last_fault_ = "n1";
  SharedString vip_holder_;  // the latest VIP holder seen
  // No write was acknowledged when the first fault was due: the run ended there.
  bool nothing_to_measure_ = false;
};

void RunInProgress::SleepUntil(Nanos deadline) {
  // Coarse sleeps (waking for interrupts), then a short exact one, then a
  // spin of the last 100 us: a fault must come into force within 1 ms of its
  // instant, and a sleeping thread's wake-up alone can be later than that.
  while (!Interrupted()) {
    Nanos left = deadline - clock_->Now();
    if (left <= 0) return;
    if (left > 25'000'000) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    else if (left > 150'000) std::this_thread::sleep_for(std::chrono::nanoseconds(left - 100'000));
  }
}

void RunInProgress::Phase(const std::string& name, const std::string& detail) {
  Event ev;
  ev.at = clock_->Now();
  ev.type = "phase";
  ev.name = name;
  ev.detail = detail;
  journal_->Append(ev);
  if (status_) status_->SetPhase(name);
}

void RunInProgress::Note(const std::string& detail) {
  Event ev;
  ev.at = clock_->Now();
  ev.type = "note";
  ev.detail = detail;
  journal_->Append(ev);
  if (status_) status_->Say(detail);
}

std::unique_ptr<faults::Fault> RunInProgress::PrepareFault(const scenario::StartFault& s) {
  auto fault = faults::MakeFault(s.spec, "F" + std::to_string(++fault_count_));
  session_.state->Record("fault", {{"name", s.spec.id}, {"detail", s.spec.source}});
  fault->Prepare(*session_.backend);
  return fault;
}

Nanos RunInProgress::EffectAt(const faults::Fault& f) const {
  return f.took_effect() == faults::Fault::Clock::time_point{} ? clock_->Now() : clock_->At(f.took_effect());
}

RunInProgress::Armed RunInProgress::ArmFault(faults::Fault& fault) {
  // The observer's view: resolving `master` asks nobody, so it costs nothing.
  Armed armed{observer_->Roles(), ""};
  try {
    fault.Arm(*session_.backend, armed.roles);
  } catch (const faults::FaultError& e) {
    fault.Disarm(*session_.backend);
    armed.error = e.what();
  }
  return armed;
}

void RunInProgress::Rearm(faults::Fault& fault, Armed& armed) {
  if (observer_->Roles() == armed.roles) return;
  // Armed for a master that is no longer it: late, but at the right target.
  fault.Disarm(*session_.backend);
  armed = ArmFault(fault);
}

void RunInProgress::StartFault(const scenario::StartFault& s, std::unique_ptr<faults::Fault> fault,
                               const Armed& armed, Nanos scheduled, int64_t nominal_at) {
  const scenario::FaultSpec& spec = s.spec;
  const faults::Roles& roles = armed.roles;
  fault->SetNotes([this, id = spec.id, kind = spec.kind](const std::string& target, const std::string& detail) {
    Event note;
    note.at = clock_->Now();
    note.type = "note";
    note.name = id;
    note.kind = kind;
    note.target = target;
    note.detail = detail;
    journal_->Append(note);
  });
  Event ev;
  ev.type = "fault-start";
  ev.name = spec.id;
  ev.kind = spec.kind;
  ev.scheduled = scheduled;
  try {
    if (!armed.error.empty()) throw faults::FaultError(armed.error);
    fault->Start(*session_.backend);
    ev.at = EffectAt(*fault);
    ev.target = fault->target();
    ev.detail = fault->detail();
    if (!fault->HostNote().empty()) observer_->SetNodeNote(fault->target(), fault->HostNote());
  } catch (const faults::FaultError& e) {
    fault->Disarm(*session_.backend);
    fault->Abandon(*session_.backend);
    ev.at = clock_->Now();
    ev.detail = std::string(kFaultNotApplied) + e.what();
    journal_->Append(ev);
    session_.state->Forget("fault", {{"name", spec.id}, {"detail", spec.source}});
    if (status_) status_->Say("fault " + spec.id + " not applied: " + e.what());
    return;
  }
  journal_->Append(ev);
  for (auto& [node, role] : roles)
    if (role == "master") master_at_last_fault_ = node;
  vip_at_last_fault_ = vip_holder_.Get();
  if (status_) status_->SetFault(spec.id + " " + scenario::DescribeFault(spec) + " -> " + fault->target());
  in_force_[spec.id] = {ev.at, nominal_at};
  active_order_.push_back(spec.id);
  active_[spec.id] = std::move(fault);
}

Nanos RunInProgress::Due(const scenario::Step& step) const {
  // `for T` holds the fault for T from the instant it came into force.
  if (auto* stop = std::get_if<scenario::StopFault>(&step.action); stop && stop->verb == "for") {
    auto it = in_force_.find(stop->id);
    if (it != in_force_.end() && active_.count(stop->id))
      return it->second.at + (step.at_ns - it->second.nominal_at);
  }
  return load_start_ + step.at_ns + wait_delay_;
}

void RunInProgress::StopFault(const scenario::StopFault& s, std::optional<Nanos> scheduled, Nanos for_ns) {
  auto it = active_.find(s.id);
  if (it == active_.end()) {
    Note("stop of fault " + s.id + " skipped: it is not in force");
    return;
  }
  auto& fault = it->second;
  fault->Stop(*session_.backend, s.options);
  observer_->SetNodeNote(fault->target(), fault->HostNote());
  Event ev;
  ev.at = EffectAt(*fault);
  ev.scheduled = scheduled;
  ev.value = for_ns;
  ev.type = "fault-stop";
  ev.name = s.id;
  ev.kind = fault->spec().kind;
  ev.target = fault->target();
  ev.detail = fault->detail();
  journal_->Append(ev);
  // Forgotten later (ForgetStoppedFaults): a state write between two stops
  // due at the same instant would make the second late. The record holds no
  // resource, so a crash in between leaves cleanup nothing more to do.
  stopped_.push_back({{"name", s.id}, {"detail", fault->spec().source}});
  active_.erase(it);
  active_order_.erase(std::find(active_order_.begin(), active_order_.end(), s.id));
  if (status_) status_->SetFault(active_order_.empty() ? "" : active_order_.back());
}

void RunInProgress::HealAll() {
  while (!active_order_.empty()) {
    scenario::StopFault s;
    s.id = active_order_.back();
    s.verb = "heal";
    StopFault(s);
  }
  ForgetStoppedFaults();
}

void RunInProgress::ForgetStoppedFaults() {
  for (const auto& f : stopped_) session_.state->Forget("fault", f);
  stopped_.clear();
}

void RunInProgress::WaitUntil(const scenario::WaitUntil& w) {
  const Nanos t0 = clock_->Now();
  auto& b = *session_.backend;
  const waits::WaitCondition& condition = *waits::WaitConditions().Find(w.condition);
  const waits::WaitContext context{b, master_at_last_fault_, vip_at_last_fault_};
  auto holds = [&] { return condition.holds(context); };
  bool ok = false;
  while (!Interrupted() && clock_->Now() - t0 < w.timeout_ns && !(ok = holds())) std::this_thread::sleep_for(20ms);
  const Nanos took = clock_->Now() - t0;
  Event ev;
  ev.at = clock_->Now();
  ev.type = "note";
  ev.detail = "wait until " + w.condition + (ok ? " held" : " timed out") +
              " after " + std::to_string(took / 1000000) + " ms";
  ev.value = took;
  journal_->Append(ev);
  wait_delay_ += took;
}

std::string RunInProgress::FinalRead() {
  const auto& o = session_.backend->options();
  int masters = 0;
  std::string master_failed;
  for (auto& n : session_.backend->layout().nodes) {
    if (!n.redis) continue;
    Event ev;
    ev.type = "final-read";
    ev.node = n.name;
    auto role = topology::Ask(n.redis_socket(), {"ROLE"}, o.requirepass, 2000);
    ev.role = role.ok && !role.items.empty() ? (role.items[0] == "slave" ? "replica" : role.items[0]) : "down";
    std::string failed;
    if (load::WorkloadOf(plan_.load).shape == load::DataShape::kCounter) {
      auto r = topology::Ask(n.redis_socket(), load::FinalReadCommand(plan_.load), o.requirepass, 10000);
      if (r.ok) ev.values = {r.text.empty() ? "0" : r.text};  // nil as 0
      else failed = r.text;
    } else {
      // Streamed in SSCAN pages. The workload's own elements are kept as
      // numbers and journaled as ranges at the end (8 bytes per element
      // while reading, bytes per gap in the journal); anything else is
      // journaled in slices, so the event never holds more than one slice.
      std::vector<std::string> keys = {plan_.load.key};
      ElementRanges elements;
      if (plan_.load.key_ops > 0) failed = ScanKeys(n.redis_socket(), o.requirepass, load::KeyPattern(plan_.load), &keys);
      for (size_t i = 0; i < keys.size() && failed.empty(); ++i)
        failed = ScanSet(n.redis_socket(), o.requirepass, keys[i], [&](std::vector<std::string>& page) {
          for (auto& v : page)
            if (!elements.Add(v)) ev.values.push_back(std::move(v));
          if (ev.values.size() >= JournalWriter::kMaxValuesPerLine) {
            ev.at = clock_->Now();
            journal_->Append(ev);
            ev.values.clear();
          }
        });
      ev.ranges = elements.Ranges();
    }
    if (!failed.empty()) ev.detail = "read failed: " + failed;
    ev.at = clock_->Now();
    journal_->Append(ev);
    if (ev.role == "master") {
      ++masters;
      if (!failed.empty()) master_failed = n.name + ": " + failed;
    }
  }
  if (masters == 0) return "no server was master at the final read";
  if (!master_failed.empty()) return "the final read of the master failed (" + master_failed + ")";
  return "";
}

std::string RunInProgress::SettledMaster() const {
  const auto& o = session_.backend->options();
  std::string master;
  int servers = 0;
  for (auto& n : session_.backend->layout().nodes) {
    if (!n.redis) continue;
    ++servers;
    auto role = topology::Ask(n.redis_socket(), {"ROLE"}, o.requirepass, 500);
    if (!role.ok || role.items.empty()) return "";
    if (role.items[0] == "master") {
      if (!master.empty()) return "";
      master = n.name;
    }
  }
  if (master.empty()) return "";
  const topology::Node* m = session_.backend->layout().Find(master);
  auto info = topology::Ask(m->redis_socket(), {"INFO", "replication"}, o.requirepass, 500);
  if (!info.ok) return "";
  int online = 0;
  for (int i = 0; i < servers - 1; ++i) {
    std::string slave = topology::InfoField(info.text, "slave" + std::to_string(i));
    auto lag_at = slave.find("lag=");
    if (slave.find("state=online") == std::string::npos || lag_at == std::string::npos) return "";
    if (std::stoll(slave.substr(lag_at + 4)) > 1) return "";
    ++online;
  }
  return online == servers - 1 ? master : "";
}

bool RunInProgress::RetireOneKey(int client, uint64_t generation) {
  const std::string master = SettledMaster();
  if (master.empty()) return false;
  const auto& o = session_.backend->options();
  const std::string socket = session_.backend->layout().Find(master)->redis_socket();
  const std::string key = load::GenerationKey(plan_.load, client, generation);
  Event ev;
  ev.type = "key-read";
  ev.node = master;
  ev.name = key;
  std::vector<Event> slices;
  std::string failed = ScanSet(socket, o.requirepass, key, [&](std::vector<std::string>& page) {
    for (auto& v : page) ev.values.push_back(std::move(v));
  });
  if (!failed.empty()) return false;  // next round, maybe from another master
  ev.at = clock_->Now();
  journal_->Append(ev);  // split into slices by the writer if big
  // Deleted only once journaled; if the DEL is lost to a failover, the key
  // is read again at the end (the checker takes the union).
  topology::Ask(socket, {"UNLINK", key}, o.requirepass, 2000);
  return true;
}

void RunInProgress::RetireKeys() {
  retired_.assign(plan_.load.clients, 0);
  while (!stop_retire_) {
    std::vector<uint64_t> progress = generator_->Progress();
    bool settled = true;
    for (int c = 0; c < plan_.load.clients && settled && !stop_retire_; ++c) {
      // One finished generation of slack: its last writes are long done.
      const uint64_t current = load::GenerationOf(plan_.load, progress[c]);
      while (retired_[c] + 1 < current && !stop_retire_) {
        if (!RetireOneKey(c, retired_[c])) {
          settled = false;
          break;
        }
        ++retired_[c];
      }
    }
    for (int i = 0; i < 25 && !stop_retire_; ++i) std::this_thread::sleep_for(20ms);
  }
}

void RunInProgress::WatchVip() {
  // The hook's own log gives the exact instants of the moves ("vip", source
  // "vip-hook"); the 20 ms poll of every host's addresses is then only a
  // cross-check ("vip-poll"). Without a local hook log the poll is the source.
  const std::string hook_log = session_.backend->VipHookLog();
  std::optional<observer::LogTail> hook;
  if (!hook_log.empty()) hook.emplace(hook_log);
  std::set<std::string> holders;  // per the hook log
  std::string last = "?";
  while (!stop_watch_) {
    if (hook)
      for (const auto& text : hook->ReadNew()) {
        auto line = observer::ParseVipHookLine(text);
        if (!line) continue;
        if (line->add) holders.insert(line->node);
        else holders.erase(line->node);
        std::string now;
        for (auto& h : holders) now += (now.empty() ? "" : ",") + h;
        Event ev;
        ev.at = std::max<Nanos>(0, clock_->FromWallNanos(line->unix_ns));
        ev.type = "vip";
        ev.node = now;
        ev.source = "vip-hook";
        ev.detail = text.substr(text.find(' ') + 1);
        if (holders.size() > 1) ev.detail += " [held by several hosts]";
        journal_->Append(ev);
      }
    std::string holder = session_.backend->VipHolder();
    if (holder != last) {
      vip_holder_.Set(holder);
      Event ev;
      ev.at = clock_->Now();
      ev.type = hook ? "vip-poll" : "vip";
      ev.source = "poll";
      ev.node = holder;
      ev.detail = holder.find(',') != std::string::npos ? "held by several hosts" : "";
      journal_->Append(ev);
      last = holder;
    }
    std::this_thread::sleep_for(20ms);
  }
}

nlohmann::json RunInProgress::ResultsHeader() const {
  const auto& l = session_.backend->layout();
  nlohmann::json servers = nlohmann::json::array();
  for (auto& n : l.nodes) servers.push_back({{"name", n.name}, {"address", n.address}, {"redis", n.redis}, {"sentinel", n.sentinel}});
  auto version = topology::RunCommand({"/usr/bin/redis-server", "--version"}).output;
  auto v = version.find("v=");
  std::string rerun = (settings_.command_line.empty() ? "sentinel-chaos run " + plan_.file : settings_.command_line) +
                      " --seed " + std::to_string(seed_);
  nlohmann::json j;
  j["scenario"] = {{"name", plan_.name}, {"description", plan_.description}, {"file", plan_.file}, {"seed", seed_},
                   {"file_sha256", Sha256OfFile(plan_.file)}};
  nlohmann::json topo;
  topo["kind"] = topology::ToString(plan_.topology.kind);
  topo["options"] = topology::ToJson(plan_.topology);
  topo["servers"] = servers;
  topo["vip"] = l.vip.empty() ? nlohmann::json() : nlohmann::json(l.vip);
  topo["client"] = l.client.address;
  topo["redis_version"] = v == std::string::npos ? std::string() : version.substr(v + 2, version.find(' ', v) - v - 2);
  j["topology"] = topo;
  nlohmann::json load;
  load["clients"] = plan_.load.clients;
  load["workload"] = plan_.load.workload;
  load["via"] = load::ToString(plan_.load.via);
  load["rate"] = plan_.load.rate > 0 ? nlohmann::json(plan_.load.rate) : nlohmann::json("max");
  load["duration_ns"] = plan_.load.duration_ns;
  load["client"] = plan_.load.client;
  if (!load::EffectiveProfile(plan_.load).empty()) load["profile"] = load::EffectiveProfile(plan_.load);
  j["load"] = load;
  j["run"] = {{"wall_start", clock_->WallStart()}, {"rerun", rerun}, {"run_dir", run_dir_},
              {"matrix", settings_.matrix.is_object() ? settings_.matrix : nlohmann::json::object()}};
  return j;
}

std::string RunInProgress::MissingDrivers() const {
  std::string missing;
  for (auto& lo : LoadLines()) {
    if (lo.client == load::kHiredis) continue;
    std::string why;
    auto d = load::FindDriver(lo.client, &why);
    if (d) why = load::CheckDriver(*d);
    if (!why.empty() && missing.find(why) == std::string::npos) missing += (missing.empty() ? "" : "; ") + why;
  }
  return missing;
}

load::Endpoints RunInProgress::MakeEndpoints(const load::LoadOptions& line) const {
  load::Endpoints ep;
  auto* backend = session_.backend.get();
  const auto& l = backend->layout();
  // SC_TEST_CLIENT_INIT_FAILS=K (tests only): client K's thread cannot join
  // the client host's network, as when the namespace is gone.
  const char* fails = std::getenv("SC_TEST_CLIENT_INIT_FAILS");
  const int failing_client = fails && *fails ? std::atoi(fails) : -1;
  ep.thread_init = [backend, failing_client](int client) {
    if (client == failing_client) throw std::runtime_error("cannot join the client network (SC_TEST_CLIENT_INIT_FAILS)");
    backend->EnterNetwork("client");
  };
  const int port = plan_.topology.port;
  const int sentinel_port = plan_.topology.sentinel_port;
  ep.vip = [&l, port] { return load::Address{l.vip, port}; };
  const std::string direct = line.direct_server;
  ep.direct = [&l, direct, port] { return load::Address{l.Find(direct) ? l.Find(direct)->address : "", port}; };
  ep.sentinels = [&l, sentinel_port] {
    std::vector<load::Address> v;
    for (auto& n : l.nodes)
      if (n.sentinel) v.push_back({n.address, sentinel_port});
    return v;
  };
  // SC_TEST_BREAK=client-address (tests only): a deliberately broken harness
  // that points every client at an address nobody holds. Every library
  // scenario must fail then (scenario/library_test.cc).
  if (const char* b = std::getenv("SC_TEST_BREAK"); b && std::string(b) == "client-address") {
    const std::string nowhere = l.prefix + ".250";
    ep.vip = [nowhere, port] { return load::Address{nowhere, port}; };
    ep.direct = ep.vip;
    ep.sentinels = [nowhere, sentinel_port] { return std::vector<load::Address>{{nowhere, sentinel_port}}; };
  }
  ep.master_name = plan_.topology.master_name;
  ep.password = plan_.topology.requirepass;
  return ep;
}

void RunInProgress::MakeLoads(nlohmann::json meta) {
  const auto lines = LoadLines();
  const bool grouped = lines.size() > 1 || lines[0].client != load::kHiredis;
  std::vector<std::unique_ptr<load::DriverLoad>> drivers(lines.size());
  const std::vector<std::string> names = scenario::ClientGroupNames(plan_);
  int first = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto& lo = lines[i];
    ClientGroup g;
    g.client = lo.client;
    g.profile = load::EffectiveProfile(lo);
    g.name = names[i];  // as `expect GROUP:FIGURE` names it
    g.first_client = first;
    g.clients = lo.clients;
    first += lo.clients;
    if (lo.client != load::kHiredis) {
      load::DriverSetup setup;
      setup.options = lo;
      setup.first_client = g.first_client;
      setup.log_path = run_dir_ + "/driver-" + Slug(g.name) + ".log";
      setup.endpoints = MakeEndpoints(lo);
      if (status_) status_->Say("starting client driver " + g.name);
      drivers[i] = std::make_unique<load::DriverLoad>(*load::FindDriver(lo.client), setup, *clock_);
      const auto& r = drivers[i]->ready();
      g.info = {{"library", r.library}, {"version", r.version}, {"settings", r.settings}};
    } else {
      g.info = {{"library", "hiredis"}, {"settings", {{"connect-timeout_ms", lo.connect_timeout_ns / 1000000},
                                                      {"timeout_ms", lo.command_timeout_ns / 1000000}}}};
    }
    groups_.push_back(g);
  }
  if (grouped) {
    meta["groups"] = nlohmann::json::array();
    for (auto& g : groups_) meta["groups"].push_back(ToJson(g));
  } else {
    groups_.clear();
  }
  journal_ = std::make_unique<JournalWriter>(run_dir_ + "/history.jsonl.zst", meta);
  std::vector<std::unique_ptr<load::Load>> loads;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (drivers[i]) {
      drivers[i]->Attach(*journal_);
      loads.push_back(std::move(drivers[i]));
    } else {
      int first_client = 0;
      for (size_t k = 0; k < i; ++k) first_client += lines[k].clients;
      auto generator = std::make_unique<load::LoadGenerator>(lines[i], *clock_, *journal_, MakeEndpoints(lines[i]), first_client);
      if (lines.size() == 1) generator_ = generator.get();
      loads.push_back(std::move(generator));
    }
  }
  if (loads.size() == 1) load_ = std::move(loads[0]);
  else load_ = std::make_unique<load::LoadGroups>(std::move(loads));
}

RunOutcome RunInProgress::Go() {
  RunOutcome out;
  // A client library that cannot run here is found before anything starts.
  if (std::string missing = MissingDrivers(); !missing.empty()) {
    out.exit_code = 3;
    out.error = missing;
    return out;
  }
  seed_ = settings_.seed ? *settings_.seed : plan_.seed ? *plan_.seed : std::random_device{}();
  scenario::ResolveRandom(plan_, seed_);
  const std::string base = settings_.out_root + "/" + Slug(plan_.name);
  run_dir_ = base + "/" + StampNow();
  for (int i = 2; fs::exists(run_dir_); ++i) run_dir_ = base + "/" + StampNow() + "-" + std::to_string(i);
  fs::create_directories(run_dir_);
  run_dir_ = fs::canonical(run_dir_);
  std::error_code ec;
  fs::remove(base + "/latest", ec);
  fs::create_directory_symlink(fs::path(run_dir_).filename(), base + "/latest", ec);
  out.run_dir = run_dir_;
  {
    nlohmann::json pj = scenario::PlanToJson(plan_);
    pj["seed"] = seed_;
    std::ofstream(run_dir_ + "/plan.json") << pj.dump(2) << "\n";
  }

  bool cut_short = false;
  Nanos settle_took = 0;
  std::string settle_why;
  std::string unmeasurable;  // why lost writes cannot be measured, if so
  std::string driver_failed;  // a client driver crashed or wrote lines that were dropped
  try {
    session_ = topology::OpenSession(plan_.topology, run_dir_ + "/servers", settings_.inventory);
    for (const auto& step : plan_.timeline)  // what the machine must offer the faults, before anything starts
      if (const auto* start = std::get_if<scenario::StartFault>(&step.action))
        if (const auto& kind = faults::KindOf(start->spec); kind.preflight)
          if (std::string why = kind.preflight(start->spec, *session_.backend); !why.empty())
            throw topology::EnvironmentError("'" + kind.keyword + "' (line " + std::to_string(start->spec.line) +
                                             ") cannot run on this machine: " + why);
    if (!settings_.quiet) status_ = std::make_unique<StatusLine>(plan_.name, plan_.load.duration_ns);
    if (status_) status_->SetPhase("up");
    session_.backend->Up();
    clock_ = std::make_unique<RunClock>();
    nlohmann::json meta = ResultsHeader();
    meta["workload"] = plan_.load.workload;
    meta["seed"] = seed_;
    meta["up_ms"] = session_.backend->up_ms();
    MakeLoads(meta);
    Phase("up", "converged in " + std::to_string(static_cast<int>(session_.backend->up_ms())) + " ms");

    const auto& l = session_.backend->layout();
    std::vector<observer::NodeInfo> nodes;
    for (auto& n : l.nodes)
      nodes.push_back({n.name, n.redis ? n.redis_socket() : "", n.sentinel ? n.sentinel_socket() : "", n.address,
                       session_.backend->RedisLog(n.name), session_.backend->SentinelLog(n.name)});
    observer_ = std::make_unique<observer::Observer>(nodes, plan_.topology.master_name, plan_.topology.requirepass,
                                                     *clock_, *journal_);
    observer_->Start();
    // Roles known before the first fault, even one at 0 s (its `master` is
    // resolved from them): a poll takes a few ms on a settled topology.
    if (!observer_->WaitUntilPolled(std::chrono::seconds(3)))
      Note("the observer had not read every server's role 3 s after the start: a fault at 0 s may find no master");
    vip_thread_ = std::thread([this] { WatchVip(); });

    auto* backend = session_.backend.get();
    Phase("load");
    load_start_ = clock_->Now();
    load_->Start();
    if (plan_.load.key_ops > 0 && generator_) retire_thread_ = std::thread([this] { RetireKeys(); });
    if (status_) status_->Attach(load_.get(), clock_.get(), [backend] { return topology::CurrentMaster(*backend); });

    std::optional<RealtimeScope> realtime;
    if (!plan_.timeline.empty()) {
      realtime.emplace();
      if (!realtime->ok()) Note("the timeline runs without real-time priority (" + realtime->why() + "): fault instants may be late");
    }
    bool first_fault = true;
    // Faults made and armed ahead of their turn: those due at the same
    // instant as the one being armed (each is then only committed at it).
    std::map<size_t, std::pair<std::unique_ptr<faults::Fault>, Armed>> ahead;
    auto abandon = [&](faults::Fault& f, const scenario::StartFault& s) {
      f.Disarm(*session_.backend);
      f.Abandon(*session_.backend);
      session_.state->Forget("fault", {{"name", s.spec.id}, {"detail", s.spec.source}});
    };
    const auto& timeline = plan_.timeline;
    for (size_t i = 0; i < timeline.size(); ++i) {
      const scenario::Step& step = timeline[i];
      std::unique_ptr<faults::Fault> prepared;
      Armed armed;
      auto* start = std::get_if<scenario::StartFault>(&step.action);
      auto* stop = std::get_if<scenario::StopFault>(&step.action);
      const Nanos due = Due(step);
      if (auto it = ahead.find(i); it != ahead.end()) {
        prepared = std::move(it->second.first);
        armed = std::move(it->second.second);
        ahead.erase(it);
      } else {
        // Bookkeeping of the steps before, when this one is not due at once.
        if (due - clock_->Now() > kArmAheadNs) ForgetStoppedFaults();
        if (start) prepared = PrepareFault(*start);
        // Armed just before its instant (targets resolved, tables built), so
        // that at the instant only the step that brings it into force is left.
        SleepUntil(due - kArmAheadNs);
        if (start && !Interrupted()) {
          armed = ArmFault(*prepared);
          for (size_t j = i + 1; j < timeline.size() && timeline[j].at_ns == step.at_ns; ++j) {
            const auto* next = std::get_if<scenario::StartFault>(&timeline[j].action);
            if (!next) break;
            auto f = PrepareFault(*next);
            Armed a = ArmFault(*f);
            ahead[j] = {std::move(f), std::move(a)};
          }
        }
        if (stop && !Interrupted())
          if (auto it = active_.find(stop->id); it != active_.end()) it->second->ArmStop(*session_.backend, stop->options);
      }
      SleepUntil(due);
      if (start && !Interrupted()) Rearm(*prepared, armed);
      // No write acknowledged when the first fault is due: whatever follows
      // measures nothing (exit 3), so the run ends at this fault (applied,
      // so that acknowledged.before_fault is measured against it, then
      // healed) instead of playing the rest of the scenario.
      if (start && first_fault && !Interrupted() && load_->stats().ok == 0) nothing_to_measure_ = true;
      if (start) first_fault = false;
      if (Interrupted()) {
        if (start) abandon(*prepared, *start);
        break;
      }
      if (start) {
        StartFault(*start, std::move(prepared), armed, due, step.at_ns);
        if (nothing_to_measure_) {
          Note("nothing to measure: no write was acknowledged before the first fault; the run ends here");
          break;
        }
      } else if (stop) {
        auto started = in_force_.find(stop->id);
        const bool held_for = stop->verb == "for" && started != in_force_.end();
        StopFault(*stop, due, held_for ? step.at_ns - started->second.nominal_at : 0);
      }
      else WaitUntil(std::get<scenario::WaitUntil>(step.action));
    }
    for (auto& [j, fa] : ahead) abandon(*fa.first, std::get<scenario::StartFault>(timeline[j].action));
    ahead.clear();
    ForgetStoppedFaults();
    realtime.reset();
    if (!nothing_to_measure_) SleepUntil(load_start_ + plan_.load.duration_ns + wait_delay_);
    load_end_ = clock_->Now();
    load_->Stop();
    load_->Join();
    std::string other_errors;
    for (auto& e : load_->ThreadErrors()) {
      Note(e);
      // A driver's ops are the history: one that crashed or whose lines were
      // dropped leaves a history that cannot be trusted (DriverLoad's errors
      // all start so).
      if (e.rfind("client driver ", 0) == 0) {
        if (driver_failed.empty()) driver_failed = e;
      } else {
        other_errors += (other_errors.empty() ? "" : "; ") + e;
      }
    }
    // A client that could not run is the harness's failure, not the system's answer.
    if (!other_errors.empty())
      throw std::runtime_error("a load client could not run (" + other_errors + "): the load was not what the scenario says");
    stop_retire_ = true;
    if (retire_thread_.joinable()) retire_thread_.join();
    cut_short = Interrupted() || nothing_to_measure_;
    Phase("heal");
    HealAll();
    // Nothing to measure: no settle and no final read, nothing depends on them.
    if (!nothing_to_measure_) {
      Phase("settle");
      const Nanos s0 = clock_->Now();
      settle_why = Interrupted() ? "interrupted" : topology::WaitConverged(*session_.backend, plan_.settle_timeout_ns / 1000000);
      settle_took = clock_->Now() - s0;
      Event settle;
      settle.at = clock_->Now();
      settle.type = "settle";
      settle.detail = settle_why.empty() ? "settled" : settle_why;
      settle.value = settle_took;
      journal_->Append(settle);
      if (!Interrupted()) {
        Phase("final-read");
        unmeasurable = FinalRead();
      }
    }
    Phase("done");
  } catch (const std::exception& e) {  // environment or infrastructure: exit 3
    out.exit_code = 3;
    out.error = e.what();
  }
  // Whatever happened: stop watching, heal, and take everything down.
  if (load_) {
    load_->Stop();
    load_->Join();
  }
  stop_retire_ = true;
  if (retire_thread_.joinable()) retire_thread_.join();
  stop_watch_ = true;
  if (vip_thread_.joinable()) vip_thread_.join();
  if (status_) status_->Finish();
  if (observer_) observer_->Stop();
  try {
    if (session_.backend && journal_) HealAll();
  } catch (const std::exception& e) {
    if (out.error.empty()) out.error = std::string("healing failed: ") + e.what();
  }
  if (journal_) journal_->Close();
  if (session_.backend) {
    try {
      session_.backend->Down();
    } catch (const std::exception& e) {
      out.exit_code = 3;
      out.error += (out.error.empty() ? "" : "; ") + std::string(e.what());
    }
    RemoveDataFiles(run_dir_ + "/servers");
  }
  if (Interrupted()) {
    out.exit_code = 3;
    out.error = "interrupted: the run was stopped, healed and cleaned up";
  }
  if (!journal_) return out;
  if (nothing_to_measure_ && out.exit_code == 0) {
    out.exit_code = 3;
    out.error = "nothing to measure: no write was acknowledged before the first fault, so the run ended at it";
  }
  // A run that cannot say what it lost must not say "lost: 0".
  if (!driver_failed.empty() && out.exit_code == 0) {
    out.exit_code = 3;
    out.error = "the history is incomplete: " + driver_failed;
  }
  if (!unmeasurable.empty() && out.exit_code == 0) {
    out.exit_code = 3;
    out.error = "lost writes cannot be measured: " + unmeasurable;
  }

  std::string warning;
  CheckSettings cs;
  cs.workload = plan_.load.workload;
  try {
    out.results = RunChecks(run_dir_ + "/history.jsonl.zst", cs, &warning);
  } catch (const std::exception& e) {
    out.exit_code = 3;
    out.error = std::string("checking the history failed: ") + e.what();
    return out;
  }
  if (!groups_.empty()) {
    try {
      out.results["groups"] = CheckClientGroups(run_dir_ + "/history.jsonl.zst", cs, groups_);
    } catch (const std::exception& e) {
      out.results["groups_error"] = e.what();
    }
  }
  const auto& figures = out.results["figures"];
  if (out.exit_code == 0 && (!figures.contains("lost") || figures["lost"].is_null())) {
    out.exit_code = 3;
    out.error = "lost writes cannot be measured: the checkers found no final read of a master in the journal";
  }
  // Faults that hit a service no client ever wrote to measure nothing.
  if (out.exit_code == 0 && figures.contains("acknowledged.before_fault") &&
      figures["acknowledged.before_fault"].is_number() && figures["acknowledged.before_fault"].get<int64_t>() == 0) {
    out.exit_code = 3;
    out.error = "nothing to measure: no write was acknowledged before the first fault";
  }
  nlohmann::json header = ResultsHeader();
  for (auto& [k, v] : header.items()) {
    if (out.results.contains(k) && out.results[k].is_object()) out.results[k].update(v);
    else out.results[k] = v;
  }
  out.results["schema_version"] = 1;
  out.results["run"]["duration_ns"] = clock_->Now();
  out.results["run"]["load_end_ns"] = load_end_ > 0 ? nlohmann::json(load_end_) : nlohmann::json();
  // A fault in force late, or only after the load, is never a pass.
  const int64_t tolerance = settings_.inventory.empty() ? kFaultLatenessToleranceNs : kRemoteFaultLatenessToleranceNs;
  out.results["run"]["fault_lateness_tolerance_ns"] = tolerance;
  if (auto late = MarkLateFaults(out.results, tolerance); !late.empty() && out.exit_code == 0) {
    out.exit_code = 3;
    out.error = late[0] + (late.size() > 1 ? " (and " + std::to_string(late.size() - 1) + " more late)" : "") +
                ": the expectations are not measured";
  }
  out.results["run"]["cut_short"] = cut_short || out.exit_code == 3;
  if (!out.error.empty()) out.results["run"]["error"] = out.error;
  out.results["settle"] = nothing_to_measure_ ? nlohmann::json()
                                              : nlohmann::json{{"settled", settle_why.empty()}, {"took_ns", settle_took}, {"reason", settle_why}};
  Judge(plan_, out.results);
  if (out.exit_code == 3) out.results["run"]["verdict"] = "error";
  std::ofstream(run_dir_ + "/results.json") << out.results.dump(1) << "\n";
  std::string render_error;
  if (reports::WriteRunReports(run_dir_, &render_error) != 0)
    std::cerr << "sentinel-chaos: report: " << render_error << "\n";
  if (out.exit_code == 0) out.exit_code = out.results["run"]["verdict"] == "pass" ? 0 : 1;
  return out;
}

}  // namespace

RunOutcome Run(scenario::Plan plan, const RunSettings& settings) { return RunInProgress(std::move(plan), settings).Go(); }

}  // namespace sc::runner
