// The run's timeline: one SVG on one shared time axis. Internal to reports/.
//
// Structure (stable for tests and styling):
//   <svg id="timeline">
//     <g class="lane" data-lane="throughput">       ok / fail / unknown stacked, ops/s
//     <g class="lane" data-lane="faults">           one row per fault, labelled with its target
//     <g class="lane" data-lane="unavailability">   write windows (and "read-unavailability")
//     <g class="lane" data-lane="role-NODE">        one per server: master, replica, down, frozen
//     <g class="lane" data-lane="sentinel-NODE">    one per Sentinel: the master it believes in,
//                                                   its events as <path class="ev ..."> markers
//     <g class="lane" data-lane="vip">              who holds the VIP (when the topology has one)
//     <g class="lane" data-lane="split-brain">      intervals with more than one master
//     <g class="lane" data-lane="latency">          p50 / p90 / p99 / max per second, log scale
// Fault intervals are shaded across every lane (<rect class="fault-shade">).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace sc::reports {

// Columns a binned series (throughput, latency) is drawn with at most.
constexpr int kMaxTimelineColumns = 1200;

// The <svg id="timeline"> element and, after it, a <script type="application/json"
// id="timeline-data"> with the binned series for the hover readout.
std::string RenderTimelineSvg(const nlohmann::json& results);

}  // namespace sc::reports
