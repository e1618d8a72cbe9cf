// The JSON log format: every event is one line that parses as JSON (whatever bytes the message
// holds), with the fixed fields and the node's fields.
#include "ops/json_log_formatter.hpp"

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace tickwire::ops {
namespace {

struct Capture {
  std::ostringstream out;
  std::shared_ptr<spdlog::logger> logger;

  explicit Capture(LogFields fields = {}) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    sink->set_formatter(std::make_unique<JsonLogFormatter>(std::move(fields)));
    logger = std::make_shared<spdlog::logger>("test-logger", sink);
    logger->set_level(spdlog::level::trace);
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> result;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) result.push_back(line);
    return result;
  }
};

// boost::json::parse rejects invalid UTF-8 and raw control characters, so this is also the
// check that the line is well-formed JSON.
boost::json::object parse_line(const std::string& line) {
  return boost::json::parse(line).as_object();
}

TEST(JsonLogFormatter, WritesOneObjectPerEventWithTheFixedAndTheNodeFields) {
  Capture c({{"node", "frontend-a-1"}, {"role", "frontend"}});
  c.logger->info("listening on {}:{}", "127.0.0.1", 8080);
  c.logger->warn("second");
  const auto lines = c.lines();
  ASSERT_EQ(lines.size(), 2u);
  const auto first = parse_line(lines[0]);
  EXPECT_EQ(first.at("level").as_string(), "info");
  EXPECT_EQ(first.at("node").as_string(), "frontend-a-1");
  EXPECT_EQ(first.at("role").as_string(), "frontend");
  EXPECT_EQ(first.at("logger").as_string(), "test-logger");
  EXPECT_EQ(first.at("message").as_string(), "listening on 127.0.0.1:8080");
  EXPECT_TRUE(first.at("pid").is_int64());
  EXPECT_TRUE(first.contains("thread"));
  EXPECT_TRUE(std::regex_match(std::string(first.at("time").as_string()),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << first.at("time");
  EXPECT_EQ(parse_line(lines[1]).at("level").as_string(), "warning");
}

TEST(JsonLogFormatter, EscapesQuotesBackslashesNewlinesAndControlCharacters) {
  Capture c;
  const std::string message = "say \"hi\" \\ path\nsecond line\tand \x01 bell\x07 caf\xC3\xA9";
  c.logger->error("{}", message);
  const auto lines = c.lines();
  ASSERT_EQ(lines.size(), 1u) << "a newline in the message must not split the event";
  EXPECT_EQ(parse_line(lines[0]).at("message").as_string(), message);
}

TEST(JsonLogFormatter, ReplacesInvalidUtf8SoTheLineStillParses) {
  Capture c;
  c.logger->info("bytes from the wire: \xFF\xFE ok");
  const auto lines = c.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(parse_line(lines[0]).at("message").as_string(),
            "bytes from the wire: \xEF\xBF\xBD\xEF\xBF\xBD ok");
}

TEST(JsonLogFormatter, NamesTheSourceWhenSpdlogHasIt) {
  Capture c;
  c.logger->log(spdlog::source_loc{"node.cpp", 42, "start"}, spdlog::level::debug, "with source");
  const auto line = parse_line(c.lines().at(0));
  EXPECT_EQ(line.at("source").as_string(), "node.cpp:42");
  EXPECT_EQ(line.at("level").as_string(), "debug");
}

TEST(JsonLogFormatter, CloneKeepsTheFields) {
  JsonLogFormatter original(LogFields{{"node", "n1"}});
  auto copy = original.clone();
  spdlog::details::log_msg msg("x", spdlog::level::info, "m");
  spdlog::memory_buf_t buf;
  copy->format(msg, buf);
  EXPECT_EQ(parse_line(std::string(buf.data(), buf.size())).at("node").as_string(), "n1");
}

TEST(ValidUtf8, KeepsWellFormedTextAndReplacesEachBadByte) {
  EXPECT_EQ(valid_utf8("plain ascii"), "plain ascii");
  EXPECT_EQ(valid_utf8("\xF0\x9F\x93\x88 chart"), "\xF0\x9F\x93\x88 chart");  // 4 bytes
  EXPECT_EQ(valid_utf8("\xE2\x82\xAC"), "\xE2\x82\xAC");                      // euro sign
  const std::string bad = "\xEF\xBF\xBD";
  EXPECT_EQ(valid_utf8("\xC0\xAF"), bad + bad);              // overlong '/'
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), bad + bad + bad);    // a UTF-16 surrogate
  EXPECT_EQ(valid_utf8("\xF4\x90\x80\x80"), bad + bad + bad + bad);  // above U+10FFFF
  EXPECT_EQ(valid_utf8("ab\xE2\x82"), "ab" + bad + bad);     // cut short at the end
  EXPECT_EQ(valid_utf8("\x80x"), bad + "x");                 // a lone continuation byte
}

}  // namespace
}  // namespace tickwire::ops
