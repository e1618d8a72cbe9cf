#include "fake_provider_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <algorithm>
#include <cctype>
#include <deque>
#include <future>
#include <optional>
#include <set>

namespace tickwire::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

class WsSession;

struct Shared {
  FakeProviderServer::Handlers handlers;
  std::set<std::shared_ptr<WsSession>> sessions;
  std::uint64_t next_id = 1;
};

class WsSession : public FakeProviderServer::Session,
                  public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(TlsStream stream, FakeProviderServer::Request request, Shared& shared)
      : ws_(std::move(stream)), request_(std::move(request)), shared_(shared),
        id_(shared.next_id++) {}

  void start(http::request<http::string_body> upgrade) {
    auto self = shared_from_this();
    ws_.read_message_max(kMaxMessage);
    ws_.async_accept(upgrade, [self](beast::error_code ec) {
      if (ec) return;
      self->open_ = true;
      self->shared_.sessions.insert(self);
      if (self->shared_.handlers.on_open) self->shared_.handlers.on_open(*self);
      self->read();
    });
  }

  std::uint64_t id() const override { return id_; }
  const FakeProviderServer::Request& request() const override { return request_; }

  void send(std::string text) override {
    if (!open_ || ending_) return;
    if (queue_.size() >= kMaxQueued) {
      // A client that does not read: drop it, as a provider drops a slow client, so the fake's
      // memory stays bounded. Posted: the caller may hold its lock, and on_close takes it.
      ending_ = true;
      asio::post(ws_.get_executor(), [self = shared_from_this()] { self->drop(); });
      return;
    }
    queue_.push_back(std::move(text));
    write_next();
  }
  void send_partial_and_drop(std::string text) override {
    if (!open_) return;
    drop_unsent();
    ending_ = true;
    if (writing_) {  // one write at a time: after the current one
      pending_partial_ = std::move(text);
      return;
    }
    auto self = shared_from_this();
    auto buf = std::make_shared<std::string>(std::move(text));
    ws_.text(true);
    // fin=false: a first fragment; the rest never comes.
    ws_.async_write_some(false, asio::buffer(*buf), [self, buf](beast::error_code, std::size_t) {
      self->drop();
    });
  }
  void close() override {
    if (!open_) return;
    ending_ = true;
    if (writing_ || !queue_.empty()) {  // what was sent goes first (an error, then the close)
      close_pending_ = true;
      return;
    }
    if (std::exchange(close_started_, true)) return;  // one close frame
    auto self = shared_from_this();
    ws_.async_close(websocket::close_code::normal, [self](beast::error_code) { self->ended(); });
  }
  void drop() override {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(ws_).socket().close(ec);
    ended();
  }

 private:
  void read() {
    auto self = shared_from_this();
    ws_.async_read(buffer_, [self](beast::error_code ec, std::size_t) {
      if (ec) return self->ended();
      const auto text = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      if (self->shared_.handlers.on_message) self->shared_.handlers.on_message(*self, text);
      if (self->open_) self->read();
    });
  }
  void write_next() {
    if (writing_ || !open_) return;
    if (pending_partial_) return send_partial_and_drop(*std::exchange(pending_partial_, {}));
    if (queue_.empty()) {
      if (std::exchange(close_pending_, false)) close();
      return;
    }
    writing_ = true;
    auto self = shared_from_this();
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()), [self](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (ec) return self->ended();
      self->queue_.pop_front();
      self->write_next();
    });
  }
  // Forgets what is queued but keeps the message being written: its write references it, and
  // its completion pops it.
  void drop_unsent() {
    const std::size_t keep = writing_ && !queue_.empty() ? 1 : 0;
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(keep), queue_.end());
  }
  void ended() {
    if (!open_) return;
    open_ = false;
    drop_unsent();
    auto self = shared_from_this();
    shared_.sessions.erase(self);
    if (shared_.handlers.on_close) shared_.handlers.on_close(*this);
  }

  static constexpr std::size_t kMaxQueued = 1024;        // messages waiting to be written
  static constexpr std::size_t kMaxMessage = 64 * 1024;  // a client's message, in bytes

  websocket::stream<TlsStream> ws_;
  FakeProviderServer::Request request_;
  Shared& shared_;
  std::uint64_t id_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool open_ = false;
  bool writing_ = false;
  bool close_pending_ = false;
  bool close_started_ = false;
  bool ending_ = false;  // a close or drop is on its way: nothing more is sent
  std::optional<std::string> pending_partial_;
};

// One TLS connection until it upgrades or answers one GET.
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(tcp::socket socket, asio::ssl::context& ctx, Shared& shared)
      : stream_(std::move(socket), ctx), shared_(shared) {}

  void start() {
    auto self = shared_from_this();
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(10));
    stream_.async_handshake(asio::ssl::stream_base::server, [self](beast::error_code ec) {
      if (ec) return;
      http::async_read(self->stream_, self->buffer_, self->req_,
                       [self](beast::error_code rec, std::size_t) {
                         if (!rec) self->on_request();
                       });
    });
  }

 private:
  void on_request() {
    FakeProviderServer::Request r;
    r.target = std::string(req_.target());
    for (const auto& f : req_) {
      std::string name(f.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      r.headers[name] = std::string(f.value());
    }
    const auto& h = shared_.handlers;
    if (websocket::is_upgrade(req_)) {
      const unsigned refuse = h.accept_upgrade ? h.accept_upgrade(r) : 0;
      if (refuse) return answer(refuse, R"({"error":"refused"})");
      beast::get_lowest_layer(stream_).expires_never();
      auto session = std::make_shared<WsSession>(std::move(stream_), std::move(r), shared_);
      session->start(std::move(req_));
      return;
    }
    const auto reply = h.rest ? h.rest(r) : FakeProviderServer::Reply{404, "{}"};
    answer(reply.status, reply.body);
  }

  void answer(unsigned status, std::string body) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(status), 11);
    res->set(http::field::content_type, "application/json");
    res->body() = std::move(body);
    res->keep_alive(false);
    res->prepare_payload();
    auto self = shared_from_this();
    http::async_write(stream_, *res, [self, res](beast::error_code, std::size_t) {
      beast::error_code ec;
      beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    });
  }

  TlsStream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
};

}  // namespace

struct FakeProviderServer::Impl {
  asio::io_context ioc;
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  asio::ssl::context ctx{asio::ssl::context::tls_server};
  tcp::acceptor acceptor{ioc};
  asio::steady_timer tick_timer{ioc};
  std::chrono::milliseconds tick_interval;
  Shared shared;
  unsigned short port = 0;
  std::thread thread;

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      std::make_shared<HttpConnection>(std::move(socket), ctx, shared)->start();
      accept();
    });
  }
  void tick() {
    tick_timer.expires_after(tick_interval);
    tick_timer.async_wait([this](beast::error_code ec) {
      if (ec) return;
      if (shared.handlers.on_tick) shared.handlers.on_tick();
      tick();
    });
  }
};

FakeProviderServer::FakeProviderServer(const std::string& cert_file, const std::string& key_file,
                                       std::chrono::milliseconds tick_interval, Handlers handlers)
    : impl_(std::make_unique<Impl>()) {
  impl_->tick_interval = tick_interval;
  impl_->shared.handlers = std::move(handlers);
  impl_->ctx.use_certificate_chain_file(cert_file);
  impl_->ctx.use_private_key_file(key_file, asio::ssl::context::pem);
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  impl_->accept();
  impl_->tick();
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

FakeProviderServer::~FakeProviderServer() {
  run([this] {
    impl_->acceptor.close();
    impl_->tick_timer.cancel();
  });
  drop_all();
  impl_->work.reset();
  impl_->ioc.stop();
  impl_->thread.join();
}

unsigned short FakeProviderServer::port() const { return impl_->port; }

void FakeProviderServer::drop_all() {
  run([this] {
    auto sessions = impl_->shared.sessions;  // drop() takes each out of the set
    for (const auto& s : sessions) s->drop();
  });
}

void FakeProviderServer::run(const std::function<void()>& f) {
  std::promise<void> done;
  asio::post(impl_->ioc, [&] {
    f();
    done.set_value();
  });
  done.get_future().wait();
}

}  // namespace tickwire::test
