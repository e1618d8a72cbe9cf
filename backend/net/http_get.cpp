#include "net/http_get.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>

namespace tickwire::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

struct GetOp : std::enable_shared_from_this<GetOp> {
  GetOp(asio::any_io_executor ex, std::function<void(HttpGetResult)> cb)
      : resolver(ex), stream(ex), done(std::move(cb)) {}
  asio::ip::tcp::resolver resolver;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  http::request<http::empty_body> req;
  http::response_parser<http::string_body> parser;
  std::function<void(HttpGetResult)> done;
  std::chrono::seconds timeout{};

  void finish(std::string error) {
    HttpGetResult r;
    r.error = std::move(error);
    if (r.error.empty()) {
      r.status = parser.get().result_int();
      r.body = std::move(parser.get().body());
    }
    beast::error_code ec;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    done(std::move(r));
  }
};

}  // namespace

void http_get(asio::any_io_executor ex, std::string host, std::string port, std::string target,
              std::chrono::seconds timeout, std::size_t body_limit,
              std::function<void(HttpGetResult)> done) {
  auto op = std::make_shared<GetOp>(ex, std::move(done));
  op->timeout = timeout;
  op->parser.body_limit(body_limit);
  op->req = {http::verb::get, target, 11};
  op->req.set(http::field::host, host + ":" + port);
  op->req.set(http::field::accept, "application/json");
  op->resolver.async_resolve(host, port, [op](beast::error_code ec, auto results) {
    if (ec) return op->finish("resolve: " + ec.message());
    op->stream.expires_after(op->timeout);
    op->stream.async_connect(results, [op](beast::error_code cec, auto) {
      if (cec) return op->finish("connect: " + cec.message());
      http::async_write(op->stream, op->req, [op](beast::error_code wec, auto) {
        if (wec) return op->finish("write: " + wec.message());
        http::async_read(op->stream, op->buffer, op->parser, [op](beast::error_code rec, auto) {
          op->finish(rec ? "read: " + rec.message() : std::string());
        });
      });
    });
  });
}

}  // namespace tickwire::net
