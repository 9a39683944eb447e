// The registries as people read them: markdown tables for
// docs/scenario-language.md (registry_docs_test checks that the docs hold
// exactly these between their "generated" markers) and plain text for
// `sentinel-chaos check --help`. Nothing here lists a kind by itself.
#pragma once

#include <string>

namespace sc::cli {

// | fault | meaning | stopped by | example |, one row per fault kind.
std::string FaultTableMarkdown();
// | statement | stops |, one row per stop verb, `stop` last.
std::string StopTableMarkdown();
// | condition | holds when |, one row per wait condition.
std::string WaitTableMarkdown();
// | workload | sends and counts | reads= | key-ops= |, one row per workload.
std::string WorkloadTableMarkdown();

// The four tables above, each between its markers, as the docs hold them.
std::string LanguageDocTables();

// Every fault kind with its options, every stop verb, every wait condition,
// every workload and every figure, for --help.
std::string LanguageHelp();

// The text between "<!-- generated: NAME -->\n" and "<!-- end: NAME -->" in
// `markdown`; "" when the markers are missing.
std::string GeneratedBlock(const std::string& markdown, const std::string& name);

}  // namespace sc::cli
