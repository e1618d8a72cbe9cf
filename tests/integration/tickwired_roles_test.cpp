// tickwired's roles and where its options come from (command line, environment, config file),
// and the combinations it refuses with a clear message instead of starting half a node.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "child_process.hpp"
#include "http_probe.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::size_t listed_symbols(unsigned short port) {
  const auto r = http_get(port, "/v1/symbols");
  if (r.status != 200) return 0;
  const auto doc = boost::json::parse(r.body);
  return doc.at("symbols").as_array().size();
}

TEST(TickwiredRoles, RefusesRolesThatCannotRunWithAMessage) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"--role", "dispatch", "--upstream", "http://127.0.0.1:1"}, "needs a shared cache tier"},
      {{"--role", "frontend"}, "needs a shared cache tier"},
      {{"--role", "dispatch", "--cache", "redis://127.0.0.1:1"}, "needs --upstream"},
      {{"--cache", "http://127.0.0.1:6379"}, "the scheme must be redis://"},
      {{"--cache", "redis://127.0.0.1:6379/2"}, "database number"},
      {{"--role", "cache"}, "--role"},  // CLI11's own check: its exit code, not 2
  };
  int n = 0;
  for (const auto& c : cases) {
    const auto log = "./roles-refused-" + std::to_string(++n) + ".log";
    std::vector<std::string> argv{TICKWIRED_PATH};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    ChildProcess p({argv, log, 0});
    const auto code = p.wait_exit(5s);
    ASSERT_TRUE(code) << "still running: " << log;
    if (c.args[1] == "cache") {
      EXPECT_NE(*code, 0) << log;
    } else {
      EXPECT_EQ(*code, 2) << log;
    }
    EXPECT_NE(slurp(log).find(c.message), std::string::npos) << log << ":\n" << slurp(log);
  }
}

TEST(TickwiredRoles, ExchangeRoleTakesOptionsFromConfigFileAndEnvironment) {
  // The file sets the role and the universe; the environment overrides the universe; the
  // command line (--port from the helper) wins over both.
  const std::string config = "./roles-config.toml";
  std::ofstream(config) << "# tickwired options, as packaging/tickwired.toml\n"
                           "role = \"exchange\"\n"
                           "exchange-symbols = 300\n"
                           "port = 1\n";
  {
    Tickwired t({"--config", config}, "roles-config");
    EXPECT_NE(t.port, 1);  // --port 0 on the command line beat the file's port = 1
    EXPECT_EQ(listed_symbols(t.port), 300u);
    EXPECT_EQ(http_get(t.port, "/v1/subscriptions").status, 200u);  // only the exchange has it
  }
  ::setenv("TICKWIRE_EXCHANGE_SYMBOLS", "400", 1);
  Tickwired t({"--config", config}, "roles-env");
  ::unsetenv("TICKWIRE_EXCHANGE_SYMBOLS");
  EXPECT_EQ(listed_symbols(t.port), 400u);
}

TEST(TickwiredRoles, SystemdUnitsAndSampleConfigAreAccepted) {
  // Each unit's ExecStart, with the sample config for /etc/tickwire/tickwired.toml, as tickwired
  // --check reads it: every key of the sample is an option, every role's command line valid.
  const std::string repo = TICKWIRE_SOURCE_DIR;
  // The sample names key files under /etc/tickwire: the environment points them at test files.
  std::ofstream("./unit-check-jwt.secret") << "a secret of at least thirty-two bytes, for tests\n";
  std::ofstream("./unit-check-admin.token") << "an-admin-token-for-tests\n";
  ::setenv("TICKWIRE_JWT_SECRET_FILE", "./unit-check-jwt.secret", 1);
  ::setenv("TICKWIRE_ADMIN_TOKEN_FILE", "./unit-check-admin.token", 1);
  // Unit file (packaging/systemd/) and the role it runs; tickwired.service is the all-in-one.
  for (const auto& [name, role] : {std::pair<std::string, std::string>{"tickwired", "all"},
                                   {"tickwired-dispatch", "dispatch"},
                                   {"tickwired-exchange", "exchange"},
                                   {"tickwired-frontend@", "frontend"}}) {
    const auto unit = repo + "/packaging/systemd/" + name + ".service";
    std::istringstream text(slurp(unit));
    std::string line, exec;
    while (std::getline(text, line)) {
      if (line.rfind("ExecStart=", 0) == 0) exec = line.substr(10);
    }
    ASSERT_FALSE(exec.empty()) << unit;
    std::vector<std::string> argv;
    std::istringstream words(exec);
    for (std::string w; words >> w;) {
      if (w == "/usr/bin/tickwired") w = TICKWIRED_PATH;  // where the package installs it
      if (w == "/etc/tickwire/tickwired.toml") w = repo + "/packaging/tickwired.toml";
      for (const auto& [spec, value] : {std::pair{"%H", "host"}, std::pair{"%i", "1"}}) {
        if (const auto at = w.find(spec); at != std::string::npos) w.replace(at, 2, value);
      }
      argv.push_back(w);
    }
    argv.push_back("--check");
    const auto log = "./unit-check-" + name + ".log";
    ChildProcess p({argv, log, 0});
    EXPECT_EQ(p.wait_exit(5s), 0) << slurp(log);
    EXPECT_NE(slurp(log).find("configuration OK: role " + role), std::string::npos) << slurp(log);
  }
  ::unsetenv("TICKWIRE_JWT_SECRET_FILE");
  ::unsetenv("TICKWIRE_ADMIN_TOKEN_FILE");
}

}  // namespace
}  // namespace tickwire::test
