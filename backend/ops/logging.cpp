#include "ops/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <string>

namespace tickwire::ops {

bool init_logging(std::string_view level) {
  const auto lvl = spdlog::level::from_str(std::string(level));
  // from_str maps unknown names to "off"; only accept "off" when asked for it.
  if (lvl == spdlog::level::off && level != "off") return false;
  auto logger = spdlog::get("tickwire");
  if (!logger) logger = spdlog::stderr_color_mt("tickwire");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%t] %v");
  logger->set_level(lvl);
  spdlog::set_default_logger(logger);
  return true;
}

}  // namespace tickwire::ops
