// tickwired's command line: every option with its default and meaning (--help prints them).
#pragma once

#include <optional>
#include <string>

#include "app/all_in_one.hpp"

namespace tickwire::app {

struct Options {
  AllInOne::Configuration node;
  std::string log_level = "info";
  std::string port_file;  // where to write the bound frontend port (scripts and tests)
};

// Parses argv. On --help/--version or an error it prints (to stdout or stderr) and returns the
// process exit code in `exit_code` with nullopt.
std::optional<Options> parse_options(int argc, char** argv, int& exit_code);

}  // namespace tickwire::app
