// The server side of TLS: the certificate and key a listener serves, loaded into an OpenSSL
// context, and reloaded on SIGHUP without dropping a connection (each connection keeps the
// context it started with; new connections get the new one).
//
// Policy (Mozilla's "intermediate" profile): TLS 1.2 and 1.3 only; for TLS 1.2 only ECDHE with
// AES-GCM or ChaCha20-Poly1305; ALPN selects http/1.1 (this server speaks nothing else); no
// server-side session cache (resumption by stateless tickets, so memory does not grow with the
// number of past clients); OpenSSL releases a connection's read/write buffers while it is idle.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>
#include <string>

#include "ops/metrics.hpp"

namespace tickwire::net {

struct TlsFiles {
  std::string cert_file;  // PEM: the certificate, then any intermediates
  std::string key_file;   // PEM: its private key (unencrypted)
  bool enabled() const noexcept { return !cert_file.empty() || !key_file.empty(); }
};

// Loads a server context. Throws std::runtime_error naming the file and OpenSSL's reason when a
// file is missing, unreadable, not PEM, or the key does not match the certificate.
std::shared_ptr<boost::asio::ssl::context> load_server_context(const TlsFiles& files);

// The context new connections use, replaceable at run time. Thread-safe.
class TlsContext {
 public:
  // Loads at once (throws like load_server_context). Metrics under `metric_prefix`:
  // _tls_reloads_total{result}, _tls_certificate_expiry_seconds (the certificate's notAfter as a
  // unix time, for "expires in under N days" alerts).
  TlsContext(TlsFiles files, ops::Registry& metrics, const std::string& metric_prefix);

  std::shared_ptr<boost::asio::ssl::context> current() const;
  // Reads the files again. On failure the old context stays in use; the error is logged and
  // counted, and false returned.
  bool reload();

 private:
  void install(std::shared_ptr<boost::asio::ssl::context> ctx);

  TlsFiles files_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> current_;
  ops::Counter& reloads_ok_;
  ops::Counter& reloads_failed_;
  ops::Gauge& not_after_;
};

}  // namespace tickwire::net
