// Certificates made at test time with the openssl CLI (nothing secret is committed): a private
// CA, and a server certificate it signed for 127.0.0.1, ::1 and localhost.
#pragma once

#include <string>

namespace tickwire::test {

struct TestCertificates {
  std::string ca;    // the CA certificate (PEM): what a client trusts
  std::string cert;  // the server certificate (PEM)
  std::string key;   // its private key (PEM)
};

// Writes the files under `dir` (created if needed) with `name` as prefix; throws
// std::runtime_error if openssl fails. Each call makes a new CA: certificates from two calls do
// not verify against each other's CA.
TestCertificates make_test_certificates(const std::string& dir, const std::string& name);

// Runs a shell command line (arguments already quoted), returning its exit status and stdout.
struct CommandResult {
  int status = -1;
  std::string out;
};
CommandResult run_command(const std::string& command_line);

}  // namespace tickwire::test
