#include "net/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <spdlog/spdlog.h>

namespace tickwire::net {

namespace beast = boost::beast;

HttpSession::HttpSession(boost::asio::ip::tcp::socket&& socket, HttpHandler& handler,
                         ErrorReplies& errors, HttpLimits limits, ops::Counter& write_timeouts,
                         ConnectionLimits& caps)
    : stream_(std::move(socket)),
      handler_(handler),
      errors_(errors),
      limits_(limits),
      write_timeouts_(write_timeouts) {
  if (caps.enabled()) {
    boost::system::error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    admission_ = ec ? ConnectionLimits::Verdict::over_total : caps.admit(peer.address(), ticket_);
  }
}

void HttpSession::run() {
  // Start on the connection's own executor (its shard), whatever thread accepted it.
  boost::asio::dispatch(stream_.get_executor(),
                        beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(limits_.header_bytes));
  parser_->body_limit(limits_.body_bytes);
  stream_.expires_after(limits_.request_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == boost::asio::error::operation_aborted || ec == boost::asio::error::connection_reset) {
    return do_close();
  }
  if (ec) return reply_parse_error(ec);

  if (admission_ != ConnectionLimits::Verdict::admitted) return refuse(parser_->get().version());
  // No timeout while the handler works; the request stays alive in parser_ until it answers.
  stream_.expires_never();
  handler_.handle(parser_->get(), [self = shared_from_this()](HandlerResult result) {
    boost::asio::dispatch(self->stream_.get_executor(), [self, r = std::move(result)]() mutable {
      self->on_result(std::move(r));
    });
  });
}

void HttpSession::on_result(HandlerResult result) {
  if (auto* takeover = std::get_if<Takeover>(&result)) {
    (*takeover)(stream_.release_socket(), std::move(buffer_), std::move(ticket_));
    return;  // the stream session owns the connection now
  }
  do_write(std::move(std::get<Response>(result)));
}

void HttpSession::reply_parse_error(beast::error_code ec) {
  // The request cannot be trusted to frame the next one: answer, then close. The client may
  // still be sending it, so the close lingers (see do_close).
  discard_input_ = true;
  const unsigned version = parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
  if (ec == http::error::header_limit) {
    do_write(errors_.make(http::status::request_header_fields_too_large, "header_too_large",
                          "request headers exceed " + std::to_string(limits_.header_bytes) +
                              " bytes",
                          version, false));
  } else if (ec == http::error::body_limit) {
    do_write(errors_.make(http::status::payload_too_large, "body_too_large",
                          "request body exceeds " + std::to_string(limits_.body_bytes) + " bytes",
                          version, false));
  } else {
    do_write(errors_.make(http::status::bad_request, "bad_request",
                          "malformed HTTP request: " + ec.message(), version, false));
  }
}

void HttpSession::refuse(unsigned version) {
  // Answered before any route runs, so a WebSocket upgrade over a cap gets this status too.
  const bool full = admission_ == ConnectionLimits::Verdict::over_total;
  auto res = full ? errors_.make(http::status::service_unavailable, "too_many_connections",
                                 "the server holds as many connections as it may; try again",
                                 version, false)
                  : errors_.make(http::status::too_many_requests, "too_many_connections_from_ip",
                                 "too many connections from your address; close one or try again",
                                 version, false);
  res.set(http::field::retry_after, full ? "5" : "10");
  discard_input_ = true;  // it may have sent more: linger so the answer is not reset away
  do_write(std::move(res));
}

void HttpSession::do_write(Response res) {
  const bool keep_alive = res.keep_alive();
  response_ = std::move(res);
  stream_.expires_after(limits_.write_timeout);
  http::async_write(stream_, *response_,
                    beast::bind_front_handler(&HttpSession::on_write, shared_from_this(),
                                              keep_alive));
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  response_.reset();
  if (ec == beast::error::timeout) {
    write_timeouts_.inc();
    spdlog::debug("http: closing a connection that left its answer unread ({} s)",
                  limits_.write_timeout.count());
  }
  if (ec || !keep_alive) return do_close();
  do_read();
}

void HttpSession::do_close() {
  beast::error_code ec;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  // Closing a socket with unread input makes the kernel send RST, which can destroy our error
  // reply before the client reads it. So after refusing a request mid-way, read and discard
  // what the client still sends, bounded in bytes and time, as nginx's lingering close does.
  if (discard_input_) return do_linger(0);
  // Otherwise the destructor closes the socket once the last handler lets go of this session.
}

void HttpSession::do_linger(std::size_t drained) {
  constexpr std::size_t kMaxDrain = 1 << 20;
  if (drained == 0) stream_.expires_after(std::chrono::seconds(2));
  stream_.async_read_some(
      boost::asio::buffer(discard_),
      [self = shared_from_this(), drained](beast::error_code ec, std::size_t n) {
        if (ec || drained + n >= kMaxDrain) return;  // EOF, timeout or enough: close now
        self->do_linger(drained + n);
      });
}

}  // namespace tickwire::net
