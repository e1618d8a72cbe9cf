// `tickwired token`: mints an HS256 client token with the server's secret file, for operators
// (and scripts and tests) when clients must present one. main() hands it argv unchanged.
#pragma once

namespace tickwire::app {

// argv[0] is "tickwired", argv[1] is "token"; the options follow (see --help). Prints the token
// and a newline to stdout and returns 0; on bad input prints why to stderr and returns 2.
int run_token_command(int argc, char** argv);

}  // namespace tickwire::app
