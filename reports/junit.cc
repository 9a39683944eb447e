// JunitRun and JunitSuite: JUnit XML as CI servers read it.
#include <string>
#include <vector>

#include "reports/html_util.h"
#include "reports/renderer.h"
#include "reports/suite.h"

namespace sc::reports {
namespace {

using nlohmann::json;

struct TestCase {
  std::string name;
  std::string classname;
  enum Outcome { kPass, kFailure, kError } outcome = kPass;
  std::string message;  // the one-line reason of a failure or error
  std::string body;     // details
};

std::string Sanitize(const std::string& s) {
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return out.empty() ? "unnamed" : out;
}

std::string FileStem(const std::string& path) {
  std::string base = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  return base.substr(0, base.find('.'));
}

// "measured 5.1 s, expected < 4 s", or "not measured, expected < 4 s".
std::string FailureMessage(const json& e) {
  std::string unit = Str(e, "unit");
  std::string expected = "expected " + Str(e, "op") + " " + FormatFigure(Get(e, "expected"), unit);
  if (!Get(e, "measured").is_number()) return Str(e, "figure", "figure") + " not measured, " + expected;
  return "measured " + FormatFigure(Get(e, "measured"), unit) + ", " + expected;
}

std::vector<TestCase> ExpectationCases(const json& expectations, const std::string& classname) {
  std::vector<TestCase> cases;
  for (const json& e : expectations) {
    TestCase t{Str(e, "text", Str(e, "figure", "expectation")), classname, TestCase::kPass, "", ""};
    if (!Bool(e, "passed", false)) {
      t.outcome = TestCase::kFailure;
      t.message = FailureMessage(e);
      t.body = t.name + (Str(e, "line").empty() ? "" : " (scenario line " + Str(e, "line") + ")") + ": " + t.message;
    }
    cases.push_back(t);
  }
  return cases;
}

TestCase CutShortCase(const std::string& classname) {
  return {"run completed", classname, TestCase::kError, "run cut short",
          "The run stopped before its end; its figures cover only the part that ran."};
}

struct SuiteCounts {
  size_t tests = 0, failures = 0, errors = 0;
  void Add(const SuiteCounts& o) { tests += o.tests; failures += o.failures; errors += o.errors; }
};

SuiteCounts Count(const std::vector<TestCase>& cases) {
  SuiteCounts c;
  for (const TestCase& t : cases) {
    ++c.tests;
    if (t.outcome == TestCase::kFailure) ++c.failures;
    if (t.outcome == TestCase::kError) ++c.errors;
  }
  return c;
}

// One <testsuite>; `properties` are name/value pairs shown by CI tools.
std::string TestSuiteXml(const std::string& name, const std::vector<std::pair<std::string, std::string>>& properties,
                         const std::vector<TestCase>& cases, std::optional<double> time_s) {
  SuiteCounts c = Count(cases);
  std::string out;
  Appendf(out, "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\" time=\"%s\">\n",
          Escape(name).c_str(), c.tests, c.failures, c.errors, FormatNumber(time_s.value_or(0)).c_str());
  if (!properties.empty()) {
    out += "    <properties>\n";
    for (const auto& [k, v] : properties)
      Appendf(out, "      <property name=\"%s\" value=\"%s\"/>\n", Escape(k).c_str(), Escape(v).c_str());
    out += "    </properties>\n";
  }
  for (const TestCase& t : cases) {
    Appendf(out, "    <testcase classname=\"%s\" name=\"%s\" time=\"0\"", Escape(t.classname).c_str(),
            Escape(t.name).c_str());
    if (t.outcome == TestCase::kPass) {
      out += "/>\n";
      continue;
    }
    const char* tag = t.outcome == TestCase::kFailure ? "failure" : "error";
    Appendf(out, ">\n      <%s message=\"%s\" type=\"%s\">%s</%s>\n    </testcase>\n", tag, Escape(t.message).c_str(),
            t.outcome == TestCase::kFailure ? "expectation" : "run", Escape(t.body).c_str(), tag);
  }
  return out + "  </testsuite>\n";
}

std::string Document(const std::string& name, const SuiteCounts& c, const std::string& suites) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  Appendf(out, "<testsuites name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n", Escape(name).c_str(),
          c.tests, c.failures, c.errors);
  return out + suites + "</testsuites>\n";
}

std::string RunClassname(const std::string& architecture, const std::string& scenario_file,
                         const std::string& fallback) {
  std::string stem = FileStem(scenario_file);
  return "sentinel-chaos." + Sanitize(architecture) + "." + Sanitize(stem.empty() ? fallback : stem);
}

std::string RenderJunitRun(const json& r) {
  const json& scenario = Get(r, "scenario");
  const json& run = Get(r, "run");
  std::string kind = Str(Get(r, "topology"), "kind", "unknown");
  std::string classname = RunClassname(kind, Str(scenario, "file"), Str(scenario, "name"));
  std::vector<TestCase> cases = ExpectationCases(Arr(r, "expectations"), classname);
  if (Bool(run, "cut_short", false) || !r.is_object()) cases.push_back(CutShortCase(classname));
  std::vector<std::pair<std::string, std::string>> props = {
      {"architecture", kind}, {"seed", Str(scenario, "seed")}, {"verdict", Str(run, "verdict")},
      {"rerun", Str(run, "rerun")}};
  std::optional<int64_t> ns = Int(run, "duration_ns");
  std::string suite = TestSuiteXml(Str(scenario, "name", "sentinel-chaos run"), props, cases,
                                   ns ? std::optional<double>(*ns / 1e9) : std::nullopt);
  return Document("sentinel-chaos", Count(cases), suite);
}

std::string MatrixText(const json& matrix) {
  std::string out;
  if (!matrix.is_object()) return out;
  for (auto it = matrix.begin(); it != matrix.end(); ++it)
    out += (out.empty() ? "" : ", ") + it.key() + "=" + Text(*it);
  return out;
}

TestCase BaselineCase(const json& entry, const json& baseline, const std::string& classname) {
  TestCase t{"no regression against baseline", classname, TestCase::kPass, "", ""};
  const json* base = FindBaselineEntry(baseline, entry);
  if (!base) return t;
  std::vector<Regression> regressions = CompareToBaseline(entry, *base);
  if (regressions.empty()) return t;
  t.outcome = TestCase::kFailure;
  for (const Regression& g : regressions) {
    std::string line = g.figure + " " + g.baseline + " -> " + g.current + " (" + g.rule + ")";
    t.message += (t.message.empty() ? "" : "; ") + line;
    t.body += line + "\n";
  }
  return t;
}

std::string RenderJunitSuite(const json& suite, const json& baseline) {
  std::string suites;
  SuiteCounts total;
  for (const json& entry : Arr(suite, "runs")) {
    std::string arch = Str(entry, "architecture", "unknown"), cls = Str(entry, "failure_class");
    std::string classname = RunClassname(arch, Str(entry, "scenario_file"), cls);
    std::vector<TestCase> cases = ExpectationCases(Arr(entry, "expectations"), classname);
    if (Bool(entry, "cut_short", false)) cases.push_back(CutShortCase(classname));
    if (baseline.is_object()) cases.push_back(BaselineCase(entry, baseline, classname));
    std::string matrix = MatrixText(Get(entry, "matrix"));
    std::string name = arch + " / " + cls + (matrix.empty() ? "" : " / " + matrix);
    suites += TestSuiteXml(name, {{"run_dir", Str(entry, "run_dir")}, {"verdict", Str(entry, "verdict")}}, cases,
                           Num(entry, "duration_s"));
    total.Add(Count(cases));
  }
  return Document(Str(suite, "name", "sentinel-chaos suite"), total, suites);
}

}  // namespace

std::string JunitRun::Render(const json& results) const {
  try {
    return RenderJunitRun(results);
  } catch (const std::exception& e) {
    return Document("sentinel-chaos", {1, 0, 1},
                    TestSuiteXml("sentinel-chaos run", {}, {{"render", "sentinel-chaos", TestCase::kError, e.what(), ""}},
                                 std::nullopt));
  }
}

std::string JunitSuite::Render(const json& suite) const {
  try {
    return RenderJunitSuite(suite, baseline_);
  } catch (const std::exception& e) {
    return Document("sentinel-chaos suite", {1, 0, 1},
                    TestSuiteXml("sentinel-chaos suite", {}, {{"render", "sentinel-chaos", TestCase::kError, e.what(), ""}},
                                 std::nullopt));
  }
}

}  // namespace sc::reports
