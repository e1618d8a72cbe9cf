#include "net/tls_client_context.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <stdexcept>

namespace tickwire::net {

namespace ssl = boost::asio::ssl;

std::shared_ptr<ssl::context> make_tls_client_context() {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  if (!SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION)) {
    throw std::runtime_error("TLS: cannot require TLS 1.2 or later");
  }
  boost::system::error_code ec;
  ctx->set_default_verify_paths(ec);  // honours SSL_CERT_FILE and SSL_CERT_DIR
  if (ec) throw std::runtime_error("TLS: cannot load the default CA store: " + ec.message());
  ctx->set_verify_mode(ssl::verify_peer);
  return ctx;
}

void set_client_alpn(SSL* ssl) {
  static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  SSL_set_alpn_protos(ssl, kHttp11, sizeof kHttp11);
}

std::string tls_failure(const boost::system::error_code& ec, SSL* ssl) {
  std::string why = ec.message();
  if (ssl) {
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
      why += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
    }
  }
  return why;
}

}  // namespace tickwire::net
