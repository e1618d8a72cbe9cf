#include "ops/json_log_formatter.hpp"

#include <pthread.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <chrono>
#include <ctime>
#include <spdlog/fmt/fmt.h>

namespace tickwire::ops {

namespace {

// Boost.JSON escapes quotes, backslashes and control characters, but passes bytes >= 0x80
// through as they are; valid_utf8() makes them safe first.
void append_json_string(std::string_view text, spdlog::memory_buf_t& dest) {
  const auto quoted = boost::json::serialize(boost::json::string_view(valid_utf8(text)));
  dest.append(quoted.data(), quoted.data() + quoted.size());
}

void append_field(std::string_view key, std::string_view value, spdlog::memory_buf_t& dest) {
  dest.push_back(',');
  append_json_string(key, dest);
  dest.push_back(':');
  append_json_string(value, dest);
}

std::string utc_time(spdlog::log_clock::time_point tp) {
  const auto since_epoch = tp.time_since_epoch();
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - secs);
  const std::time_t t = secs.count();
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms.count());
}

std::string thread_name() {
  char name[16] = {};  // the kernel's limit (TASK_COMM_LEN) including the terminator
  if (pthread_getname_np(pthread_self(), name, sizeof name) != 0) return {};
  return name;
}

}  // namespace

// Written here because the few libraries that would do it (Boost.Locale's utf_to_utf, simdjson's
// validator) are not among the project's dependencies, and this is the whole of it: the
// well-formed sequences of RFC 3629 (no overlongs, no surrogates, nothing above U+10FFFF).
std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char c = *p;
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c < 0x80) len = 1;
    else if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) len = 3, lo = 0xA0;
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) len = 3, hi = 0x9F;
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) len = 4, hi = 0x8F;
    bool ok = len != 0 && static_cast<std::size_t>(end - p) >= len;
    for (std::size_t i = 1; ok && i < len; ++i) {
      const unsigned char b = p[i];
      ok = i == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
    }
    if (ok) {
      out.append(reinterpret_cast<const char*>(p), len);
      p += len;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD, one per bad byte
      ++p;
    }
  }
  return out;
}

JsonLogFormatter::JsonLogFormatter(LogFields fields) : fields_(std::move(fields)) {}

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  const auto level = spdlog::level::to_string_view(msg.level);
  dest.push_back('{');
  append_json_string("time", dest);
  dest.push_back(':');
  append_json_string(utc_time(msg.time), dest);
  append_field("level", std::string_view(level.data(), level.size()), dest);
  for (const auto& [key, value] : fields_) append_field(key, value, dest);
  const auto pid = fmt::format(",\"pid\":{}", ::getpid());
  dest.append(pid.data(), pid.data() + pid.size());
  append_field("thread", thread_name(), dest);
  append_field("logger", std::string_view(msg.logger_name.data(), msg.logger_name.size()), dest);
  if (!msg.source.empty()) {
    append_field("source", fmt::format("{}:{}", msg.source.filename, msg.source.line), dest);
  }
  append_field("message", std::string_view(msg.payload.data(), msg.payload.size()), dest);
  dest.push_back('}');
  dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
  return std::make_unique<JsonLogFormatter>(fields_);
}

}  // namespace tickwire::ops
