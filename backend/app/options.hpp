// tickwired's command line: every option with its default and meaning (--help prints them).
// Each option may also come from a config file (--config, TOML or INI; see
// packaging/tickwired.toml) or from the environment (TICKWIRE_<OPTION>, e.g. TICKWIRE_ROLE);
// the command line wins over the environment, which wins over the file.
#pragma once

#include <optional>
#include <string>

#include "app/node.hpp"
#include "ops/logging.hpp"

namespace tickwire::app {

struct Options {
  Node::Configuration node;
  std::string log_level = "info";
  ops::LogFormat log_format = ops::LogFormat::text;  // --log-format text|json
  std::string port_file;  // where to write the bound port (scripts and tests)
  std::string admin_port_file;  // likewise for --admin-port
  bool check_only = false;  // --check: validate, print the effective node, exit
};

// Parses argv. On --help/--version or an error it prints (to stdout or stderr) and returns the
// process exit code in `exit_code` with nullopt.
std::optional<Options> parse_options(int argc, char** argv, int& exit_code);

}  // namespace tickwire::app
