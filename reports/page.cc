#include "reports/page.h"

#include "reports/html_util.h"

namespace sc::reports {
namespace {

const char kCss[] = R"CSS(
:root { --ok:#59a14f; --fail:#e15759; --unknown:#f1a340; --ink:#1d2330; --muted:#667085; --line:#d9dee7; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
main { max-width: 1440px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 0 0 10px; } h3 { font-size: 14px; margin: 14px 0 6px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; margin: 14px 0; }
header { display: flex; gap: 18px; align-items: center; }
.verdict { font-size: 22px; font-weight: 700; text-transform: uppercase; padding: 10px 18px; border-radius: 8px; color: #fff; }
.v-pass { background: var(--ok); color: #fff; } .v-fail { background: var(--fail); color: #fff; } .v-other { background: #8c8c8c; color: #fff; }
.desc { margin: 2px 0; } .meta { color: var(--muted); margin: 2px 0; font-size: 12px; } .empty { color: var(--muted); }
.banner { padding: 8px 12px; border-radius: 6px; } .warn { background: #fff4d6; border: 1px solid #f1c232; }
table { border-collapse: collapse; margin: 4px 0; } th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.bad { color: var(--fail); font-weight: 700; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 11px; font-weight: 700; text-transform: uppercase; white-space: nowrap; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.card-title { color: var(--muted); font-size: 12px; } .card-value { font-size: 22px; font-weight: 700; } .card-sub { color: var(--muted); font-size: 12px; }
.toolbar { display: flex; justify-content: space-between; font-size: 12px; color: var(--muted); margin-bottom: 4px; }
#readout { font-variant-numeric: tabular-nums; } .zoom button { font-size: 11px; margin-left: 4px; }
.scroll { overflow-x: auto; } #timeline { width: 100%; display: block; }
#timeline text { font-size: 11px; fill: var(--ink); }
#timeline .lane-label { text-anchor: end; font-weight: 600; } #timeline .lane-sub { text-anchor: end; fill: var(--muted); font-size: 10px; }
#timeline .tick { text-anchor: middle; fill: var(--muted); font-size: 10px; } #timeline .grid { stroke: #e6e9ef; }
#timeline .lane-bg { fill: #fafbfc; stroke: #eceff3; } #timeline .empty { fill: var(--muted); font-style: italic; }
#timeline .bar-label { fill: #fff; font-size: 10px; pointer-events: none; }
.tp-ok { fill: var(--ok); background: var(--ok); } .tp-fail { fill: var(--fail); background: var(--fail); } .tp-unknown { fill: var(--unknown); background: var(--unknown); }
#timeline .fault-shade { fill: #f28e2b; opacity: .09; } #timeline .fault-bar { fill: #f28e2b; opacity: .8; }
.fault-sw { background: #f28e2b; } #timeline .fault-label { font-size: 10px; font-weight: 600; }
#timeline .window { fill: var(--fail); } .window-sw { background: var(--fail); } #timeline .split { fill: #9c1d1d; }
.role-master { fill: #2f5d8a; background: #2f5d8a; } .role-replica { fill: #7fa7cf; background: #7fa7cf; }
.role-down { fill: #555; background: #555; } .role-frozen { fill: #8e6bbf; background: #8e6bbf; } .role-other { fill: #bbb; background: #bbb; }
#timeline .view-none { fill: #ccc; }
.ev { stroke: #fff; stroke-width: .6; } .ev-sdown { fill: #f1a340; background: #f1a340; } .ev-odown { fill: #e15759; background: #e15759; }
.ev-leader { fill: #8e6bbf; background: #8e6bbf; } .ev-promoted { fill: #2f5d8a; background: #2f5d8a; } .ev-switch { fill: #111; background: #111; }
.ev-tilt { fill: #d62728; background: #d62728; } .ev-clear { fill: #59a14f; background: #59a14f; } .ev-other { fill: #999; background: #999; }
#timeline path[class^="lat-"] { fill: none; stroke-width: 1.3; } #timeline .lat-grid { stroke: #e6e9ef; stroke-dasharray: 2 3; }
#timeline .lat-tick { fill: var(--muted); font-size: 9px; }
.lat-p50 { stroke: #59a14f; border-color: #59a14f; } .lat-p90 { stroke: #4e79a7; border-color: #4e79a7; }
.lat-p99 { stroke: #f28e2b; border-color: #f28e2b; } .lat-max { stroke: #e15759; border-color: #e15759; }
#timeline .failover-line { stroke: #111; stroke-dasharray: 4 3; opacity: .55; pointer-events: none; }
#timeline #cursor { stroke: #333; stroke-width: .8; pointer-events: none; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 12px; color: var(--muted); margin-top: 6px; }
.sw { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -2px; margin-right: 4px; }
.mk { display: inline-block; width: 8px; height: 8px; transform: rotate(45deg); margin-right: 5px; }
.ln { display: inline-block; width: 16px; height: 0; border-top-width: 2px; border-top-style: solid; vertical-align: 3px; margin-right: 4px; }
.failover { margin-bottom: 14px; } .failover h3 { margin-top: 4px; }
.anatomy-bar { display: flex; height: 26px; border-radius: 4px; overflow: hidden; min-width: 40px; }
.anatomy-bar span { color: #fff; font-size: 11px; line-height: 26px; padding-left: 4px; overflow: hidden; white-space: nowrap; }
.an-detect { background: #f1a340; } .an-elect { background: #8e6bbf; } .an-promote { background: #2f5d8a; }
.an-notice { background: #9db7d1; } .an-switch { background: #4e79a7; }
.an-vip { background: #76b7b2; } .an-client { background: #59a14f; }
.anatomy-table th, .anatomy-table td { font-size: 12px; }
.two { display: grid; grid-template-columns: minmax(300px, auto) 1fr; gap: 24px; align-items: start; }
.kv th { width: 1%; white-space: nowrap; } pre { background: #f1f3f6; padding: 8px 12px; border-radius: 6px; overflow-x: auto; }
.topo-link { stroke: #99a; stroke-width: 1.2; } .vip-link { stroke: #2f5d8a; stroke-width: 2.5; }
.topo-box { fill: #fff; stroke: #99a; } .topo-master { stroke: #2f5d8a; stroke-width: 2.5; }
.topo-vip { fill: #e8f0f8; stroke: #2f5d8a; } .topo-client { fill: #f4f4f4; stroke: #99a; }
.topo-text { font-size: 12px; font-weight: 600; fill: var(--ink); } .topo-sub { font-size: 11px; fill: var(--muted); }
.matrix td { min-width: 150px; } .run { display: block; padding: 4px 8px; margin: 2px 0; border-radius: 5px; text-decoration: none; font-size: 12px; }
.run.v-pass { background: #e3f1e0; color: #234d1c; border-left: 4px solid var(--ok); }
.run.v-fail { background: #fbe3e3; color: #7a1b1c; border-left: 4px solid var(--fail); }
.run.v-other { background: #eee; color: #333; border-left: 4px solid #999; }
.regress { color: var(--fail); font-weight: 700; } ul.regressions { margin: 0; padding-left: 16px; } .base { color: var(--muted); font-size: 11px; }
.plot text { font-size: 11px; fill: var(--ink); } .plot .axis-line { stroke: #99a; } .plot .gridline { stroke: #eceff3; }
.plot path { fill: none; stroke-width: 2; }
)CSS";

}  // namespace

std::string PageStart(const std::string& title) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  out += "<title>" + Escape(title) + "</title><style>" + kCss + "</style></head><body><main>\n";
  return out;
}

std::string PageEnd(const std::string& script) {
  std::string out = "</main>";
  if (!script.empty()) out += "<script>" + script + "</script>";
  return out + "</body></html>\n";
}

}  // namespace sc::reports
