#include "net/sse_client.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace tickwire::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

SseClient::SseClient(asio::any_io_executor ex, Configuration config, Callbacks callbacks)
    : ex_(ex),
      config_(std::move(config)),
      callbacks_(std::move(callbacks)),
      resolver_(ex),
      retry_timer_(ex),
      parser_([this](const sse::Event& e) {
        if (callbacks_.on_event) callbacks_.on_event(e);
      }) {}

void SseClient::start(std::string last_event_id) {
  asio::post(ex_, [self = shared_from_this(), id = std::move(last_event_id)]() mutable {
    if (!id.empty()) {
      // Seed the parser's last event id: a reconnect then resumes from it.
      self->parser_.feed("id: " + id + "\n\n");
    }
    self->do_resolve();
  });
}

void SseClient::stop() {
  asio::post(ex_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->resolver_.cancel();
    self->retry_timer_.cancel();
    if (self->stream_) {
      beast::error_code ec;
      self->stream_->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
      self->stream_->close();
    }
  });
}

void SseClient::do_resolve() {
  if (stopped_) return;
  resolver_.async_resolve(config_.host, config_.port,
                          [self = shared_from_this()](beast::error_code ec, auto results) {
                            if (ec) return self->fail("resolve: " + ec.message());
                            self->do_connect(std::move(results));
                          });
}

void SseClient::do_connect(asio::ip::tcp::resolver::results_type results) {
  if (stopped_) return;
  stream_.emplace(ex_);
  stream_->expires_after(config_.connect_timeout);
  stream_->async_connect(results, [self = shared_from_this()](beast::error_code ec, auto) {
    if (ec) return self->fail("connect: " + ec.message());
    self->do_request();
  });
}

void SseClient::do_request() {
  if (stopped_) return;
  req_ = {http::verb::get, config_.target, 11};
  req_.set(http::field::host, config_.host + ":" + config_.port);
  req_.set(http::field::accept, "text/event-stream");
  req_.set(http::field::user_agent, "tickwire-dispatch");
  req_.set(http::field::cache_control, "no-cache");
  if (!parser_.last_event_id().empty()) req_.set("Last-Event-ID", parser_.last_event_id());
  http::async_write(*stream_, req_, [self = shared_from_this()](beast::error_code ec, auto) {
    if (ec) return self->fail("write: " + ec.message());
    self->do_read_header();
  });
}

void SseClient::do_read_header() {
  res_parser_.emplace();
  res_parser_->body_limit(boost::none);  // an event stream has no end
  buffer_.clear();
  stream_->expires_after(config_.idle_timeout);
  http::async_read_header(
      *stream_, buffer_, *res_parser_, [self = shared_from_this()](beast::error_code ec, auto) {
        if (ec) return self->fail("read header: " + ec.message());
        if (self->stopped_) return;
        const auto& res = self->res_parser_->get();
        if (res.result() != http::status::ok) {
          return self->fail("upstream answered " + std::to_string(res.result_int()));
        }
        if (res[http::field::content_type].find("text/event-stream") == beast::string_view::npos) {
          return self->fail("upstream did not answer with text/event-stream");
        }
        self->backoff_ = std::chrono::milliseconds(0);
        self->parser_.reset_stream();
        if (self->callbacks_.on_connected) self->callbacks_.on_connected();
        self->do_read_body();
      });
}

void SseClient::do_read_body() {
  if (stopped_) return;
  auto& body = res_parser_->get().body();
  body.data = body_buf_;
  body.size = sizeof body_buf_;
  stream_->expires_after(config_.idle_timeout);
  // read_some: hand over whatever arrived; read() would wait to fill the whole buffer.
  http::async_read_some(*stream_, buffer_, *res_parser_,
                   [self = shared_from_this()](beast::error_code ec, auto) { self->on_body(ec); });
}

void SseClient::on_body(beast::error_code ec) {
  if (ec == http::error::need_buffer) ec = {};  // our buffer is full: normal for buffer_body
  const auto got = sizeof body_buf_ - res_parser_->get().body().size;
  if (got > 0 && !stopped_) {
    if (!parser_.feed(std::string_view(body_buf_, got))) {
      return fail("upstream sent an event larger than the parser limit");
    }
  }
  if (ec) return fail(ec == http::error::end_of_stream || ec == http::error::partial_message
                          ? std::string("upstream closed the stream")
                          : "read: " + ec.message());
  if (res_parser_->is_done()) return fail("upstream ended the stream");
  do_read_body();
}

void SseClient::fail(const std::string& why) {
  if (stream_) {
    beast::error_code ec;
    stream_->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    stream_->close();
  }
  if (stopped_) return;
  if (callbacks_.on_disconnected) callbacks_.on_disconnected(why);
  // Exponential backoff, each wait drawn from half to all of it, so a fleet does not reconnect in lockstep.
  backoff_ = std::min(config_.backoff_max, std::max(config_.backoff_initial, backoff_ * 2));
  std::uniform_int_distribution<long> jitter(backoff_.count() / 2, backoff_.count());
  retry_timer_.expires_after(std::chrono::milliseconds(jitter(rng_)));
  retry_timer_.async_wait([self = shared_from_this()](beast::error_code wec) {
    if (!wec) self->do_resolve();
  });
}

}  // namespace tickwire::net
