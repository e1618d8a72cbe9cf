// The client side of TLS, for connections to providers: TLS 1.2 or later, the peer's
// certificate chain verified against OpenSSL's default trust (the system CA store, or the
// bundle named by SSL_CERT_FILE / SSL_CERT_DIR: OpenSSL's own convention, for private CAs and
// tests), and per connection SNI plus host name verification. There is deliberately no way to
// turn verification off.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/system/error_code.hpp>
#include <memory>
#include <string>

namespace tickwire::net {

// Throws std::runtime_error when OpenSSL cannot set the context up.
std::shared_ptr<boost::asio::ssl::context> make_tls_client_context();

// Before the handshake of one connection to `host`: SNI (skipped for IP literals, as RFC 6066
// says), the certificate must name `host`, and ALPN offers http/1.1. Returns an error if
// OpenSSL refuses the host name.
template <class TlsStream>  // boost::asio::ssl::stream or boost::beast::ssl_stream
boost::system::error_code prepare_tls_client(TlsStream& stream, const std::string& host);

// The reason OpenSSL gave for a failed handshake, for logs: "certificate verify failed
// (unable to get local issuer certificate)" rather than only "handshake failed".
std::string tls_failure(const boost::system::error_code& ec, SSL* ssl);

}  // namespace tickwire::net

#include "net/tls_client_context_impl.hpp"
