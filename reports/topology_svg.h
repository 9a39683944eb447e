// A small diagram of the run's topology: client, VIP, servers and their
// Sentinels, the master at the start marked. Internal to reports/.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace sc::reports {

// <svg id="topology"> drawn from results.topology (and the timeline, to mark
// the first master and VIP holder). An empty topology draws just the client.
std::string RenderTopologySvg(const nlohmann::json& results);

}  // namespace sc::reports
