#include "ops/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace tickwire::ops {

std::optional<LogFormat> parse_log_format(std::string_view name) {
  if (name == "text") return LogFormat::text;
  if (name == "json") return LogFormat::json;
  return std::nullopt;
}

bool init_logging(std::string_view level, LogFormat format, LogFields fields) {
  const auto lvl = spdlog::level::from_str(std::string(level));
  // from_str maps unknown names to "off"; only accept "off" when asked for it.
  if (lvl == spdlog::level::off && level != "off") return false;
  auto logger = spdlog::get("tickwire");
  if (!logger) logger = spdlog::stderr_color_mt("tickwire");
  if (format == LogFormat::json) {
    // No colour codes inside JSON: the formatter writes the whole line itself.
    logger->set_formatter(std::make_unique<JsonLogFormatter>(std::move(fields)));
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%t] %v");
  }
  logger->set_level(lvl);
  spdlog::set_default_logger(logger);
  return true;
}

}  // namespace tickwire::ops
