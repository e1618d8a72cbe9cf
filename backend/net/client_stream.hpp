// One client connection's byte stream: plain TCP, or TLS over TCP. The HTTP session, the stream
// sessions and their outbox are written once against this type, so every transport (SSE,
// WebSocket, polling, the operator streams) works the same over HTTPS/WSS.
//
// TLS is Beast's ssl_stream (OpenSSL through Asio), which flattens a gather write of small
// buffers into one TLS record instead of one record per buffer: an outbox write of many quote
// frames costs one record. Two things differ from plain TCP, and the outbox asks for them here:
//   - try_write_some(): plain TCP sends at once on the non-blocking socket (the synchronous fast
//     path); TLS never does, since a synchronous TLS write could leave a record half-written on
//     a socket that would block. TLS writes always go through the reactor.
//   - async_shutdown(): plain TCP half-closes (FIN) and completes at once; TLS sends close_notify
//     first, so a client can tell a finished stream from a cut one, and completes when the peer
//     answers or goes (the caller bounds the wait).
//
// Satisfies Asio's AsyncReadStream and AsyncWriteStream for callback handlers, so Beast's HTTP
// parser, asio::async_write and Beast's WebSocket handshake run on it unchanged.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <memory>
#include <utility>

namespace tickwire::net {

class ClientStream {
 public:
  using tcp = boost::asio::ip::tcp;
  using executor_type = tcp::socket::executor_type;
  using Tls = boost::beast::ssl_stream<tcp::socket>;

  // Plain TCP.
  explicit ClientStream(tcp::socket&& socket) : socket_(std::move(socket)) {}
  // TLS; the server handshake is still to be done (async_handshake). The stream keeps `context`
  // (certificate and key) for its life: a reload applies to new connections only.
  ClientStream(tcp::socket&& socket, std::shared_ptr<boost::asio::ssl::context> context);
  // An unopened stream on `executor` (a placeholder to move a real one into).
  explicit ClientStream(const executor_type& executor) : socket_(executor) {}

  ClientStream(ClientStream&&) noexcept = default;
  ClientStream& operator=(ClientStream&&) noexcept = default;

  executor_type get_executor() noexcept { return socket_.get_executor(); }
  // The TCP socket underneath (addresses, options, close).
  tcp::socket& socket() noexcept { return tls_ ? tls_->stream.next_layer() : socket_; }
  bool is_tls() const noexcept { return tls_ != nullptr; }

  template <typename MutableBuffers, typename Handler>
  void async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    if (tls_) {
      tls_->stream.async_read_some(buffers, std::forward<Handler>(handler));
    } else {
      socket_.async_read_some(buffers, std::forward<Handler>(handler));
    }
  }

  template <typename ConstBuffers, typename Handler>
  void async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    if (tls_) {
      tls_->stream.async_write_some(buffers, std::forward<Handler>(handler));
    } else {
      socket_.async_write_some(buffers, std::forward<Handler>(handler));
    }
  }

  // What a non-blocking socket takes now (plain TCP); TLS: nothing, `ec` = would_block.
  template <typename ConstBuffers>
  std::size_t try_write_some(const ConstBuffers& buffers, boost::system::error_code& ec) {
    if (tls_) {
      ec = boost::asio::error::would_block;
      return 0;
    }
    return socket_.write_some(buffers, ec);
  }

  // The TLS server handshake; plain TCP: completes at once (posted) with no error.
  template <typename Handler>
  void async_handshake(Handler&& handler) {
    if (tls_) {
      tls_->stream.async_handshake(boost::asio::ssl::stream_base::server,
                            std::forward<Handler>(handler));
    } else {
      boost::asio::post(socket_.get_executor(),
                        [h = std::forward<Handler>(handler)]() mutable {
                          h(boost::system::error_code{});
                        });
    }
  }

  // Ends the sending side: see the header comment.
  template <typename Handler>
  void async_shutdown(Handler&& handler) {
    if (tls_) {
      tls_->stream.async_shutdown(std::forward<Handler>(handler));
      return;
    }
    boost::system::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    boost::asio::post(socket_.get_executor(),
                      [h = std::forward<Handler>(handler), ec]() mutable { h(ec); });
  }

  // Closes the TCP socket at once (pending operations complete with operation_aborted).
  void close() noexcept {
    boost::system::error_code ec;
    socket().close(ec);
  }

 private:
  // One pointer in a plain connection (most of them): TLS state lives behind it.
  struct TlsState {
    std::shared_ptr<boost::asio::ssl::context> context;
    Tls stream;
  };

  tcp::socket socket_;  // the connection (plain), or an unopened placeholder (TLS)
  std::unique_ptr<TlsState> tls_;
};

// Beast's WebSocket handshake needs these for its timeout and error paths (found by
// argument-dependent lookup): closing a ClientStream closes its TCP socket.
inline void beast_close_socket(ClientStream& stream) { stream.close(); }

void teardown(boost::beast::role_type role, ClientStream& stream, boost::system::error_code& ec);

template <typename Handler>
void async_teardown(boost::beast::role_type, ClientStream& stream, Handler&& handler) {
  stream.close();
  boost::asio::post(stream.get_executor(), [h = std::forward<Handler>(handler)]() mutable {
    h(boost::system::error_code{});
  });
}

}  // namespace tickwire::net
