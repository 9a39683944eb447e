// `up`, `status`, `down`, `cleanup`: the topology on its own, without load or faults.
#pragma once

namespace sc::cli {
int CmdUp(int argc, char** argv);
int CmdStatus(int argc, char** argv);
int CmdDown(int argc, char** argv);
int CmdCleanup(int argc, char** argv);
}  // namespace sc::cli
