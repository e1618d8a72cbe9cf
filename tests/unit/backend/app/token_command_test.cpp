// `tickwired token`, run in-process as main() will run it: argv[1] is "token".
#include "app/token_command.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "auth/token_verifier.hpp"
#include "../auth/test_keys.hpp"

namespace tickwire::app {
namespace {

using auth::test::TempDir;

struct Run {
  int exit_code;
  std::string out, err;
};

Run run(std::vector<std::string> args) {
  args.insert(args.begin(), {"tickwired", "token"});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  const int code = run_token_command(static_cast<int>(args.size()), argv.data());
  Run r{code, testing::internal::GetCapturedStdout(), testing::internal::GetCapturedStderr()};
  return r;
}

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(TokenCommand, PrintsATokenTheServerAccepts) {
  const auto& secret_file = auth::test::secret_file();
  const auto r = run({"--jwt-secret-file", secret_file, "--sub", "desk-7", "--ttl", "120",
                      "--symbols", "MSFT,AAPL"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.back(), '\n');
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "one line: " << r.out;
  const auto t0 = now();
  const auto result = auth::TokenVerifier::from_secret_file(secret_file)
                          ->verify(r.out.substr(0, r.out.size() - 1), t0);
  ASSERT_TRUE(std::holds_alternative<auth::Claims>(result))
      << std::get<auth::TokenFailure>(result).detail;
  const auto& c = std::get<auth::Claims>(result);
  EXPECT_EQ(c.sub, "desk-7");
  EXPECT_NEAR(static_cast<double>(c.exp), static_cast<double>(t0 + 120), 5.0);
  EXPECT_EQ(c.symbols, (std::vector<std::string>{"AAPL", "MSFT"}));
}

TEST(TokenCommand, DefaultsToAnHourAndEverySymbol) {
  const auto r = run({"--jwt-secret-file", auth::test::secret_file(), "--sub", "ops"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto t0 = now();
  const auto result = auth::TokenVerifier::from_secret_file(auth::test::secret_file())
                          ->verify(r.out.substr(0, r.out.size() - 1), t0);
  ASSERT_TRUE(std::holds_alternative<auth::Claims>(result));
  const auto& c = std::get<auth::Claims>(result);
  EXPECT_NEAR(static_cast<double>(c.exp), static_cast<double>(t0 + 3600), 5.0);
  EXPECT_FALSE(c.symbols);
}

TEST(TokenCommand, BadInputExitsTwoWithAMessage) {
  TempDir dir;
  const auto missing = (dir.path() / "no-such-secret").string();
  const auto short_secret = dir.write("short", "too short\n");
  const auto& secret_file = auth::test::secret_file();
  const struct {
    std::vector<std::string> args;
    const char* says;
  } cases[] = {
      {{"--sub", "ops"}, "--jwt-secret-file"},
      {{"--jwt-secret-file", secret_file}, "--sub"},
      {{"--jwt-secret-file", missing, "--sub", "ops"}, missing.c_str()},
      {{"--jwt-secret-file", short_secret, "--sub", "ops"}, "at least 32"},
      {{"--jwt-secret-file", secret_file, "--sub", "ops", "--symbols", "AAPL,bad"}, "'bad'"},
      {{"--jwt-secret-file", secret_file, "--sub", "ops", "--ttl", "0"}, "--ttl"},
      {{"--jwt-secret-file", secret_file, "--sub", "ops", "--ttl", "soon"}, "--ttl"},
      {{"--jwt-secret-file", secret_file, "--sub", "ops", "--bogus"}, "--bogus"},
  };
  for (const auto& c : cases) {
    const auto r = run(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.says;
    EXPECT_TRUE(r.out.empty()) << "no token on failure: " << r.out;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
}

TEST(TokenCommand, HelpGoesToStdoutAndExitsZero) {
  const auto r = run({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--jwt-secret-file"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tickwired token"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace tickwire::app
