// docs/scenario-language.md's keyword tables are the registries' own: a new
// fault kind, stop verb or wait condition without its docs row fails here,
// and the message holds the table to paste.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/source_dir.h"
#include "harness/checkers/figures.h"
#include "harness/cli/registry_docs.h"

namespace sc::cli {
namespace {

std::string LanguageDoc() {
  std::ifstream in(std::string(sc::SourceDir()) + "/docs/scenario-language.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(LanguageDoc, FaultTableIsTheFaultRegistry) {
  EXPECT_EQ(GeneratedBlock(LanguageDoc(), "fault kinds"), FaultTableMarkdown());
}

TEST(LanguageDoc, StopTableIsTheStopVerbsOfTheFaultRegistry) {
  EXPECT_EQ(GeneratedBlock(LanguageDoc(), "stop verbs"), StopTableMarkdown());
}

TEST(LanguageDoc, WaitTableIsTheWaitRegistry) {
  EXPECT_EQ(GeneratedBlock(LanguageDoc(), "wait conditions"), WaitTableMarkdown());
}

TEST(LanguageDoc, WorkloadTableIsTheWorkloadRegistry) {
  EXPECT_EQ(GeneratedBlock(LanguageDoc(), "workloads"), WorkloadTableMarkdown());
}

TEST(LanguageHelp, ListsEveryKindWithItsOptions) {
  const std::string help = LanguageHelp();
  for (const char* word : {"kill redis|sentinel on TARGET [signal=KILL|TERM]", "loss TARGET percent=1..100",
                           "up NAME [mode=reboot|resume]", "replicas-in-sync:", "unavailability.longest",
                           "counter: INCR of one key per write"})
    EXPECT_NE(help.find(word), std::string::npos) << word << "\n" << help;
}

}  // namespace
}  // namespace sc::cli

namespace sc::cli {
namespace {

struct DocFigure {
  std::string name;
  std::string unit;
};

// The rows of docs/results.md's figure table, "a.x / .y | s, n" expanded.
std::vector<DocFigure> ResultsDocFigures() {
  std::ifstream in(std::string(sc::SourceDir()) + "/docs/results.md");
  std::vector<DocFigure> out;
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_table = line.rfind("## Figures", 0) == 0;
    if (!in_table || line.rfind("| ", 0) != 0 || line.rfind("| figure", 0) == 0) continue;
    std::vector<std::string> cells;
    std::stringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) cells.push_back(cell);
    std::vector<std::string> names, units;
    std::istringstream name_words(cells.at(0)), unit_words(cells.at(1));
    std::string part, prefix;
    while (name_words >> part) {
      if (part == "/") continue;
      if (part[0] == '.') part = prefix + part;
      else prefix = part.substr(0, part.rfind('.') == std::string::npos ? part.size() : part.rfind('.'));
      names.push_back(part);
    }
    while (unit_words >> part) units.push_back(part.back() == ',' ? part.substr(0, part.size() - 1) : part);
    for (size_t i = 0; i < names.size(); ++i) out.push_back({names[i], units.size() == names.size() ? units[i] : units.at(0)});
  }
  return out;
}

TEST(ResultsDoc, FigureTableIsTheFigureRegistryWithItsUnits) {
  std::vector<std::string> doc_names;
  for (const auto& f : ResultsDocFigures()) {
    doc_names.push_back(f.name == "ttr.ID" ? "ttr.<ID>" : f.name);
    EXPECT_EQ(FigureIsDuration(f.name == "ttr.ID" ? "ttr.m1" : f.name), f.unit == "s") << f.name << " unit " << f.unit;
  }
  EXPECT_EQ(doc_names, KnownFigureNames());
}

}  // namespace
}  // namespace sc::cli
