#include "harness/runner/set_reads.h"

#include <set>

#include "topology/control.h"

namespace sc::runner {

std::string ScanSet(const std::string& socket, const std::string& password, const std::string& key,
                    const std::function<void(std::vector<std::string>& page)>& page, int timeout_ms) {
  std::string cursor = "0";
  do {
    auto r = topology::Ask(socket, {"SSCAN", key, cursor, "COUNT", "10000"}, password, timeout_ms);
    if (!r.ok || r.items.empty()) return "SSCAN " + key + " failed: " + (r.text.empty() ? "empty reply" : r.text);
    // The reply [cursor, [elements]] comes flattened: cursor first.
    cursor = r.items[0];
    r.items.erase(r.items.begin());
    page(r.items);
  } while (cursor != "0");
  return "";
}

std::string ScanKeys(const std::string& socket, const std::string& password, const std::string& pattern,
                     std::vector<std::string>* keys, int timeout_ms) {
  std::set<std::string> seen;
  std::string cursor = "0";
  do {
    auto r = topology::Ask(socket, {"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"}, password, timeout_ms);
    if (!r.ok || r.items.empty()) return "SCAN " + pattern + " failed: " + (r.text.empty() ? "empty reply" : r.text);
    cursor = r.items[0];
    for (size_t i = 1; i < r.items.size(); ++i) seen.insert(r.items[i]);
  } while (cursor != "0");
  keys->assign(seen.begin(), seen.end());
  return "";
}

}  // namespace sc::runner
