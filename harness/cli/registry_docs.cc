#include "harness/cli/registry_docs.h"

#include "harness/checkers/figures.h"
#include "harness/faults/fault_kind.h"
#include "harness/load/workload.h"
#include "harness/waits/wait_condition.h"

namespace sc::cli {
namespace {

// Markdown table cells cannot hold a bare '|'.
std::string Cell(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string Code(const std::string& text) { return "`" + Cell(text) + "`"; }

// " [signal=KILL|TERM]", " percent=1..100%": how options are written after a statement.
std::string OptionsUsage(const std::vector<faults::FaultOption>& options, bool all_optional) {
  std::string out;
  for (const auto& o : options) {
    const std::string form = o.name + "=" + o.type;
    out += all_optional || !o.default_value.empty() ? " [" + form + "]" : " " + form;
  }
  return out;
}

std::string FaultUsage(const faults::FaultKind& k) { return k.usage + OptionsUsage(k.options, false); }

std::string StopUsage(const faults::StopVerb& v) { return v.word + " NAME" + OptionsUsage(v.options, true); }

std::string WhatItStops(const std::string& verb) {
  return verb == "stop" ? "any fault (needed for `one of`)" : faults::FaultKinds().WhatStopVerbStops(verb);
}

}  // namespace

std::string FaultTableMarkdown() {
  std::string out = "| fault | meaning | stopped by | example |\n|---|---|---|---|\n";
  for (const auto& k : faults::FaultKinds().All()) {
    std::string meaning = k.description;
    for (const auto& o : k.options)
      meaning += "; " + o.name + ": " + o.help + (o.default_value.empty() ? "" : " (default " + o.default_value + ")");
    out += "| " + Code(FaultUsage(k)) + " | " + Cell(meaning) + " | " +
           Code(StopUsage(*faults::FaultKinds().FindStopVerb(k.stop.word))) + " | " + Code(k.example) + " |\n";
  }
  return out;
}

std::string StopTableMarkdown() {
  std::string out = "| statement | stops |\n|---|---|\n";
  for (const auto& verb : faults::FaultKinds().StopVerbs())
    out += "| " + Code(StopUsage(*faults::FaultKinds().FindStopVerb(verb))) + " | " + Cell(WhatItStops(verb)) + " |\n";
  return out;
}

std::string WaitTableMarkdown() {
  std::string out = "| condition | holds when |\n|---|---|\n";
  for (const auto& c : waits::WaitConditions().All()) out += "| " + Code(c.name) + " | " + Cell(c.meaning) + " |\n";
  return out;
}

std::string WorkloadTableMarkdown() {
  std::string out = "| workload | sends and counts | `reads=` | `key-ops=` |\n|---|---|---|---|\n";
  for (const auto& w : load::Workloads().All())
    out += "| " + Code(w.name) + " | " + Cell(w.help) + " | " + (w.reads ? "yes" : "no") + " | " +
           (w.key_ops ? "yes" : "no") + " |\n";
  return out;
}

std::string LanguageDocTables() {
  auto block = [](const std::string& name, const std::string& table) {
    return "<!-- generated: " + name + " -->\n" + table + "<!-- end: " + name + " -->\n\n";
  };
  return block("fault kinds", FaultTableMarkdown()) + block("stop verbs", StopTableMarkdown()) +
         block("wait conditions", WaitTableMarkdown()) + block("workloads", WorkloadTableMarkdown());
}

std::string LanguageHelp() {
  std::string out = "Faults (each may end with 'for T' and 'as NAME'):\n";
  for (const auto& k : faults::FaultKinds().All()) {
    out += "  " + FaultUsage(k) + "\n      " + k.description + "; stopped by '" + k.stop.word + " NAME'\n";
    for (const auto& o : k.options)
      out += "      " + o.name + "=" + o.type + ": " + o.help +
             (o.default_value.empty() ? " (required)" : " (default " + o.default_value + ")") + "\n";
  }
  out += "Stops:\n";
  for (const auto& verb : faults::FaultKinds().StopVerbs())
    out += "  " + StopUsage(*faults::FaultKinds().FindStopVerb(verb)) + "  stops " + WhatItStops(verb) + "\n";
  out += "Wait conditions (wait until CONDITION timeout T):\n";
  for (const auto& c : waits::WaitConditions().All()) out += "  " + c.name + ": " + c.meaning + "\n";
  out += "Workloads (load workload=NAME):\n";
  for (const auto& w : load::Workloads().All()) out += "  " + w.name + ": " + w.help + "\n";
  out += "Figures (expect FIGURE OP VALUE):\n ";
  for (const auto& f : KnownFigureNames()) out += " " + f;
  return out + "\n";
}

std::string GeneratedBlock(const std::string& markdown, const std::string& name) {
  const std::string begin = "<!-- generated: " + name + " -->\n", end = "<!-- end: " + name + " -->";
  const auto b = markdown.find(begin);
  if (b == std::string::npos) return "";
  const auto e = markdown.find(end, b);
  if (e == std::string::npos) return "";
  return markdown.substr(b + begin.size(), e - b - begin.size());
}

}  // namespace sc::cli
