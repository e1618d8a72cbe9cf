// parse_options for the options this test covers: --log-format (and its config-file and
// environment forms), which must refuse an unknown value with a clear error; the admin port's
// guard; --publish-window, which only a dispatcher over Redis takes.
#include "app/options.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace tickwire::app {
namespace {

struct Parsed {
  std::optional<Options> options;
  int exit_code = -1;
  std::string err;
};

Parsed parse(std::vector<std::string> args) {
  args.insert(args.begin(), "tickwired");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  Parsed p;
  testing::internal::CaptureStderr();
  testing::internal::CaptureStdout();
  p.options = parse_options(static_cast<int>(args.size()), argv.data(), p.exit_code);
  testing::internal::GetCapturedStdout();
  p.err = testing::internal::GetCapturedStderr();
  return p;
}

TEST(Options, LogFormatIsTextByDefault) {
  const auto p = parse({});
  ASSERT_TRUE(p.options) << p.err;
  EXPECT_EQ(p.options->log_format, ops::LogFormat::text);
}

TEST(Options, LogFormatJsonFromTheCommandLine) {
  const auto p = parse({"--log-format", "json"});
  ASSERT_TRUE(p.options) << p.err;
  EXPECT_EQ(p.options->log_format, ops::LogFormat::json);
}

TEST(Options, AFrontendsAdminPortIsLoopbackUnlessGuardedByAToken) {
  const auto ok = parse({"--role", "frontend", "--cache", "redis://127.0.0.1:6379",
                         "--admin-port", "0"});
  ASSERT_TRUE(ok.options) << ok.err;
  ASSERT_TRUE(ok.options->node.admin);
  EXPECT_TRUE(ok.options->node.admin->address().is_loopback());
  EXPECT_FALSE(parse({"--role", "frontend"}).options->node.admin);
  // Another role serves its metrics on --port already.
  const auto dispatch = parse({"--role", "dispatch", "--cache", "redis://127.0.0.1:6379",
                               "--upstream", "http://127.0.0.1:9000", "--admin-port", "0"});
  EXPECT_FALSE(dispatch.options);
  EXPECT_NE(dispatch.err.find("--admin-port is for --role frontend"), std::string::npos) << dispatch.err;
  // Open admin endpoints on a public address: refused without a token.
  const auto open = parse({"--role", "frontend", "--cache", "redis://127.0.0.1:6379",
                           "--admin-port", "9100", "--admin-bind", "0.0.0.0"});
  EXPECT_FALSE(open.options);
  EXPECT_NE(open.err.find("--admin-token-file"), std::string::npos) << open.err;
  EXPECT_FALSE(parse({"--admin-port-file", "/tmp/x"}).options);
}

TEST(Options, AnUnknownLogFormatIsRefusedNamingTheOption) {
  const auto p = parse({"--log-format", "xml"});
  EXPECT_FALSE(p.options);
  EXPECT_NE(p.exit_code, 0);
  EXPECT_NE(p.err.find("--log-format"), std::string::npos) << p.err;
  EXPECT_NE(p.err.find("xml"), std::string::npos) << p.err;
}

TEST(Options, LogFormatFromTheConfigFileAndTheEnvironment) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("tickwire-options-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = (dir / "tickwired.toml").string();
  std::ofstream(file) << "log-format = \"json\"\n";
  auto p = parse({"--config", file});
  ASSERT_TRUE(p.options) << p.err;
  EXPECT_EQ(p.options->log_format, ops::LogFormat::json);

  // The environment wins over the file, the command line over both.
  ::setenv("TICKWIRE_LOG_FORMAT", "text", 1);
  p = parse({"--config", file});
  ASSERT_TRUE(p.options) << p.err;
  EXPECT_EQ(p.options->log_format, ops::LogFormat::text);
  p = parse({"--config", file, "--log-format=json"});
  ASSERT_TRUE(p.options) << p.err;
  EXPECT_EQ(p.options->log_format, ops::LogFormat::json);
  ::unsetenv("TICKWIRE_LOG_FORMAT");
  std::filesystem::remove_all(dir);
}

TEST(Options, APublishWindowIsForDispatchersOverRedis) {
  const std::vector<std::string> dispatch = {"--role", "dispatch", "--upstream",
                                             "http://127.0.0.1:9000"};
  auto with = [&](std::vector<std::string> more) {
    auto args = dispatch;
    args.insert(args.end(), more.begin(), more.end());
    return parse(args);
  };
  EXPECT_EQ(parse({}).options->node.publish_window.count(), 0);  // off by default
  const auto redis = with({"--cache", "redis://127.0.0.1:6379", "--publish-window", "2.5"});
  ASSERT_TRUE(redis.options) << redis.err;
  EXPECT_EQ(redis.options->node.publish_window, std::chrono::microseconds(2500));

  const auto kafka = with({"--cache", "kafka://127.0.0.1:9092", "--publish-window", "2"});
  EXPECT_FALSE(kafka.options);
  EXPECT_EQ(kafka.exit_code, 2);
  EXPECT_NE(kafka.err.find("--publish-window is for dispatchers over Redis"), std::string::npos)
      << kafka.err;
  const auto embedded = parse({"--publish-window", "1"});
  EXPECT_FALSE(embedded.options);
  EXPECT_EQ(embedded.exit_code, 2);
  const auto too_long = with({"--cache", "redis://127.0.0.1:6379", "--publish-window", "500"});
  EXPECT_FALSE(too_long.options);
  EXPECT_NE(too_long.err.find("--publish-window"), std::string::npos) << too_long.err;
  const auto nan = with({"--cache", "redis://127.0.0.1:6379", "--publish-window", "nan"});
  EXPECT_FALSE(nan.options);
  EXPECT_EQ(nan.exit_code, 2);
  EXPECT_NE(nan.err.find("--publish-window takes a number"), std::string::npos) << nan.err;

  // A frontend publishes no quotes: the window would be silently ignored, so it is refused.
  const auto frontend = parse({"--role", "frontend", "--cache", "redis://127.0.0.1:6379",
                               "--publish-window", "2"});
  EXPECT_FALSE(frontend.options);
  EXPECT_EQ(frontend.exit_code, 2);
  EXPECT_NE(frontend.err.find("--publish-window is for dispatchers (--role dispatch or all)"),
            std::string::npos)
      << frontend.err;
}

TEST(Options, ACacheUrlsPasswordNeverReachesTheError) {
  for (const std::string url : {"redis://user:s3cret-pw@127.0.0.1:6379",
                                "kafka://user:s3cret-pw@127.0.0.1:9092,127.0.0.1:9093"}) {
    const auto p = parse({"--role", "frontend", "--cache", url});
    EXPECT_FALSE(p.options) << url;
    EXPECT_EQ(p.exit_code, 2) << url;
    EXPECT_NE(p.err.find("--cache "), std::string::npos) << p.err;
    EXPECT_NE(p.err.find("***@127.0.0.1"), std::string::npos) << p.err;
    EXPECT_EQ(p.err.find("s3cret-pw"), std::string::npos) << p.err;
  }
}

}  // namespace
}  // namespace tickwire::app
