// Where the checkout lives (scenarios, docs, the VIP hook), fixed at build
// time. A function, not a macro on every compile line, so that object files
// do not depend on the checkout's path (ccache can share them between trees).
#pragma once

namespace sc {

// The absolute path of the source tree this binary was built from.
const char* SourceDir();

}  // namespace sc
