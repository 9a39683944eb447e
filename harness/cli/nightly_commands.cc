#include "harness/cli/nightly_commands.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "common/run.h"
#include "harness/cli/args.h"
#include "harness/runner/runner.h"
#include "reports/html_util.h"
#include "reports/suite.h"
#include "reports/trend.h"
#include "reports/write_reports.h"
#include "topology/options.h"
#include "topology/state.h"

namespace sc::cli {

namespace fs = std::filesystem;

namespace {

const char* kTrendHelp = R"(usage: sentinel-chaos trend SUITE-DIR... | NIGHTS-DIR [--out DIR] [--window N] [--min-history N]
                            [--tolerance FIGURE=RATIO,ABSOLUTE]... [--fail-on-regression]

Compares suites across nights. Give suite directories oldest first, or one
directory whose subdirectories (sorted by name) are the nights. Writes
DIR/trend.html and DIR/trend.json (DIR defaults to the current directory).

Each run (architecture, failure class, matrix values) is judged per night
against the median of its last N comparable nights before (--window, default
5), once there are at least --min-history of them (default 2). A figure
regressed when it is above median x (1 + RATIO) and more than ABSOLUTE above
the median. Defaults: unavailability.longest, unavailability.total and
failover.time 50%,500ms; lost 50%,10. A verdict that turns from pass (in most
of the window) to fail is a regression too. Runs that failed or were cut
short, nights without a suite.json, scenarios that appear or disappear and a
scenario file whose SHA-256 changed are shown as such and never compared.

--fail-on-regression exits 1 when the newest night regressed.
Exit codes: 0 written (no regression on the newest night with
--fail-on-regression), 1 regression, 2 invalid input.
)";

}  // namespace

int CmdTrend(int argc, char** argv) {
  Args a = Args::Parse(argc, argv, 2, {"help", "fail-on-regression"}, {"out", "window", "min-history", "tolerance"});
  if (a.Has("help") || a.positional.empty()) {
    std::cout << kTrendHelp;
    return a.Has("help") ? kOk : kInvalidInput;
  }
  reports::TrendSettings settings = reports::DefaultTrendSettings();
  auto whole = [](const std::string& name, const std::string& v, int min) {
    try {
      size_t pos;
      int n = std::stoi(v, &pos);
      if (pos != v.size() || n < min) throw 0;
      return n;
    } catch (...) {
      throw UsageError("--" + name + " wants a whole number of at least " + std::to_string(min) + ", got '" + v + "'");
    }
  };
  if (auto w = a.Get("window")) settings.window = whole("window", *w, 1);
  if (auto m = a.Get("min-history")) settings.min_history = whole("min-history", *m, 1);
  for (auto& t : a.GetAll("tolerance")) {
    std::string error;
    if (!reports::ParseTrendTolerance(t, &settings, &error)) throw UsageError(error);
  }
  std::vector<reports::TrendNight> nights;
  std::string error;
  if (!reports::LoadTrendNights(a.positional, &nights, &error)) throw UsageError(error);
  nlohmann::json trend = reports::MakeTrend(nights, settings);
  const std::string out = a.Get("out").value_or(".");
  if (reports::WriteTrend(out, trend, &error) != 0) {
    std::cerr << "sentinel-chaos trend: " << error << "\n";
    return kEnvironment;
  }
  const int newest = reports::NewestNightRegressions(trend);
  for (auto& r : trend["regressions"])
    if (r["night_index"].get<size_t>() + 1 == nights.size())
      std::cout << "REGRESSED  " << r.value("architecture", "") << " / " << r.value("failure_class", "") << "  "
                << r.value("figure", "") << "  (" << r.value("rule", "") << ")\n";
  std::cout << "trend: " << nights.size() << " night(s), " << trend["scenarios"].size() << " run(s), " << newest
            << " regression(s) on the newest night; " << out << "/trend.html\n";
  return a.Has("fail-on-regression") && newest > 0 ? kExpectationFailed : kOk;
}


namespace {

std::atomic<int> g_signal{0};
void OnNightlySignal(int sig) { g_signal = sig; }

const char* kNightlyHelp = R"(usage: sentinel-chaos nightly [SCENARIO|DIR]... [--out DIR] [--history DIR] [--night LABEL]
                              [--matrix "opt=v1,v2 ..."]... [--set opt=value]... [--seed N] [--soak]
                              [--time-limit DURATION] [--summary FILE] [--window N]
                              [--tolerance FIGURE=RATIO,ABSOLUTE]... [--fail-on-regression]

The nightly job in one command, the same on a laptop and in CI:
  1. runs the suite (default: every *.chaos under scenarios/ except soak-*.chaos;
     --soak adds the soak scenarios) into OUT/NIGHT/ (suite.json, index.html,
     junit.xml, a directory per run with report.html, results.json, junit.xml);
  2. recovers every run the suite left without results.json (a killed harness):
     checked from its journal and marked cut short (see `report`);
  3. compares the night with the earlier nights in --history DIR (a directory of
     nights, each with its suite.json) and writes OUT/NIGHT/trend.html and
     trend.json (see `trend --help` for the rules);
  4. copies the night's suite.json to HISTORY/NIGHT/suite.json, so the next night
     finds it;
  5. writes a Markdown summary to --summary FILE (appended; default
     $GITHUB_STEP_SUMMARY when set) and always to OUT/NIGHT/summary.md.

--matrix takes one or more option specs separated by spaces ("down-after=1s,5s vip=on,off").
--time-limit stops the suite after DURATION (SIGTERM: the running scenario heals,
cleans up and is recorded as cut short; SIGKILL 60 s later if it has not ended).
NIGHT defaults to the UTC time, YYYYMMDD-HHMMSS. HISTORY defaults to OUT/history.

Exit codes: 0 every expectation held and nothing regressed, 1 an expectation
failed (or, with --fail-on-regression, the night regressed), 2 invalid input,
3 a run could not complete (infrastructure, time limit, cut short).
)";

std::vector<std::string> Words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool IsSoak(const fs::path& p) { return p.filename().string().rfind("soak-", 0) == 0; }

// Scenario files of the night: explicit files as given; directories searched,
// soak-*.chaos only with --soak.
std::vector<std::string> NightlyScenarios(const std::vector<std::string>& args, bool soak) {
  std::vector<std::string> files;
  for (auto& p : args.empty() ? std::vector<std::string>{"scenarios"} : args) {
    if (!fs::exists(p)) throw UsageError(p + ": no such scenario file or directory");
    if (!fs::is_directory(p)) {
      files.push_back(p);
      continue;
    }
    std::vector<std::string> found;
    for (auto& e : fs::recursive_directory_iterator(p))
      if (e.is_regular_file() && e.path().extension() == ".chaos" && (soak || !IsSoak(e.path())))
        found.push_back(e.path());
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  if (files.empty()) throw UsageError("no scenario files (*.chaos) in the arguments");
  return files;
}

// Runs `sentinel-chaos suite ...` as a child (so a crash or a kill of one run
// cannot take the night's bookkeeping with it). Returns its exit code, or 3
// when it was stopped or died on a signal.
int RunSuiteChild(const std::vector<std::string>& args, int64_t time_limit_ns, std::string* why) {
  sc::Program suite;  // through the one way of running programs (common/run.h)
  suite.argv = {fs::read_symlink("/proc/self/exe").string()};
  suite.argv.insert(suite.argv.end(), args.begin(), args.end());
  suite.inherit_environment = true;
  suite.setup.keep_stdio = true;     // its output is the night's output
  suite.setup.new_session = false;   // a Ctrl-C reaches it as it did before
  pid_t pid = sc::Start(suite);
  struct sigaction sa {};
  sa.sa_handler = OnNightlySignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  bool termed = false;
  std::chrono::steady_clock::time_point termed_at;
  int status = 0;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    auto now = std::chrono::steady_clock::now();
    bool over = time_limit_ns > 0 && now - t0 > std::chrono::nanoseconds(time_limit_ns);
    if (!termed && (over || g_signal)) {
      *why = g_signal ? "the nightly was interrupted (signal " + std::to_string(g_signal.load()) + ")"
                      : "the suite hit the time limit";
      kill(pid, SIGTERM);  // the runner heals, cleans up and records the run as cut short
      termed = true;
      termed_at = now;
    }
    if (termed && now - termed_at > std::chrono::seconds(60)) {
      kill(pid, SIGKILL);
      *why += "; it did not stop within 60 s and was killed";
      termed_at = now + std::chrono::hours(24);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (WIFEXITED(status)) return termed ? kEnvironment : WEXITSTATUS(status);
  if (why->empty()) *why = "the suite died on signal " + std::to_string(WTERMSIG(status));
  // A killed suite cannot clean up: remove exactly what its runs made.
  for (auto& id : topology::RunState::List()) {
    try {
      auto state = topology::RunState::Load(id);
      if (state.info().value("harness_pid", 0) != pid) continue;
      auto problems = topology::TearDown(state);
      for (auto& p : problems) std::cerr << "sentinel-chaos nightly: cleaning up run " << id << ": " << p << "\n";
    } catch (const std::exception&) {
    }
  }
  return kEnvironment;
}

// Adds to suite.json every run directory the suite left without results
// (recovered from its journal) or without an entry. Returns the recovered
// run directories (relative to the suite).
std::vector<std::string> RecoverRuns(const std::string& suite_dir, nlohmann::json* suite) {
  std::vector<std::string> recovered;
  std::set<std::string> listed;
  for (auto& e : (*suite)["runs"]) listed.insert(e.value("run_dir", ""));
  const fs::path runs = fs::path(suite_dir) / "runs";
  if (!fs::exists(runs)) return recovered;
  std::vector<fs::path> dirs;
  for (auto& scenario : fs::directory_iterator(runs))
    if (scenario.is_directory())
      for (auto& run : fs::directory_iterator(scenario.path()))
        if (run.is_directory() && !run.is_symlink()) dirs.push_back(run.path());
  std::sort(dirs.begin(), dirs.end());
  for (auto& d : dirs) {
    const std::string rel = fs::relative(d, suite_dir);
    if (listed.count(rel)) continue;
    nlohmann::json results;
    std::string error;
    if (fs::exists(d / "results.json")) {
      if (!reports::ReadJsonFile(d / "results.json", &results, &error)) continue;
    } else if (!runner::RecoverResults(d, &results, &error)) {
      std::cerr << "sentinel-chaos nightly: " << error << "\n";
      continue;
    } else {
      reports::WriteRunReports(d, &error);
    }
    const nlohmann::json& run = results.value("run", nlohmann::json::object());
    const std::string file = results.value("scenario", nlohmann::json::object()).value("file", "");
    (*suite)["runs"].push_back(reports::MakeSuiteEntry(results, rel, fs::path(file).stem(),
                                                       run.value("matrix", nlohmann::json::object())));
    recovered.push_back(rel);
  }
  return recovered;
}

std::string Md(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|' || c == '*' || c == '_' || c == '`' || c == '<' || c == '>' || c == '[' || c == ']') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string Fig(const nlohmann::json& figures, const std::string& name) {
  const auto& v = figures.value(name, nlohmann::json());
  if (!v.is_number()) return "–";
  return reports::TrendFigureIsDuration(name) || name == "ttr" ? reports::FormatDurationS(v.get<double>())
                                                               : reports::FormatNumber(v.get<double>(), 0);
}

std::string RunLabel(const nlohmann::json& e) {
  std::string s = e.value("architecture", "?") + " / " + e.value("failure_class", "?");
  if (e.contains("matrix") && e["matrix"].is_object())
    for (auto& [k, v] : e["matrix"].items()) s += " " + k + "=" + reports::Text(v);
  return s;
}

}  // namespace

// The step summary, Markdown: what a person reads first in the morning.
std::string NightlySummary(const std::string& night, const nlohmann::json& suite, const nlohmann::json& trend,
                           const std::vector<std::string>& recovered, const std::string& stopped_why,
                           int exit_code) {
  const auto& runs = suite["runs"];
  int pass = 0, fail = 0, error = 0;
  for (auto& e : runs) {
    std::string v = e.value("verdict", "error");
    (v == "pass" ? pass : v == "fail" ? fail : error)++;
  }
  const int planned = suite.value("planned_runs", static_cast<int>(runs.size()));
  const int newest = reports::NewestNightRegressions(trend);
  std::string md;
  md += "## sentinel-chaos nightly " + Md(night) + ": " +
        (exit_code == 0 ? "all expectations held" : exit_code == 1 ? "FAILED" : "INCOMPLETE") + "\n\n";
  md += std::to_string(runs.size()) + " run(s): " + std::to_string(pass) + " pass, " + std::to_string(fail) +
        " fail, " + std::to_string(error) + " error or cut short";
  if (planned > static_cast<int>(runs.size()))
    md += "; **" + std::to_string(planned - static_cast<int>(runs.size())) + " planned run(s) never started**";
  md += ". Regressions tonight: **" + std::to_string(newest) + "** (against the median of the last " +
        std::to_string(trend["settings"].value("window", 5)) + " comparable nights, " +
        std::to_string(trend["nights"].size() - 1) + " earlier night(s) known).\n\n";
  if (!stopped_why.empty()) md += "> **Stopped early:** " + Md(stopped_why) + "\n\n";

  // Worst of the night.
  const nlohmann::json* worst_u = nullptr;
  const nlohmann::json* worst_l = nullptr;
  auto num = [](const nlohmann::json& e, const char* f) {
    const auto& v = e["figures"].value(f, nlohmann::json());
    return v.is_number() ? v.get<double>() : -1.0;
  };
  for (auto& e : runs) {
    if (num(e, "unavailability.longest") >= 0 && (!worst_u || num(e, "unavailability.longest") > num(*worst_u, "unavailability.longest"))) worst_u = &e;
    if (num(e, "lost") >= 0 && (!worst_l || num(e, "lost") > num(*worst_l, "lost"))) worst_l = &e;
  }
  if (worst_u) md += "- Worst unavailability: **" + Fig((*worst_u)["figures"], "unavailability.longest") + "** (" + Md(RunLabel(*worst_u)) + ")\n";
  if (worst_l) md += "- Most lost writes: **" + Fig((*worst_l)["figures"], "lost") + "** (" + Md(RunLabel(*worst_l)) + ")\n";
  md += "\n";

  // What regressed tonight, keyed by run.
  std::map<std::string, std::string> regressed;
  for (auto& r : trend["regressions"])
    if (r["night_index"].get<size_t>() + 1 == trend["nights"].size()) {
      auto& s = regressed[r.value("key", "")];
      s += (s.empty() ? "" : ", ") + r.value("figure", "");
    }
  std::map<std::string, std::string> not_compared;
  for (auto& row : trend["scenarios"]) {
    auto& cell = row["nights"].back();
    std::string state = cell.value("state", "");
    if (cell.value("changed", false)) not_compared[row["key"]] = "scenario file changed";
    else if (cell.value("appeared", false)) not_compared[row["key"]] = "new";
    else if (state == "ok" && !cell.value("judged", false)) not_compared[row["key"]] = "too few nights";
  }
  md += "| run | verdict | longest unavailability | total | lost writes | failover | trend |\n";
  md += "|---|---|---|---|---|---|---|\n";
  for (auto& e : runs) {
    const std::string key = reports::SuiteRunKey(e);
    std::string verdict = e.value("verdict", "error");
    std::string badge = verdict == "pass" ? "✅ pass" : verdict == "fail" ? "❌ fail" : "⚠️ " + verdict;
    if (e.value("cut_short", false)) badge += " (cut short)";
    std::string t = regressed.count(key) ? "**regressed: " + regressed[key] + "**"
                    : not_compared.count(key) ? "not compared (" + not_compared[key] + ")"
                    : verdict == "error" ? "not compared (run failed)"
                    : "no regression";
    md += "| " + Md(RunLabel(e)) + " | " + badge + " | " + Fig(e["figures"], "unavailability.longest") + " | " +
          Fig(e["figures"], "unavailability.total") + " | " + Fig(e["figures"], "lost") + " | " +
          Fig(e["figures"], "failover.time") + " | " + t + " |\n";
  }
  md += "\n";
  // Runs cut short, with the instant they end.
  std::string cut;
  for (auto& e : runs)
    if (e.value("cut_short", false)) {
      bool rec = std::find(recovered.begin(), recovered.end(), e.value("run_dir", "")) != recovered.end();
      const auto& d = e.value("duration_s", nlohmann::json());
      cut += "- " + Md(RunLabel(e)) + ": ends at " +
             (d.is_number() ? reports::FormatDurationS(d.get<double>()) : std::string("an unknown instant")) +
             (rec ? " (harness killed; recovered from its journal)" : " (stopped and cleaned up)") + ", `" +
             e.value("run_dir", "") + "`\n";
    }
  if (!cut.empty()) md += "### Runs cut short\n\n" + cut + "\n";
  md += "Artifacts: `index.html` (overview), `trend.html` (nights), `junit.xml`, a `report.html` per run.\n";
  return md;
}

int CmdNightly(int argc, char** argv) {
  Args a = Args::Parse(argc, argv, 2, {"help", "soak", "fail-on-regression"},
                       {"out", "history", "night", "matrix", "set", "seed", "time-limit", "summary", "window",
                        "tolerance", "min-history", "inventory"});
  if (a.Has("help")) {
    std::cout << kNightlyHelp;
    return kOk;
  }
  const std::string out = a.Get("out").value_or("nightly");
  const std::string history = a.Get("history").value_or(out + "/history");
  std::string night = a.Get("night").value_or("");
  if (night.empty()) {
    char stamp[32];
    std::time_t t = std::time(nullptr);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::gmtime(&t));
    night = stamp;
  }
  if (night.find('/') != std::string::npos || night == "." || night == "..")
    throw UsageError("--night is a directory name, got '" + night + "'");
  int64_t limit = 0;
  if (auto tl = a.Get("time-limit")) {
    auto ns = topology::ParseDurationNs(*tl);
    if (!ns || *ns <= 0) throw UsageError("--time-limit wants a duration (90m, 2h, 600s), got '" + *tl + "'");
    limit = *ns;
  }
  // Trend settings are checked before anything runs.
  reports::TrendSettings ts = reports::DefaultTrendSettings();
  if (auto w = a.Get("window")) ts.window = std::max(1, std::atoi(w->c_str()));
  if (auto m = a.Get("min-history")) ts.min_history = std::max(1, std::atoi(m->c_str()));
  for (auto& t : a.GetAll("tolerance")) {
    std::string error;
    if (!reports::ParseTrendTolerance(t, &ts, &error)) throw UsageError(error);
  }
  const std::string suite_dir = out + "/" + night;
  if (fs::exists(suite_dir + "/suite.json")) throw UsageError(suite_dir + " already holds a night; pick another --night");

  std::vector<std::string> suite_args = {"suite"};
  const auto files = NightlyScenarios(a.positional, a.Has("soak"));
  size_t planned = files.size();
  for (auto& f : files) suite_args.push_back(f);
  for (auto& m : a.GetAll("matrix"))
    for (auto& w : Words(m)) {
      suite_args.insert(suite_args.end(), {"--matrix", w});
      planned *= std::max<size_t>(1, std::count(w.begin(), w.end(), ',') + 1);
    }
  for (auto& s : a.GetAll("set")) suite_args.insert(suite_args.end(), {"--set", s});
  if (auto s = a.Get("seed")) suite_args.insert(suite_args.end(), {"--seed", *s});
  if (auto i = a.Get("inventory")) suite_args.insert(suite_args.end(), {"--inventory", *i});
  suite_args.insert(suite_args.end(), {"--suite-dir", suite_dir});
  std::cout << "nightly " << night << ": " << suite_dir << std::endl;

  std::string stopped_why;
  int suite_rc = RunSuiteChild(suite_args, limit, &stopped_why);
  if (suite_rc == kInvalidInput) return kInvalidInput;  // the suite printed why; nothing ran

  nlohmann::json suite;
  std::string error;
  if (!fs::exists(suite_dir + "/suite.json") || !reports::ReadJsonFile(suite_dir + "/suite.json", &suite, &error)) {
    fs::create_directories(suite_dir);
    suite = reports::MakeSuiteDocument("night " + night, night, {});
  }
  suite["name"] = "night " + night;
  if (!suite.contains("planned_runs")) suite["planned_runs"] = planned;  // the suite died before writing it
  std::vector<std::string> recovered = RecoverRuns(suite_dir, &suite);
  for (auto& e : suite["runs"])
    if (e.value("cut_short", false) && suite_rc == kOk) suite_rc = kEnvironment;
  if (!recovered.empty() && suite_rc < kEnvironment) suite_rc = kEnvironment;
  if (!reports::WriteFileAtomically(suite_dir + "/suite.json", suite.dump(1) + "\n", &error) ||
      reports::WriteSuiteReports(suite_dir, "", &error) != 0)
    std::cerr << "sentinel-chaos nightly: " << error << "\n";

  // Trend: the earlier nights, then tonight.
  std::vector<reports::TrendNight> nights;
  if (fs::is_directory(history)) {
    std::string herr;
    std::vector<reports::TrendNight> earlier;
    if (reports::LoadTrendNights({history}, &earlier, &herr))
      for (auto& n : earlier)
        if (n.label != night) nights.push_back(n);
  }
  nights.push_back({night, suite_dir, suite, ""});
  nlohmann::json trend = reports::MakeTrend(nights, ts);
  if (reports::WriteTrend(suite_dir, trend, &error) != 0) std::cerr << "sentinel-chaos nightly: " << error << "\n";

  // Keep tonight for the next night: its suite.json is the whole record the trend needs.
  fs::create_directories(history + "/" + night);
  if (!reports::WriteFileAtomically(history + "/" + night + "/suite.json", suite.dump(1) + "\n", &error))
    std::cerr << "sentinel-chaos nightly: " << error << "\n";

  int rc = suite_rc;
  const int newest = reports::NewestNightRegressions(trend);
  if (a.Has("fail-on-regression") && newest > 0) rc = std::max(rc, static_cast<int>(kExpectationFailed));
  const std::string md = NightlySummary(night, suite, trend, recovered, stopped_why, rc);
  reports::WriteFileAtomically(suite_dir + "/summary.md", md, &error);
  std::string summary = a.Get("summary").value_or("");
  if (summary.empty() && std::getenv("GITHUB_STEP_SUMMARY")) summary = std::getenv("GITHUB_STEP_SUMMARY");
  if (!summary.empty()) std::ofstream(summary, std::ios::app) << md << "\n";
  std::cout << "nightly " << night << ": " << suite["runs"].size() << " run(s), " << recovered.size()
            << " recovered, " << newest << " regression(s); overview " << suite_dir << "/index.html, trend "
            << suite_dir << "/trend.html, summary " << suite_dir << "/summary.md; exit " << rc << std::endl;
  return rc;
}

}  // namespace sc::cli
