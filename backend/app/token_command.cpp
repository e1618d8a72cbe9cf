#include "app/token_command.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "auth/token_minter.hpp"

namespace tickwire::app {

int run_token_command(int argc, char** argv) {
  CLI::App cli{"Print a client token (HS256 JWT) signed with the frontend's --jwt-secret-file, "
               "for clients to send as 'Authorization: Bearer TOKEN'.",
               "tickwired token"};
  cli.get_formatter()->column_width(34);
  std::string secret_file, sub;
  std::int64_t ttl = 3600;
  std::vector<std::string> symbols;
  cli.add_option("--jwt-secret-file", secret_file,
                 "File holding the shared secret (at least 32 bytes; trailing newlines ignored)")
      ->required();
  cli.add_option("--sub", sub, "Who the token is for (its sub claim)")->required();
  cli.add_option("--ttl", ttl, "Seconds until the token expires")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{10} * 366 * 24 * 3600))
      ->capture_default_str();
  cli.add_option("--symbols", symbols,
                 "Comma-separated symbols the token may stream (default: every symbol)")
      ->delimiter(',');

  try {
    // argv[1] is "token": CLI11 takes the first argument it is given for the program's name.
    cli.parse(argc - 1, argv + 1);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);  // prints --help to stdout, or the error to stderr
    return code == 0 ? 0 : 2;
  }

  try {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    std::optional<std::vector<std::string>> granted;
    if (!symbols.empty()) granted = symbols;
    const auto token =
        auth::mint_hs256(auth::read_secret_file(secret_file), sub, now, ttl, granted);
    std::printf("%s\n", token.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tickwired token: %s\n", e.what());
    return 2;
  }
}

}  // namespace tickwire::app
