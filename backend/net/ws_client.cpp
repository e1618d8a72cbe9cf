#include "net/ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "net/tls_client_context.hpp"

namespace tickwire::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

WsClient::WsClient(asio::any_io_executor ex, std::shared_ptr<asio::ssl::context> tls,
                   Configuration config, Callbacks callbacks)
    : ex_(ex),
      tls_(std::move(tls)),
      config_(std::move(config)),
      callbacks_(std::move(callbacks)),
      resolver_(ex) {
  if (config_.url.tls) {
    secure_.emplace(ex, *tls_);
  } else {
    plain_.emplace(ex);
  }
}

WsClient::~WsClient() = default;

template <class F> void WsClient::with_ws(F&& f) {
  if (secure_) {
    f(*secure_);
  } else {
    f(*plain_);
  }
}

WsClient::TcpStream& WsClient::tcp() {
  return secure_ ? beast::get_lowest_layer(*secure_) : beast::get_lowest_layer(*plain_);
}

void WsClient::start() {
  if (config_.url.tls && !tls_) {
    auto self = shared_from_this();
    return asio::post(ex_, [self] { self->finish("wss needs a TLS client context"); });
  }
  auto self = shared_from_this();
  resolver_.async_resolve(config_.url.host, config_.url.port,
                          [self](beast::error_code ec, asio::ip::tcp::resolver::results_type r) {
                            if (self->finished_) return;
                            if (ec) return self->finish("resolve: " + ec.message());
                            self->tcp().expires_after(self->config_.connect_timeout);
                            self->tcp().async_connect(r, [self](beast::error_code cec, auto) {
                              if (self->finished_) return;
                              if (cec) return self->finish("connect: " + cec.message());
                              self->on_connected();
                            });
                          });
}

void WsClient::on_connected() {
  if (!secure_) return upgrade();
  auto& tls = secure_->next_layer();
  if (auto ec = prepare_tls_client(tls, config_.url.host)) return finish("TLS: " + ec.message());
  auto self = shared_from_this();
  tls.async_handshake(asio::ssl::stream_base::client, [self](beast::error_code ec) {
    if (self->finished_) return;
    if (ec) {
      return self->finish("TLS: " +
                          tls_failure(ec, self->secure_->next_layer().native_handle()));
    }
    self->upgrade();
  });
}

void WsClient::upgrade() {
  auto self = shared_from_this();
  const bool default_port = config_.url.port == (config_.url.tls ? "443" : "80");
  const bool v6 = config_.url.host.find(':') != std::string::npos;
  const auto host = (v6 ? "[" + config_.url.host + "]" : config_.url.host) +
                    (default_port ? "" : ":" + config_.url.port);
  with_ws([&](auto& ws) {
    ws.read_message_max(config_.max_message_bytes);
    ws.set_option(websocket::stream_base::decorator([this](websocket::request_type& req) {
      req.set(beast::http::field::user_agent, "tickwired");
      for (const auto& [name, value] : config_.headers) req.set(name, value);
    }));
    ws.async_handshake(upgrade_response_, host, config_.url.target,
                       [self](beast::error_code ec) { self->on_upgraded(ec); });
  });
}

void WsClient::on_upgraded(beast::error_code ec) {
  if (finished_) return;
  if (ec) {
    const auto status = upgrade_response_.result_int();
    if (status != 0 && status != 101) {
      return finish("upgrade refused: HTTP " + std::to_string(status), status);
    }
    return finish("upgrade: " + ec.message());
  }
  // From here Beast's own timer: silence past idle_timeout (after a ping at half of it) ends it.
  tcp().expires_never();
  with_ws([&](auto& ws) {
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::seconds(5);
    t.idle_timeout = config_.idle_timeout;
    t.keep_alive_pings = true;
    ws.set_option(t);
  });
  open_ = true;
  if (callbacks_.on_open) callbacks_.on_open();
  if (finished_) return;
  read();
  write_next();
}

void WsClient::read() {
  auto self = shared_from_this();
  with_ws([&](auto& ws) {
    ws.async_read(buffer_, [self](beast::error_code ec, std::size_t) {
      if (self->finished_) return;
      if (ec == websocket::error::closed) return self->finish("closed by the server");
      if (ec == websocket::error::message_too_big) {
        return self->finish("a message over " + std::to_string(self->config_.max_message_bytes) +
                            " bytes");
      }
      if (ec == beast::error::timeout) return self->finish("silent past the idle timeout");
      if (ec) return self->finish("read: " + ec.message());
      const auto data = self->buffer_.cdata();
      const std::string_view text(static_cast<const char*>(data.data()), data.size());
      if (self->callbacks_.on_message) self->callbacks_.on_message(text);
      self->buffer_.consume(self->buffer_.size());
      if (!self->finished_) self->read();
    });
  });
}

void WsClient::send(std::string text) {
  if (finished_ || closing_) return;
  queued_bytes_ += text.size();
  queue_.push_back(std::move(text));
  if (queued_bytes_ > config_.max_queued_bytes) {
    return finish("send queue over " + std::to_string(config_.max_queued_bytes) + " bytes");
  }
  if (open_) write_next();
}

void WsClient::write_next() {
  if (writing_ || queue_.empty() || finished_ || closing_) return;
  writing_ = true;
  auto self = shared_from_this();
  with_ws([&](auto& ws) {
    ws.text(true);
    ws.async_write(asio::buffer(queue_.front()), [self](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (self->finished_) return;
      if (ec) return self->finish("write: " + ec.message());
      self->queued_bytes_ -= self->queue_.front().size();
      self->queue_.pop_front();
      self->write_next();
    });
  });
}

void WsClient::close() {
  if (finished_ || closing_) return;
  closing_ = true;
  if (!open_ || writing_) {
    // Nothing to say goodbye to yet, or a write in progress (a close frame is a write, and
    // Beast allows one at a time): stop whatever is in progress.
    resolver_.cancel();
    beast::error_code ec;
    tcp().socket().close(ec);
    return finish("closed by us");
  }
  auto self = shared_from_this();
  tcp().expires_after(std::chrono::seconds(2));  // a peer that never answers the close frame
  with_ws([&](auto& ws) {
    ws.async_close(websocket::close_code::normal,
                   [self](beast::error_code) { self->finish("closed by us"); });
  });
}

void WsClient::finish(const std::string& why, unsigned status) {
  if (finished_) return;
  finished_ = true;
  open_ = false;
  queue_.clear();
  queued_bytes_ = 0;
  beast::error_code ec;
  tcp().socket().close(ec);  // ends any read still pending
  if (callbacks_.on_closed) callbacks_.on_closed(why, status);
}

}  // namespace tickwire::net
