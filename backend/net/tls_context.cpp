#include "net/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <ctime>
#include <stdexcept>

namespace tickwire::net {

namespace ssl = boost::asio::ssl;

namespace {

// TLS 1.2 suites of Mozilla's intermediate profile (TLS 1.3 suites are OpenSSL's defaults).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// Picks http/1.1 from the client's ALPN list. A client that offers only other protocols (h2
// alone) gets no ALPN answer and then sees plain HTTP/1.1 replies, as with servers that
// predate ALPN.
int select_http11(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                  unsigned int inlen, void*) {
  static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, kHttp11, sizeof kHttp11, in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

std::string openssl_reason(const boost::system::system_error& e) {
  // Asio's message carries OpenSSL's reason ("no such file", "key values mismatch", ...).
  return e.code().message();
}

std::int64_t not_after_unix(ssl::context& ctx) {
  const X509* cert = SSL_CTX_get0_certificate(ctx.native_handle());
  if (!cert) return 0;
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&tm));
}

}  // namespace

std::shared_ptr<ssl::context> load_server_context(const TlsFiles& files) {
  if (files.cert_file.empty() || files.key_file.empty()) {
    throw std::runtime_error("TLS needs both --tls-cert and --tls-key");
  }
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  auto* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::single_dh_use |
                   SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    throw std::runtime_error("TLS: OpenSSL refused the cipher list");
  }
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_alpn_select_cb(native, select_http11, nullptr);
  try {
    ctx->use_certificate_chain_file(files.cert_file);
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot load the TLS certificate " + files.cert_file + ": " +
                             openssl_reason(e));
  }
  try {
    ctx->use_private_key_file(files.key_file, ssl::context::pem);
  } catch (const boost::system::system_error& e) {
    // The message names the file, never anything read from it.
    throw std::runtime_error("cannot load the TLS key " + files.key_file + ": " +
                             openssl_reason(e));
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    throw std::runtime_error("the TLS key " + files.key_file + " does not match the certificate " +
                             files.cert_file);
  }
  return ctx;
}

TlsContext::TlsContext(TlsFiles files, ops::Registry& metrics, const std::string& metric_prefix)
    : files_(std::move(files)),
      reloads_ok_(metrics.counter(metric_prefix + "_tls_reloads_total",
                                  "Certificate reloads (SIGHUP), by result", {{"result", "ok"}})),
      reloads_failed_(metrics.counter(metric_prefix + "_tls_reloads_total",
                                      "Certificate reloads (SIGHUP), by result",
                                      {{"result", "failed"}})),
      not_after_(metrics.gauge(metric_prefix + "_tls_certificate_expiry_seconds",
                               "The served certificate's notAfter, as a unix time")) {
  install(load_server_context(files_));
}

std::shared_ptr<ssl::context> TlsContext::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

bool TlsContext::reload() {
  try {
    install(load_server_context(files_));
  } catch (const std::exception& e) {
    reloads_failed_.inc();
    spdlog::error("TLS reload failed, still serving the previous certificate: {}", e.what());
    return false;
  }
  reloads_ok_.inc();
  spdlog::info("TLS certificate reloaded from {}", files_.cert_file);
  return true;
}

void TlsContext::install(std::shared_ptr<ssl::context> ctx) {
  not_after_.set(not_after_unix(*ctx));
  std::lock_guard lock(mutex_);
  current_ = std::move(ctx);
}

}  // namespace tickwire::net
