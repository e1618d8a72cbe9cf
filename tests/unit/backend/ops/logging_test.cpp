// init_logging: the level and format names it accepts, and that `json` really switches the
// process's logger to JSON lines on stderr.
#include "ops/logging.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace tickwire::ops {
namespace {

TEST(Logging, ParsesTheTwoFormatNames) {
  EXPECT_EQ(parse_log_format("text"), LogFormat::text);
  EXPECT_EQ(parse_log_format("json"), LogFormat::json);
  EXPECT_FALSE(parse_log_format("JSON").has_value());
  EXPECT_FALSE(parse_log_format("").has_value());
}

TEST(Logging, RefusesAnUnknownLevel) {
  EXPECT_FALSE(init_logging("loud"));
  EXPECT_TRUE(init_logging("off"));
}

TEST(Logging, JsonFormatWritesJsonLinesWithTheNodeFieldsToStderr) {
  ASSERT_TRUE(init_logging("info", LogFormat::json, {{"node", "dispatch-x"}, {"role", "dispatch"}}));
  testing::internal::CaptureStderr();
  spdlog::info("hello {}", 7);
  spdlog::debug("below the level");
  spdlog::default_logger()->flush();
  const auto err = testing::internal::GetCapturedStderr();
  ASSERT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  const auto line = boost::json::parse(err).as_object();
  EXPECT_EQ(line.at("message").as_string(), "hello 7");
  EXPECT_EQ(line.at("node").as_string(), "dispatch-x");
  EXPECT_EQ(line.at("role").as_string(), "dispatch");

  // Back to text: the same event is no longer JSON.
  ASSERT_TRUE(init_logging("info", LogFormat::text));
  testing::internal::CaptureStderr();
  spdlog::info("hello {}", 8);
  spdlog::default_logger()->flush();
  const auto text = testing::internal::GetCapturedStderr();
  EXPECT_NE(text.find("hello 8"), std::string::npos) << text;
  EXPECT_NE(text.front(), '{') << text;
  init_logging("off");
}

}  // namespace
}  // namespace tickwire::ops
