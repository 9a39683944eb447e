#include "harness/cli/run_commands.h"

#include "harness/cli/registry_docs.h"

#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "harness/checkers/figures.h"
#include "harness/cli/args.h"
#include "harness/runner/runner.h"
#include "harness/scenario/parser.h"
#include "reports/suite.h"
#include "reports/write_reports.h"
#include "topology/netns_backend.h"

namespace sc::cli {

namespace fs = std::filesystem;

namespace {

std::atomic<bool> g_interrupted{false};

void OnSignal(int) { g_interrupted = true; }

void InstallSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
}

scenario::ParseContext Context() {
  scenario::ParseContext ctx;
  ctx.is_known_figure = IsKnownFigure;
  ctx.figure_names = KnownFigureNames();
  ctx.figure_is_duration = FigureIsDuration;
  return ctx;
}

// Parses every file with the overrides; prints every error; returns the plans
// or throws UsageError (exit 2) when any file is invalid.
std::vector<scenario::Plan> LoadPlans(const std::vector<std::string>& files, const std::vector<std::string>& sets) {
  std::vector<scenario::Plan> plans;
  std::string errors;
  for (auto& f : files) {
    auto r = scenario::ParseScenarioFile(f, Context(), sets);
    if (!r.ok()) errors += r.ErrorText();
    else plans.push_back(*r.plan);
  }
  if (!errors.empty()) {
    if (errors.back() == '\n') errors.pop_back();
    throw UsageError("invalid scenario; nothing was started\n" + errors);
  }
  return plans;
}

// `sentinel-chaos run FILE --set k=v ...`: what reproduces a run, its seed aside.
std::string RerunCommand(const std::string& file, const std::vector<std::string>& sets) {
  std::string s = "sentinel-chaos run " + file;
  for (auto& set : sets) s += " --set " + set;
  return s;
}

void PrintVerdict(const runner::RunOutcome& out) {
  if (out.results.contains("expectations")) {
    for (auto& e : out.results["expectations"]) {
      std::cout << (e.value("passed", false) ? "  PASS  " : "  FAIL  ") << e.value("text", "");
      if (e["measured"].is_number()) std::cout << "   (measured " << e["measured"].get<double>() << e.value("unit", "") << ")";
      else std::cout << "   (not measured)";
      std::cout << "\n";
    }
  }
  if (!out.error.empty()) std::cerr << "sentinel-chaos run: " << out.error << "\n";
  if (!out.run_dir.empty()) std::cout << "report: " << out.run_dir << "/report.html" << std::endl;
}

const char* kRunHelp = R"(usage: sentinel-chaos run FILE [--set option=value]... [--seed N] [--out DIR] [--quiet]
                          [--inventory HOSTS.json]

Parses and validates the scenario (nothing starts if it is invalid), stands the
topology up, drives the load, plays the timeline, heals, settles, reads the
final data, checks, writes results and the report, and takes everything down.
Results go to DIR/<scenario>/<start time>/ (DIR defaults to runs), with a
`latest` link: plan.json, history.jsonl.zst, results.json, report.html, junit.xml,
and every server's redis and Sentinel logs under servers/.

--inventory HOSTS.json runs on real hosts or VMs over SSH instead of network
namespaces on this machine (see vagrant/README.md for the file's format).

Exit codes: 0 every expectation held, 1 one did not, 2 invalid scenario or
options, 3 environment or infrastructure failure (cleaned up in every case,
also on Ctrl-C).
)";

}  // namespace

int CmdRun(int argc, char** argv) {
  Args a = Args::Parse(argc, argv, 2, {"help", "quiet"}, {"set", "seed", "out", "inventory"});
  if (a.Has("help")) {
    std::cout << kRunHelp;
    return kOk;
  }
  if (a.positional.size() != 1) throw UsageError("run takes exactly one scenario file (see --help)");
  runner::RunSettings rs;
  if (auto seed = a.Get("seed")) {
    try {
      size_t pos;
      rs.seed = std::stoull(*seed, &pos);
      if (pos != seed->size()) throw 0;
    } catch (...) {
      throw UsageError("--seed wants a whole number, got '" + *seed + "'");
    }
  }
  auto plans = LoadPlans(a.positional, a.GetAll("set"));
  rs.inventory = a.Get("inventory").value_or("");
  if (rs.inventory.empty()) topology::CheckEnvironment(plans[0].topology);
  rs.out_root = a.Get("out").value_or("runs");
  rs.quiet = a.Has("quiet");
  rs.command_line = RerunCommand(a.positional[0], a.GetAll("set"));
  rs.interrupted = &g_interrupted;
  InstallSignalHandlers();
  auto out = runner::Run(plans[0], rs);
  PrintVerdict(out);
  return out.exit_code;
}

namespace {
std::vector<std::string> ScenarioFiles(const std::vector<std::string>& args, bool soak);
}  // namespace

int CmdCheck(int argc, char** argv) {
  Args a = Args::Parse(argc, argv, 2, {"help", "docs"}, {"set"});
  if (a.Has("docs")) {
    std::cout << LanguageDocTables();
    return kOk;
  }
  if (a.Has("help") || a.positional.empty()) {
    std::cout << "usage: sentinel-chaos check FILE|DIR... [--set option=value]...\n"
                 "       sentinel-chaos check --docs   (the tables of docs/scenario-language.md)\n\n"
                 "Validates scenario files without running anything; a directory means every *.chaos\n"
                 "in it and below (soak scenarios too). Exit 0 when all are valid, 2 otherwise.\n\n"
              << LanguageHelp();
    return a.Has("help") ? kOk : kInvalidInput;
  }
  int bad = 0;
  for (auto& f : ScenarioFiles(a.positional, /*soak=*/true)) {
    auto r = scenario::ParseScenarioFile(f, Context(), a.GetAll("set"));
    if (r.ok()) {
      std::cout << f << ": ok (" << r.plan->timeline.size() << " steps, " << r.plan->expectations.size()
                << " expectations)\n";
    } else {
      std::cerr << r.ErrorText();
      ++bad;
    }
  }
  return bad ? kInvalidInput : kOk;
}

namespace {

// --matrix option=v1,v2 -> every combination, as lists of "option=value".
std::vector<std::vector<std::string>> Matrix(const std::vector<std::string>& specs) {
  std::vector<std::vector<std::string>> combos = {{}};
  for (auto& spec : specs) {
    auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError("--matrix wants option=v1,v2,...; got '" + spec + "'");
    std::string name = spec.substr(0, eq), rest = spec.substr(eq + 1);
    std::vector<std::string> values;
    size_t start = 0;
    while (start <= rest.size()) {
      size_t comma = rest.find(',', start);
      std::string v = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!v.empty()) values.push_back(v);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (values.empty()) throw UsageError("--matrix " + name + " has no values (write " + name + "=v1,v2)");
    std::vector<std::vector<std::string>> next;
    for (auto& c : combos)
      for (auto& v : values) {
        auto n = c;
        n.push_back(name + "=" + v);
        next.push_back(n);
      }
    combos = next;
  }
  return combos;
}

// Directories are searched for *.chaos; the soak scenarios (soak-*.chaos, long
// runs) only with `soak`. Files named explicitly are always taken.
std::vector<std::string> ScenarioFiles(const std::vector<std::string>& args, bool soak) {
  std::vector<std::string> files;
  for (auto& p : args) {
    if (fs::is_directory(p)) {
      std::vector<std::string> found;
      for (auto& e : fs::recursive_directory_iterator(p))
        if (e.is_regular_file() && e.path().extension() == ".chaos" &&
            (soak || e.path().filename().string().rfind("soak-", 0) != 0))
          found.push_back(e.path());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);
    }
  }
  if (files.empty()) throw UsageError("no scenario files (*.chaos) found in the arguments");
  return files;
}

}  // namespace

int CmdSuite(int argc, char** argv) {
  Args a = Args::Parse(argc, argv, 2, {"help", "quiet", "soak"},
                       {"matrix", "set", "out", "seed", "baseline", "inventory", "suite-dir"});
  if (a.Has("help") || a.positional.empty()) {
    std::cout << "usage: sentinel-chaos suite DIR|FILE... [--matrix option=v1,v2]... [--set option=value]...\n"
                 "                            [--seed N] [--out DIR | --suite-dir DIR] [--baseline SUITE.json] [--soak] [--quiet]\n\n"
                 "Runs every scenario (and every combination of the matrix options) one after the\n"
                 "other, then writes suite.json, index.html and junit.xml into OUT/suite-<time>/\n"
                 "(or exactly into --suite-dir DIR). suite.json is rewritten after every run, so a\n"
                 "suite killed half-way still lists the runs it finished. In a directory, the soak\n"
                 "scenarios (soak-*.chaos, long runs) are left out unless --soak; files named on\n"
                 "the command line are always run.\n"
                 "Exit codes as for run: 0 all held, 1 an expectation failed, 2 invalid, 3 infrastructure.\n";
    return a.Has("help") ? kOk : kInvalidInput;
  }
  auto files = ScenarioFiles(a.positional, a.Has("soak"));
  auto combos = Matrix(a.GetAll("matrix"));
  // Validate every file with every combination before anything starts.
  std::vector<std::pair<scenario::Plan, std::vector<std::string>>> runs;
  for (auto& combo : combos) {
    auto sets = a.GetAll("set");
    sets.insert(sets.end(), combo.begin(), combo.end());
    for (auto& p : LoadPlans(files, sets)) runs.emplace_back(p, combo);
  }
  if (auto b = a.Get("baseline"); b && !fs::exists(*b)) throw UsageError("--baseline " + *b + ": no such file");
  if (!a.Has("inventory")) topology::CheckEnvironment(runs[0].first.topology);
  InstallSignalHandlers();
  char stamp[32];
  std::time_t t = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&t));
  const std::string out_root = a.Get("out").value_or("runs");
  const std::string suite_dir = a.Get("suite-dir").value_or(out_root + "/suite-" + stamp);
  fs::create_directories(suite_dir);
  auto write_suite_json = [&](const std::vector<nlohmann::json>& entries) {
    nlohmann::json doc = reports::MakeSuiteDocument("suite " + std::string(stamp), stamp, entries);
    doc["planned_runs"] = runs.size();
    std::ofstream(suite_dir + "/suite.json.tmp") << doc.dump(1) << "\n";
    fs::rename(suite_dir + "/suite.json.tmp", suite_dir + "/suite.json");
  };
  std::vector<nlohmann::json> entries;
  int worst = kOk;
  auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < runs.size() && !g_interrupted; ++i) {
    auto& [plan, combo] = runs[i];
    std::cout << "[" << i + 1 << "/" << runs.size() << "] " << plan.file;
    for (auto& c : combo) std::cout << " " << c;
    std::cout << std::endl;
    runner::RunSettings rs;
    rs.out_root = suite_dir + "/runs";
    rs.quiet = true;
    rs.interrupted = &g_interrupted;
    rs.inventory = a.Get("inventory").value_or("");
    auto sets = a.GetAll("set");
    sets.insert(sets.end(), combo.begin(), combo.end());
    rs.command_line = RerunCommand(plan.file, sets);
    for (auto& c : combo) rs.matrix[c.substr(0, c.find('='))] = c.substr(c.find('=') + 1);
    if (auto seed = a.Get("seed")) rs.seed = std::stoull(*seed);
    auto out = runner::Run(plan, rs);
    PrintVerdict(out);
    worst = std::max(worst, out.exit_code);
    nlohmann::json matrix = nlohmann::json::object();
    for (auto& c : combo) matrix[c.substr(0, c.find('='))] = c.substr(c.find('=') + 1);
    if (!out.results.is_null())
      entries.push_back(reports::MakeSuiteEntry(out.results, fs::relative(out.run_dir, suite_dir),
                                                fs::path(plan.file).stem(), matrix));
    write_suite_json(entries);
  }
  double minutes = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 60;
  write_suite_json(entries);
  std::string error;
  if (reports::WriteSuiteReports(suite_dir, a.Get("baseline").value_or(""), &error) != 0)
    std::cerr << "sentinel-chaos suite: " << error << "\n";
  std::printf("suite: %zu run(s) in %.1f min; overview: %s/index.html\n", entries.size(), minutes, suite_dir.c_str());
  if (g_interrupted) return kEnvironment;
  return worst;
}

int CmdReport(int argc, char** argv) {
  Args a = Args::Parse(argc, argv, 2, {"help"}, {"baseline"});
  if (a.Has("help") || a.positional.size() != 1) {
    std::cout << "usage: sentinel-chaos report RUN-DIR|SUITE-DIR [--baseline SUITE.json]\n\n"
                 "Renders report.html and junit.xml from a run's results.json (or index.html\n"
                 "and junit.xml from a suite's suite.json) again. A run directory without\n"
                 "results.json (the harness was killed half-way) is checked from its journal:\n"
                 "results.json is written marked as cut short, with the instant the journal ends.\n";
    return a.Has("help") ? kOk : kInvalidInput;
  }
  const std::string dir = a.positional[0];
  std::string error;
  int rc;
  if (fs::exists(dir + "/suite.json")) {
    rc = reports::WriteSuiteReports(dir, a.Get("baseline").value_or(""), &error);
  } else if (fs::exists(dir + "/results.json")) {
    rc = reports::WriteRunReports(dir, &error);
  } else if (!runner::JournalPathIn(dir).empty()) {
    // A run that was killed before it wrote its results: check what its journal saw.
    nlohmann::json results;
    if (!runner::RecoverResults(dir, &results, &error)) {
      std::cerr << "sentinel-chaos report: " << error << "\n";
      return kInvalidInput;
    }
    std::cout << results["run"].value("error", "") << "\n";
    rc = reports::WriteRunReports(dir, &error);
  } else {
    throw UsageError(dir + " holds neither results.json (a run) nor suite.json (a suite) nor a history journal");
  }
  if (rc != 0) {
    std::cerr << "sentinel-chaos report: " << error << "\n";
    return kInvalidInput;
  }
  std::cout << "written: " << dir << (fs::exists(dir + "/suite.json") ? "/index.html" : "/report.html") << "\n";
  return kOk;
}

}  // namespace sc::cli
