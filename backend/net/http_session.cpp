#include "net/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl/error.hpp>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

namespace tickwire::net {

namespace beast = boost::beast;

HttpSession::HttpSession(ClientStream&& stream, HttpHandler& handler, ErrorReplies& errors,
                         HttpLimits limits, const HttpCounters& counters, ConnectionLimits& caps)
    : stream_(std::move(stream)),
      deadline_(stream_.get_executor()),
      handler_(handler),
      errors_(errors),
      limits_(limits),
      counters_(counters) {
  if (caps.enabled()) {
    boost::system::error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    admission_ = ec ? ConnectionLimits::Verdict::over_total : caps.admit(peer.address(), ticket_);
  }
}

void HttpSession::run() {
  // Start on the connection's own executor (its shard), whatever thread accepted it.
  boost::asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (!self->stream_.is_tls()) return self->do_read();
    self->arm(self->limits_.handshake_timeout);
    self->stream_.async_handshake(
        beast::bind_front_handler(&HttpSession::on_handshake, self));
  });
}

void HttpSession::on_handshake(beast::error_code ec) {
  disarm();
  if (!ec) return do_read();
  // Counted, never logged one by one: port scanners and plain-HTTP clients make many.
  if (timed_out_) {
    counters_.tls_timeout->inc();
  } else if (ec.category() == boost::asio::error::get_ssl_category() &&
             ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_HTTP_REQUEST) {
    counters_.tls_plain_http->inc();
  } else {
    counters_.tls_failed->inc();
  }
  stream_.close();
}

void HttpSession::arm(std::chrono::steady_clock::duration limit) {
  deadline_.expires_after(limit);
  // The generation tells a deadline that fired just as its operation completed (both handlers
  // queued) from the one now armed.
  deadline_.async_wait([weak = weak_from_this(), gen = ++deadline_gen_](beast::error_code ec) {
    if (ec) return;  // disarmed
    if (auto self = weak.lock(); self && self->deadline_gen_ == gen) {
      self->timed_out_ = true;
      self->stream_.close();
    }
  });
}

void HttpSession::disarm() {
  ++deadline_gen_;
  deadline_.cancel();
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(limits_.header_bytes));
  parser_->body_limit(limits_.body_bytes);
  arm(limits_.request_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  disarm();
  if (ec == http::error::end_of_stream || timed_out_ ||
      ec == boost::asio::error::operation_aborted || ec == boost::asio::error::connection_reset ||
      ec == boost::asio::ssl::error::stream_truncated || ec == boost::asio::error::eof) {
    return do_close();
  }
  if (ec) return reply_parse_error(ec);

  if (admission_ != ConnectionLimits::Verdict::admitted) return refuse(parser_->get().version());
  // No timeout while the handler works; the request stays alive in parser_ until it answers.
  handler_.handle(parser_->get(), [self = shared_from_this()](HandlerResult result) {
    boost::asio::dispatch(self->stream_.get_executor(), [self, r = std::move(result)]() mutable {
      self->on_result(std::move(r));
    });
  });
}

void HttpSession::on_result(HandlerResult result) {
  if (auto* takeover = std::get_if<Takeover>(&result)) {
    (*takeover)(std::move(stream_), std::move(buffer_), std::move(ticket_));
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
  arm(limits_.write_timeout);
  http::async_write(stream_, *response_,
                    beast::bind_front_handler(&HttpSession::on_write, shared_from_this(),
                                              keep_alive));
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  disarm();
  response_.reset();
  if (timed_out_) {
    counters_.write_timeouts->inc();
    spdlog::debug("http: closing a connection that left its answer unread ({} s)",
                  limits_.write_timeout.count());
  }
  if (ec || !keep_alive) return do_close();
  do_read();
}

void HttpSession::do_close() {
  if (timed_out_) return stream_.close();
  if (stream_.is_tls()) {
    // close_notify, so the client knows the answer is whole; it answers or goes within 2 s.
    arm(std::chrono::seconds(2));
    return stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      self->disarm();
      self->stream_.close();
    });
  }
  stream_.async_shutdown([](beast::error_code) {});  // FIN now (plain TCP completes at once)
  // Closing a socket with unread input makes the kernel send RST, which can destroy our error
  // reply before the client reads it. So after refusing a request mid-way, read and discard
  // what the client still sends, bounded in bytes and time, as nginx's lingering close does.
  if (discard_input_) return do_linger(0);
  // Otherwise the destructor closes the socket once the last handler lets go of this session.
}

void HttpSession::do_linger(std::size_t drained) {
  constexpr std::size_t kMaxDrain = 1 << 20;
  constexpr std::size_t kDiscardBytes = 4096;
  if (drained == 0) arm(std::chrono::seconds(2));
  if (!discard_) discard_ = std::make_unique_for_overwrite<char[]>(kDiscardBytes);
  stream_.async_read_some(
      boost::asio::buffer(discard_.get(), kDiscardBytes),
      [self = shared_from_this(), drained](beast::error_code ec, std::size_t n) {
        if (ec || drained + n >= kMaxDrain) return;  // EOF, timeout or enough: close now
        self->do_linger(drained + n);
      });
}

}  // namespace tickwire::net
