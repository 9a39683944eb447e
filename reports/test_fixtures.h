// Hand-built results.json and suite.json documents (docs/results.md,
// docs/reports.md) for the renderers' tests and the benchmark.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace sc::reports::testing {

// sentinel3, master redis-server killed at 5 s, one failover to n2 at 7.15 s,
// one unavailability window, 12 lost writes, two expectations (one fails).
nlohmann::json MasterKillRun();
// Only the schema version: every section absent.
nlohmann::json EmptyRun();
// Every section present but null.
nlohmann::json NullSectionsRun();
// `single` topology, a process kill and restart, no Sentinel, no failover.
nlohmann::json NoFailoverRun();
// Two master kills, two failovers (n1 -> n2, then n2 -> n3).
nlohmann::json TwoFailoversRun();
// MasterKillRun stopped at 6.5 s: cut_short, fault never stopped, open segments.
nlohmann::json CutShortRun();
// A `seconds`-long, `clients`-client full-load run: 100 ms buckets, per-second
// latency, a failover every 5 minutes, `lost` lost elements.
nlohmann::json BigRun(int seconds, int clients, int lost);
// A suite over architectures x failure classes plus a sweep of down-after.
// `slower` scales unavailability and adds lost writes (to make a regressed suite).
nlohmann::json ExampleSuite(double slower = 1.0, int extra_lost = 0);

}  // namespace sc::reports::testing
