// RunChecks: reads a run's journal once, feeds every checker, and returns the
// checkers' part of results.json (docs/results.md): settings, settle, faults,
// availability, data_loss, divergence, split_brain, latency, throughput,
// timeline, failovers and figures. The runner adds scenario, topology, load,
// run and expectations.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/checkers/checker.h"

namespace sc {

// Every checker. Each reads only the shared analysis and its own state, so
// any order gives the same results.
std::vector<std::unique_ptr<Checker>> MakeCheckers(const CheckSettings& settings);

// Sets *warning to the journal reader's warning ("" when the journal was read
// to its end; a damaged tail is also recorded as results["journal_warning"]).
// Throws std::runtime_error when the journal cannot be opened or read.
nlohmann::json RunChecks(const std::string& journal_path, const CheckSettings& settings,
                         std::string* warning);

// The same over part of the journal: only the ops `keep_op` accepts, and the
// events as `filter_event` leaves them (it may change an event, e.g. narrow a
// final read's values; false drops it). Used for one client group's figures.
nlohmann::json RunChecks(const std::string& journal_path, const CheckSettings& settings,
                         const std::function<bool(const Op&)>& keep_op,
                         const std::function<bool(Event&)>& filter_event);

// The same over entries already in memory (tests, tools): meta, then ops and
// events in the given order.
nlohmann::json RunChecks(const nlohmann::json& meta, const std::vector<Op>& ops,
                         const std::vector<Event>& events, const CheckSettings& settings);
// The same with these checkers, in this order (tests: any order gives the
// same results).
nlohmann::json RunChecks(const nlohmann::json& meta, const std::vector<Op>& ops,
                         const std::vector<Event>& events, const CheckSettings& settings,
                         std::vector<std::unique_ptr<Checker>> checkers);

}  // namespace sc
