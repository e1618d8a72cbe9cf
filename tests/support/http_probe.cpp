#include "http_probe.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cmath>
#include <sstream>

namespace tickwire::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

HttpReply http_raw(unsigned short port, const std::string& request,
                   std::chrono::milliseconds timeout) {
  HttpReply out;
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  stream.expires_after(timeout);
  stream.async_connect({asio::ip::make_address("127.0.0.1"), port}, [&](beast::error_code ec) {
    if (ec) {
      out.error = "connect: " + ec.message();
      return;
    }
    asio::async_write(stream, asio::buffer(request), [&](beast::error_code wec, std::size_t) {
      if (wec) {
        out.error = "write: " + wec.message();
        return;
      }
      http::async_read(stream, buffer, parser, [&](beast::error_code rec, std::size_t) {
        if (rec) {
          out.error = "read: " + rec.message();
          return;
        }
        out.ok = true;
      });
    });
  });
  ioc.run();
  if (out.ok) {
    const auto& res = parser.get();
    out.status = res.result_int();
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(f.value());
    }
    out.body = res.body();
  }
  return out;
}

HttpReply http_get(unsigned short port, const std::string& target,
                   std::chrono::milliseconds timeout) {
  return http_raw(port,
                  "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                  timeout);
}

double metric_value(const std::string& exposition, const std::string& series) {
  std::istringstream in(exposition);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nan("");
}

double scrape(unsigned short port, const std::string& series) {
  const auto r = http_get(port, "/metrics");
  return r.ok ? metric_value(r.body, series) : std::nan("");
}

}  // namespace tickwire::test
