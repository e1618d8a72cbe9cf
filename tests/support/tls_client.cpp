#include "tls_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <optional>

namespace tickwire::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;

namespace {

ssl::context client_context(const std::string& ca_file) {
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_verify_mode(ssl::verify_peer);
  ctx.load_verify_file(ca_file);
  return ctx;
}

}  // namespace

HttpReply https_get(unsigned short port, const std::string& ca_file, const std::string& target,
                    const std::string& headers, std::chrono::milliseconds timeout) {
  HttpReply reply;
  asio::io_context ioc;
  auto ctx = client_context(ca_file);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  beast::get_lowest_layer(stream).expires_after(timeout);
  beast::error_code ec;
  beast::get_lowest_layer(stream).connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (!ec) stream.handshake(ssl::stream_base::client, ec);
  if (ec) {
    reply.error = "handshake: " + ec.message();
    return reply;
  }
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                              "Connection: close\r\n\r\n";
  asio::write(stream, asio::buffer(request), ec);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  if (!ec) http::read(stream, buffer, res, ec);
  if (ec) {
    reply.error = "exchange: " + ec.message();
    return reply;
  }
  reply.ok = true;
  reply.status = res.result_int();
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name] = std::string(f.value());
  }
  reply.body = std::move(res.body());
  return reply;
}

unsigned wss_upgrade_status(unsigned short port, const std::string& ca_file,
                            const std::string& target) {
  asio::io_context ioc;
  auto ctx = client_context(ca_file);
  beast::websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(ioc, ctx);
  beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(5));
  beast::error_code ec;
  beast::get_lowest_layer(ws).connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  ws.next_layer().set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  if (!ec) ws.next_layer().handshake(ssl::stream_base::client, ec);
  if (ec) return 0;
  beast::websocket::response_type res;
  ws.handshake(res, "127.0.0.1", target, ec);  // a refusal is an error; its status is in res
  return res.result_int();
}

struct WssClient::Impl {
  asio::io_context ioc;
  ssl::context ctx;
  beast::websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws;
  beast::flat_buffer buffer;
  bool reading = false;
  bool closed = false;
  std::optional<std::string> received;  // the message the last read completed with

  explicit Impl(const std::string& ca_file) : ctx(client_context(ca_file)), ws(ioc, ctx) {}
};

WssClient::WssClient(unsigned short port, const std::string& ca_file, const std::string& target)
    : impl_(std::make_unique<Impl>(ca_file)) {
  auto& ws = impl_->ws;
  beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(5));
  beast::get_lowest_layer(ws).connect({asio::ip::make_address("127.0.0.1"), port});
  ws.next_layer().set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  ws.next_layer().handshake(ssl::stream_base::client);
  beast::get_lowest_layer(ws).expires_never();
  ws.handshake("127.0.0.1", target);
}

WssClient::~WssClient() = default;

void WssClient::send(const std::string& text) {
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(text));
}

bool WssClient::closed() const { return impl_->closed; }

std::optional<std::string> WssClient::next_text(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto& m = *impl_;
  while (!m.closed && std::chrono::steady_clock::now() < deadline) {
    if (!m.reading) {  // a read that outlived the last call's timeout is still waited for
      m.reading = true;
      m.buffer.clear();
      m.ws.async_read(m.buffer, [&m](beast::error_code ec, std::size_t) {
        m.reading = false;
        if (ec) {
          m.closed = true;
          return;
        }
        m.received = beast::buffers_to_string(m.buffer.data());
      });
    }
    m.ioc.restart();
    m.ioc.run_one_until(deadline);
    if (m.received) return std::exchange(m.received, std::nullopt);
  }
  return std::nullopt;
}

boost::json::object WssClient::next(const std::string& type, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {};
    const auto text = next_text(left);
    if (!text) return {};
    boost::system::error_code ec;
    auto v = boost::json::parse(*text, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto* t = o ? o->if_contains("type") : nullptr;
    if (t && t->is_string() && t->get_string() == type) return std::move(v.as_object());
  }
}

}  // namespace tickwire::test
