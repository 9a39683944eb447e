// Reading the workload's data back without holding a whole set in one reply:
// SCAN for the keys, SSCAN pages for each set, each page a short request over
// the node's control socket with its own timeout. Used by the final read and
// by the key reads of a rotating-key run (load option key-ops).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace sc::runner {

// Calls `page` with every page of the set's elements (a page may repeat an
// element SSCAN already gave; consumers take the union). Returns "" or what
// failed ("SSCAN sc:set:0:3 failed: ..."); pages delivered before a failure stay delivered.
std::string ScanSet(const std::string& socket, const std::string& password, const std::string& key,
                    const std::function<void(std::vector<std::string>& page)>& page, int timeout_ms = 5000);

// Every key matching `pattern` (SCAN MATCH). Returns "" or what failed.
std::string ScanKeys(const std::string& socket, const std::string& password, const std::string& pattern,
                     std::vector<std::string>* keys, int timeout_ms = 5000);

}  // namespace sc::runner
