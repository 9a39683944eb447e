// `trend` (nights in, trend.html/trend.json out) and `nightly` (the whole
// nightly job: suite, reports, recovered runs, trend, step summary, exit code).
#pragma once

namespace sc::cli {
int CmdTrend(int argc, char** argv);
int CmdNightly(int argc, char** argv);
}  // namespace sc::cli
