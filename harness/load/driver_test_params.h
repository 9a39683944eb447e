// The shipped drivers as the parameters of a driver test: one instance per
// drivers/ folder (drivers.h's registry), so a new driver is tested by every
// driver test without touching it. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/load/drivers.h"

namespace sc::load::testing {

// Every driver's name ("redis-py", ...): hiredis is built in, not a driver.
inline std::vector<std::string> DriverNames() {
  std::vector<std::string> names;
  for (const DriverSpec& d : Drivers()) names.push_back(d.name);
  return names;
}

// A test name gtest accepts: "redis-py" -> "redis_py".
inline std::string DriverTestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  for (char& c : n)
    if (c == '-') c = '_';
  return n;
}

}  // namespace sc::load::testing
