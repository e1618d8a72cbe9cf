#include "sse_swarm.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "tickwire/quote_json.hpp"
#include "tickwire/sse.hpp"

namespace tickwire::test {

namespace asio = boost::asio;

struct SseSwarm::Conn {
  Conn(asio::io_context& ioc, Spec s, Client& c)
      : spec(std::move(s)),
        client(c),
        socket(ioc),
        retry(ioc),
        parser([this](const sse::Event& e) { on_event(e); }) {}

  Spec spec;
  Client& client;
  asio::ip::tcp::socket socket;
  asio::steady_timer retry;
  sse::Parser parser;
  std::size_t port_index = 0;
  std::string request;
  std::string head;
  bool in_body = false;
  char buf[16384];

  void connect() {
    client.port = spec.ports[port_index % spec.ports.size()];
    std::string symbols;
    for (const auto& s : spec.symbols) symbols += (symbols.empty() ? "" : ",") + s;
    request = "GET /v1/stream?symbols=" + symbols + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!parser.last_event_id().empty()) {
      request += "Last-Event-ID: " + parser.last_event_id() + "\r\n";
    }
    request += "\r\n";
    head.clear();
    in_body = false;
    parser.reset_stream();
    boost::system::error_code ec;
    socket.close(ec);
    socket.async_connect({asio::ip::make_address("127.0.0.1"), client.port},
                         [this](boost::system::error_code e) {
                           if (e) return lost();
                           asio::async_write(socket, asio::buffer(request),
                                             [this](boost::system::error_code we, std::size_t) {
                                               if (we) return lost();
                                               read();
                                             });
                         });
  }

  void read() {
    socket.async_read_some(asio::buffer(buf), [this](boost::system::error_code ec, std::size_t n) {
      if (ec) return lost();
      std::string_view chunk(buf, n);
      if (!in_body) {
        head.append(chunk);
        const auto end = head.find("\r\n\r\n");
        if (end == std::string::npos) return read();
        if (head.rfind("HTTP/1.1 200", 0) != 0) return lost();
        in_body = true;
        client.connected = true;
        ++client.connects;
        parser.feed(std::string_view(head).substr(end + 4));
      } else {
        parser.feed(chunk);
      }
      read();
    });
  }

  void lost() {
    if (client.connected) ++client.losses;
    client.connected = false;
    boost::system::error_code ec;
    socket.close(ec);
    if (!spec.follow && client.connects > 0) return;
    ++port_index;  // the next server (a load balancer would do this for a browser)
    retry.expires_after(std::chrono::milliseconds(200));
    retry.async_wait([this](boost::system::error_code e) {
      if (!e) connect();
    });
  }

  void take(const Quote& q, bool in_snapshot) {
    auto [it, fresh] = client.seq.try_emplace(q.symbol, q.seq);
    if (!fresh) {
      if (q.seq < it->second) ++client.backwards;
      if (q.seq == it->second && !in_snapshot) ++client.repeats;
      if (q.seq <= it->second) return;
      it->second = q.seq;
    }
    client.advanced[q.symbol] = Clock::now();
  }

  void on_event(const sse::Event& e) {
    if (e.type == "snapshot") {
      if (auto qs = decode_snapshot(e.data)) {
        ++client.snapshots;
        client.last_snapshot_size = qs->size();
        for (const auto& q : *qs) take(q, true);
      }
    } else if (e.type == "quote") {
      if (auto q = decode_quote(e.data)) {
        ++client.quotes;
        take(*q, false);
      }
    } else if (e.type == "status") {
      client.statuses.push_back(e.data.find("\"stale\"") != std::string::npos ? "stale" : "live");
    }
  }
};

SseSwarm::SseSwarm(std::vector<Spec> specs) : clients_(specs.size()) {
  for (std::size_t i = 0; i < specs.size(); ++i) {
    clients_[i].symbols = specs[i].symbols;
    conns_.push_back(std::make_unique<Conn>(ioc_, std::move(specs[i]), clients_[i]));
  }
}

SseSwarm::~SseSwarm() = default;

void SseSwarm::start() {
  for (auto& c : conns_) c->connect();
}

bool SseSwarm::pump_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    ioc_.restart();
    ioc_.run_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace tickwire::test
