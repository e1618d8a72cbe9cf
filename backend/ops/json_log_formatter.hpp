// An spdlog formatter that writes each event as one JSON object per line, for log shippers
// (journald -> Vector/Fluent Bit/Promtail, ...): time (UTC, RFC 3339 with milliseconds), level,
// the fields of the node that logs (node, role), pid, thread name, logger, the source location
// when spdlog has one, and the message. Selected with --log-format json (ops/logging.hpp).
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tickwire::ops {

// Fields written into every line after the fixed ones, in this order (node, role, ...).
using LogFields = std::vector<std::pair<std::string, std::string>>;

class JsonLogFormatter final : public spdlog::formatter {
 public:
  explicit JsonLogFormatter(LogFields fields = {});
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;

 private:
  LogFields fields_;
};

// `text` with every byte sequence that is not valid UTF-8 replaced by U+FFFD, so that a line
// always parses as JSON (a message may quote bytes that came from the network).
std::string valid_utf8(std::string_view text);

}  // namespace tickwire::ops
