#include "net/http_get.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <memory>
#include <optional>

#include "net/tls_client_context.hpp"

namespace tickwire::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// One GET over `Stream` (beast::tcp_stream, or an ssl_stream over one).
template <class Stream>
struct GetOp : std::enable_shared_from_this<GetOp<Stream>> {
  template <class... Args>
  GetOp(asio::any_io_executor ex, std::function<void(HttpGetResult)> cb, Args&&... args)
      : resolver(ex), stream(ex, std::forward<Args>(args)...), done(std::move(cb)) {}
  asio::ip::tcp::resolver resolver;
  Stream stream;
  beast::flat_buffer buffer;
  http::request<http::empty_body> req;
  http::response_parser<http::string_body> parser;
  std::function<void(HttpGetResult)> done;
  std::chrono::seconds timeout{};
  std::string host;

  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream); }

  void finish(std::string error) {
    HttpGetResult r;
    r.error = std::move(error);
    if (r.error.empty()) {
      r.status = parser.get().result_int();
      r.body = std::move(parser.get().body());
    }
    beast::error_code ec;
    tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    done(std::move(r));
  }

  void start(const std::string& port) {
    auto self = this->shared_from_this();
    resolver.async_resolve(host, port, [self](beast::error_code ec, auto results) {
      if (ec) return self->finish("resolve: " + ec.message());
      self->tcp().expires_after(self->timeout);
      self->tcp().async_connect(results, [self](beast::error_code cec, auto) {
        if (cec) return self->finish("connect: " + cec.message());
        self->handshake();
      });
    });
  }

  void handshake() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      send();
    } else {
      auto self = this->shared_from_this();
      if (auto ec = prepare_tls_client(stream, host)) return finish("TLS: " + ec.message());
      stream.async_handshake(asio::ssl::stream_base::client, [self](beast::error_code ec) {
        if (ec) return self->finish("TLS: " + tls_failure(ec, self->stream.native_handle()));
        self->send();
      });
    }
  }

  void send() {
    auto self = this->shared_from_this();
    http::async_write(stream, req, [self](beast::error_code wec, auto) {
      if (wec) return self->finish("write: " + wec.message());
      http::async_read(self->stream, self->buffer, self->parser,
                       [self](beast::error_code rec, auto) {
                         self->finish(rec ? "read: " + rec.message() : std::string());
                       });
    });
  }
};

template <class Stream, class... Args>
void run(asio::any_io_executor ex, const HttpGetRequest& r, std::function<void(HttpGetResult)> done,
         Args&&... args) {
  auto op = std::make_shared<GetOp<Stream>>(ex, std::move(done), std::forward<Args>(args)...);
  op->timeout = r.timeout;
  op->host = r.url.host;
  op->parser.body_limit(r.body_limit);
  op->req = {http::verb::get, r.url.target, 11};
  const bool default_port = r.url.port == (r.url.tls ? "443" : "80");
  const bool v6 = r.url.host.find(':') != std::string::npos;
  const auto host = v6 ? "[" + r.url.host + "]" : r.url.host;
  op->req.set(http::field::host, default_port ? host : host + ":" + r.url.port);
  op->req.set(http::field::accept, "application/json");
  op->req.set(http::field::user_agent, "tickwired");
  for (const auto& [name, value] : r.headers) op->req.set(name, value);
  op->start(r.url.port);
}

}  // namespace

void http_get(asio::any_io_executor ex, std::shared_ptr<asio::ssl::context> tls,
              HttpGetRequest request, std::function<void(HttpGetResult)> done) {
  if (!request.url.tls) return run<beast::tcp_stream>(ex, request, std::move(done));
  if (!tls) {
    return asio::post(ex, [done = std::move(done)] {
      done(HttpGetResult{"https needs a TLS client context", 0, {}});
    });
  }
  // The context travels with the operation: it must outlive the stream that uses it.
  struct Owned {
    std::shared_ptr<asio::ssl::context> ctx;
  };
  auto keep = std::make_shared<Owned>(Owned{tls});
  run<beast::ssl_stream<beast::tcp_stream>>(
      ex, request, [keep, done = std::move(done)](HttpGetResult r) { done(std::move(r)); },
      *tls);
}

void http_get(asio::any_io_executor ex, std::string host, std::string port, std::string target,
              std::chrono::seconds timeout, std::size_t body_limit,
              std::function<void(HttpGetResult)> done) {
  HttpGetRequest r;
  r.url.scheme = "http";
  r.url.host = std::move(host);
  r.url.port = std::move(port);
  r.url.target = std::move(target);
  r.timeout = timeout;
  r.body_limit = body_limit;
  run<beast::tcp_stream>(ex, r, std::move(done));
}

}  // namespace tickwire::net
