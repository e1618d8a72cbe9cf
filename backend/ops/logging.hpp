// Logging setup: spdlog to stderr, one line per event, level from --log-level.
#pragma once

#include <string_view>

namespace tickwire::ops {

// Accepts trace, debug, info, warn, error, critical, off. Returns false on an unknown name.
bool init_logging(std::string_view level);

}  // namespace tickwire::ops
