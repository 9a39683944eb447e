// The figures an expectation can name (docs/results.md, "Figures an
// expectation can name"): results["figures"] holds those that were measured.
#pragma once

#include <string>
#include <vector>

namespace sc {

// True for every name in the table, and "ttr.<ID>" for any fault id made of
// letters, digits, '_' and '-'.
bool IsKnownFigure(const std::string& name);

// Every name in the table, in table order; the per-fault one as "ttr.<ID>".
std::vector<std::string> KnownFigureNames();

// True for figures measured in seconds (windows, ttr, split_brain,
// failover.time, latency.*); false for counts and unknown names.
bool FigureIsDuration(const std::string& name);

}  // namespace sc
