// The load generator's side of TLS (--tls-ca): one OpenSSL client context per process, shared
// by all its connections, that verifies the server's certificate against a given CA and the
// server's address. TLS 1.3 only, with OpenSSL's default suites, so every run measures the same
// protocol whatever the server also accepts.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

namespace tickwire::bench {

// Throws std::runtime_error naming the file when the CA cannot be loaded.
std::unique_ptr<boost::asio::ssl::context> make_tls_client_context(const std::string& ca_file,
                                                                   const std::string& host);

}  // namespace tickwire::bench
