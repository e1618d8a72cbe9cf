#include "nchan_publisher.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <random>
#include <unordered_map>

#include "load_worker.hpp"

namespace tickwire::bench {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

struct Publisher;

struct Link {
  explicit Link(asio::io_context& ioc) : socket(ioc) {}
  tcp::socket socket;
  std::string request;
  std::string response;
  bool busy = false;
  bool up = false;
};

struct Publisher {
  Publisher(const std::string& h, unsigned short p, const std::vector<std::string>& u, double r,
            std::int64_t until, std::uint64_t seed)
      : host(h), port(p), universe(u), rate(r), until_us(until), rng(seed), tick(ioc) {}

  void run() {
    // nchan answers a publish once the message is handed to its subscribers, so each request
    // takes milliseconds under load: enough connections in flight to hold the rate (8 held
    // only ~450/s with 10,000 subscribers).
    for (int i = 0; i < 128; ++i) links.push_back(std::make_unique<Link>(ioc));
    for (auto& l : links) connect(*l);
    started = std::chrono::steady_clock::now();
    arm();
    ioc.run();
  }

  void connect(Link& l) {
    l.socket.async_connect({asio::ip::make_address(host), port}, [this, &l](boost::system::error_code ec) {
      if (ec) {
        ++result.errors;
        return;
      }
      l.up = true;
    });
  }

  void arm() {
    tick.expires_after(std::chrono::milliseconds(1));
    tick.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      if (unix_micros() >= until_us) return ioc.stop();
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const auto due = static_cast<std::uint64_t>(elapsed * rate);
      while (sent < due) {
        Link* idle = nullptr;
        for (auto& l : links) {
          if (l->up && !l->busy) {
            idle = l.get();
            break;
          }
        }
        if (!idle) {
          result.behind += due - sent;
          sent = due;  // dropped, as a feed would be that outruns its publisher
          break;
        }
        send(*idle);
        ++sent;
      }
      arm();
    });
  }

  void send(Link& l) {
    const auto& symbol = universe[std::uniform_int_distribution<std::size_t>(0, universe.size() - 1)(rng)];
    // The shape and size of a Tickwire quote.
    const std::string body = "{\"symbol\":\"" + symbol + "\",\"seq\":" + std::to_string(++seq[symbol]) +
                             ",\"ts\":" + std::to_string(unix_micros()) +
                             ",\"last\":123.45,\"bid\":123.44,\"ask\":123.46,\"bidSize\":100,"
                             "\"askSize\":200,\"volume\":123400,\"open\":122.1,\"high\":124.0,"
                             "\"low\":121.9,\"prevClose\":122.0,\"change\":1.45,\"changePct\":1.19}";
    l.request = "POST /pub/" + symbol + " HTTP/1.1\r\nHost: " + host +
                "\r\nContent-Type: application/json\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body;
    l.busy = true;
    asio::async_write(l.socket, asio::buffer(l.request), [this, &l](boost::system::error_code ec, std::size_t) {
      if (ec) return lost(l);
      read_response(l);
    });
  }

  void read_response(Link& l) {
    l.response.clear();
    asio::async_read_until(l.socket, asio::dynamic_buffer(l.response), "\r\n\r\n",
                           [this, &l](boost::system::error_code ec, std::size_t head) {
                             if (ec) return lost(l);
                             // nchan answers with a small body: read it by Content-Length.
                             const auto at = l.response.find("Content-Length: ");
                             const std::size_t len =
                                 at == std::string::npos || at > head ? 0 : std::stoul(l.response.substr(at + 16));
                             const bool ok = l.response.compare(9, 1, "2") == 0;
                             const std::size_t have = l.response.size() - head;
                             auto finish = [this, &l, ok] {
                               ok ? ++result.published : ++result.errors;
                               l.busy = false;
                             };
                             if (have >= len) return finish();
                             l.response.erase(0, head);
                             asio::async_read(l.socket, asio::dynamic_buffer(l.response),
                                              asio::transfer_exactly(len - have),
                                              [this, &l, finish](boost::system::error_code e, std::size_t) {
                                                if (e) return lost(l);
                                                finish();
                                              });
                           });
  }

  void lost(Link& l) {
    ++result.errors;
    l.up = false;
    l.busy = false;
  }

  std::string host;
  unsigned short port;
  const std::vector<std::string>& universe;
  double rate;
  std::int64_t until_us;
  std::mt19937_64 rng;
  asio::io_context ioc{1};
  asio::steady_timer tick;
  std::vector<std::unique_ptr<Link>> links;
  std::chrono::steady_clock::time_point started;
  std::uint64_t sent = 0;
  std::unordered_map<std::string, std::uint64_t> seq;  // per symbol, as an exchange numbers quotes
  PublisherResult result;
};

}  // namespace

PublisherResult run_publisher(const std::string& host, unsigned short port,
                              const std::vector<std::string>& universe, double rate,
                              std::int64_t until_unix_us, std::uint64_t seed) {
  Publisher p(host, port, universe, rate, until_unix_us, seed);
  p.run();
  return p.result;
}

}  // namespace tickwire::bench
