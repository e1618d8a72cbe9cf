// Template part of tls_client_context.hpp.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace tickwire::net {

void set_client_alpn(SSL* ssl);

template <class TlsStream>  // boost::asio::ssl::stream or boost::beast::ssl_stream
boost::system::error_code prepare_tls_client(TlsStream& stream, const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  const bool ip_literal = !ec;
  // SSL_set_tlsext_host_name() is a macro with a C cast; this is what it expands to.
  if (!ip_literal && !SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
                               TLSEXT_NAMETYPE_host_name, const_cast<char*>(host.c_str()))) {
    return {static_cast<int>(::ERR_get_error()), boost::asio::error::get_ssl_category()};
  }
  stream.set_verify_mode(boost::asio::ssl::verify_peer);
  stream.set_verify_callback(boost::asio::ssl::host_name_verification(host));
  set_client_alpn(stream.native_handle());
  return {};
}

}  // namespace tickwire::net
