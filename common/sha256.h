// SHA-256 of bytes and of files, as lowercase hex (what `sha256sum` prints).
// Used to record which version of a scenario file a run used.
#pragma once

#include <string>

namespace sc {

std::string Sha256Hex(const std::string& bytes);

// "" when the file cannot be read.
std::string Sha256OfFile(const std::string& path);

}  // namespace sc
