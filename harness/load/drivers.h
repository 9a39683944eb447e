// The client libraries a load line can use (`load client=NAME`). hiredis is
// built in (load_generator.h); every other library is a driver: a folder
// drivers/NAME/ with a driver.json manifest and a program that speaks the
// driver protocol (docs/client-drivers.md). Adding a library is adding a
// folder: nothing here, in the parser or in the runner changes.
//
// driver.json:
//   {"library": "redis-py", "description": "...",
//    "command": ["/usr/bin/python3", "{dir}/driver.py"],
//    "check":   ["/usr/bin/python3", "-c", "import redis.sentinel"],
//    "install": "apt-get install python3-redis"}
// "{dir}" in command and check stands for the driver's folder.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/load/load_options.h"

namespace sc::load {

struct DriverSpec {
  std::string name;                    // the folder name: what `client=` says
  std::string library;
  std::string description;
  std::string dir;                     // absolute folder
  std::vector<std::string> command;    // argv, "{dir}" replaced; argv[0] absolute
  std::vector<std::string> check;      // exits 0 when the library can be loaded
  std::string install;                 // what a person runs when the check fails
};

// $SC_DRIVERS_DIR when set, else the source tree's drivers/.
std::string DriversDir();

// Every driver whose folder holds a readable driver.json, sorted by name.
// A manifest that does not parse is skipped here and reported by FindDriver.
std::vector<DriverSpec> Drivers();

// "hiredis" and every driver's name, sorted (hiredis first).
std::vector<std::string> ClientNames();

// The driver called `name`; nullopt (with *why set, when given) if there is
// none or its manifest is broken.
std::optional<DriverSpec> FindDriver(const std::string& name, std::string* why = nullptr);

// "" when the driver's interpreter and library are here; else one sentence
// naming what is missing and what to install. Runs the check command.
std::string CheckDriver(const DriverSpec& d);

}  // namespace sc::load
