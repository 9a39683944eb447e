// `run`, `check`, `suite`, `report`: scenario files in, verdicts and reports out.
#pragma once

namespace sc::cli {
int CmdRun(int argc, char** argv);
int CmdCheck(int argc, char** argv);
int CmdSuite(int argc, char** argv);
int CmdReport(int argc, char** argv);
}  // namespace sc::cli
