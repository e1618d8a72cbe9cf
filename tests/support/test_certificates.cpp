#include "test_certificates.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace tickwire::test {

CommandResult run_command(const std::string& command_line) {
  CommandResult r;
  FILE* pipe = ::popen(command_line.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

TestCertificates make_test_certificates(const std::string& dir, const std::string& name) {
  std::filesystem::create_directories(dir);
  const std::string p = dir + "/" + name;
  TestCertificates c{p + "-ca.pem", p + "-cert.pem", p + "-key.pem"};
  const std::string ca_key = p + "-ca-key.pem", csr = p + ".csr", ext = p + ".ext";
  // P-256 keys: quick to make, and what modern servers use.
  const std::string cmd =
      "set -e; exec 2>" + p + "-openssl.log; "
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
      "-subj '/CN=Tickwire test CA " + name + "' -keyout " + ca_key + " -out " + c.ca + "; "
      "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
      "-subj '/CN=localhost' -keyout " + c.key + " -out " + csr + "; "
      "printf 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\\n"
      "basicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > " + ext + "; "
      "openssl x509 -req -in " + csr + " -CA " + c.ca + " -CAkey " + ca_key +
      " -CAcreateserial -days 2 -extfile " + ext + " -out " + c.cert;
  const auto r = run_command(cmd);
  if (r.status != 0) {
    throw std::runtime_error("openssl could not make test certificates; see " + p +
                             "-openssl.log");
  }
  return c;
}

}  // namespace tickwire::test
