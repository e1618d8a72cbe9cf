// tickwired's provider options as an operator meets them: missing or misplaced keys are refused
// at start with a reason (exit status 2), a config file holding keys must be owner-only, and no
// key ever shows in what tickwired prints.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "child_process.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

struct Run {
  std::optional<int> code;
  std::string output;
};

Run tickwired(std::vector<std::string> args, const std::string& name) {
  args.insert(args.begin(), TICKWIRED_PATH);
  const std::string log = "./" + name + ".log";
  ChildProcess p({args, log, 0});
  Run r;
  r.code = p.wait_exit(5s);
  std::ifstream in(log);
  r.output.assign(std::istreambuf_iterator<char>(in), {});
  return r;
}

void clear_provider_environment() {
  for (const char* v : {"APCA_API_KEY_ID", "APCA_API_SECRET_KEY", "APCA_API_STREAM_URL",
                        "APCA_API_DATA_URL", "APCA_API_BASE_URL", "FINNHUB_TOKEN",
                        "FINNHUB_STREAM_URL", "FINNHUB_API_URL", "FINNHUB_SYMBOL_LIMIT"}) {
    ::unsetenv(v);
  }
}

TEST(ProviderOptions, MissingKeysOrAnUnknownFeedAreRefusedWithTheReason) {
  clear_provider_environment();
  auto r = tickwired({"--upstream", "alpaca://iex", "--check"}, "provider-no-keys");
  ASSERT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("APCA_API_KEY_ID"), std::string::npos) << r.output;

  ::setenv("APCA_API_KEY_ID", "AKFAKEKEYID0000", 1);
  ::setenv("APCA_API_SECRET_KEY", "very-secret-value-0123", 1);
  r = tickwired({"--upstream", "alpaca://nasdaq", "--check"}, "provider-bad-feed");
  ASSERT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("iex, sip, delayed_sip, test"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("very-secret-value-0123"), std::string::npos);

  r = tickwired({"--upstream", "finnhub://", "--check"}, "provider-no-token");
  ASSERT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("FINNHUB_TOKEN"), std::string::npos) << r.output;

  r = tickwired({"--upstream", "polygon://x", "--check"}, "provider-unknown");
  ASSERT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("alpaca://"), std::string::npos) << r.output;
  clear_provider_environment();
}

TEST(ProviderOptions, KeysFromTheEnvironmentNeverShowInCheckOutput) {
  clear_provider_environment();
  ::setenv("APCA_API_KEY_ID", "AKFAKEKEYID0000", 1);
  ::setenv("APCA_API_SECRET_KEY", "very-secret-value-0123", 1);
  auto r = tickwired({"--upstream", "alpaca://iex", "--check"}, "provider-check-alpaca");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("alpaca://iex"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("AKFAKEKEYID0000"), std::string::npos);
  EXPECT_EQ(r.output.find("very-secret-value-0123"), std::string::npos);

  ::setenv("FINNHUB_TOKEN", "finnhub-token-value-42", 1);
  ::setenv("FINNHUB_STREAM_URL", "wss://127.0.0.1:9/?token=finnhub-token-value-42", 1);
  r = tickwired({"--upstream", "finnhub://", "--check"}, "provider-check-finnhub");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("finnhub://"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("finnhub-token-value-42"), std::string::npos) << r.output;
  clear_provider_environment();
}

TEST(ProviderOptions, AConfigFileWithKeysMustBeOwnerOnly) {
  clear_provider_environment();
  const std::string path = "./provider-keys.toml";
  {
    std::ofstream f(path);
    f << "upstream = \"alpaca://iex\"\n"
         "APCA_API_KEY_ID = \"AKFAKEKEYID0000\"\n"
         "APCA_API_SECRET_KEY = \"very-secret-value-0123\"\n";
  }
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto r = tickwired({"--config", path, "--check"}, "provider-config-open");
  ASSERT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("chmod 600"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("very-secret-value-0123"), std::string::npos);

  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  r = tickwired({"--config", path, "--check"}, "provider-config-private");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("alpaca://iex"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("very-secret-value-0123"), std::string::npos);
}

}  // namespace
}  // namespace tickwire::test
