// The HTML page frame shared by report.html and index.html: doctype, inline
// stylesheet, and the closing script. Internal to reports/.
#pragma once

#include <string>

namespace sc::reports {

// Everything up to and including <body><main>. `title` is escaped here.
std::string PageStart(const std::string& title);
// Closes the page; `script` (trusted, ours) is inlined when not empty.
std::string PageEnd(const std::string& script);

}  // namespace sc::reports
