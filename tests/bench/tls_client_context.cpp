#include "tls_client_context.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <stdexcept>

namespace tickwire::bench {

namespace ssl = boost::asio::ssl;

std::unique_ptr<ssl::context> make_tls_client_context(const std::string& ca_file,
                                                      const std::string& host) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
  auto* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION);
  try {
    ctx->load_verify_file(ca_file);
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot load the CA " + ca_file + ": " + e.code().message());
  }
  ctx->set_verify_mode(ssl::verify_peer);
  // The name check on the context (OpenSSL's own, inherited by every connection) rather than
  // Asio's per-connection verify callback. The suite's servers are addressed by IP.
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(native);
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  const int named = ec ? X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0)
                       : X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
  if (named != 1) throw std::runtime_error("TLS: cannot verify against the host " + host);
  // As browsers do: offer http/1.1, the one protocol the server speaks.
  static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  SSL_CTX_set_alpn_protos(native, kHttp11, sizeof kHttp11);
  // An idle client holds no record buffers (thousands of them per worker process). The server
  // does the same.
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  // One handshake per connection, no resumption: the server's session tickets are not kept.
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  return ctx;
}

}  // namespace tickwire::bench
