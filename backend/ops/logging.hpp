// Logging setup: spdlog to stderr, one line per event, level from --log-level, format from
// --log-format: `text` (the default: time, level, thread, message, for people at a terminal) or
// `json` (one object per line with the node's fields, for log shippers; ops/json_log_formatter).
#pragma once

#include <optional>
#include <string_view>

#include "ops/json_log_formatter.hpp"

namespace tickwire::ops {

enum class LogFormat { text, json };

// "text" or "json"; nullopt for anything else.
std::optional<LogFormat> parse_log_format(std::string_view name);

// Accepts trace, debug, info, warn, error, critical, off. Returns false on an unknown name.
// `fields` (node, role) go into every JSON line; the text format leaves them out.
bool init_logging(std::string_view level, LogFormat format = LogFormat::text,
                  LogFields fields = {});

}  // namespace tickwire::ops
