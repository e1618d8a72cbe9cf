#include "scripted_feed.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <condition_variable>
#include <list>
#include <random>
#include <sstream>
#include <sys/socket.h>
#include <thread>

#include "tickwire/quote_json.hpp"
#include "tickwire/sse.hpp"

namespace tickwire::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct ScriptedFeed::Impl {
  ScriptedFeed& owner;
  std::vector<std::string> symbols;
  std::chrono::milliseconds tick;
  const std::uint64_t epoch = static_cast<std::uint64_t>(
      std::chrono::system_clock::now().time_since_epoch().count() & 0xFFFFFFFFFFFF);

  asio::io_context ioc;
  tcp::acceptor acceptor{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
  std::atomic<bool> stopping{false};

  mutable std::mutex mu;
  std::condition_variable ticked;
  std::map<std::string, Quote> market;
  std::uint64_t event_n = 0;
  Fault next_fault = Fault::none;
  int fault_after_quotes = 0;
  std::list<tcp::socket> sockets;  // every accepted connection, closed at shutdown

  std::thread acceptor_thread, market_thread;
  std::vector<std::thread> connections;

  Impl(ScriptedFeed& o, std::vector<std::string> s, std::chrono::milliseconds t)
      : owner(o), symbols(std::move(s)), tick(t) {
    const auto now = unix_us();
    double price = 100;
    for (const auto& sym : symbols) {
      Quote q;
      q.symbol = sym;
      q.seq = 1;
      q.ts = now;
      q.last = q.open = q.high = q.low = q.prev_close = price;
      q.bid = price - 0.01;
      q.ask = price + 0.01;
      market[sym] = q;
      price += 50;
    }
    market_thread = std::thread([this] { run_market(); });
    acceptor_thread = std::thread([this] { accept_loop(); });
  }

  ~Impl() {
    stopping = true;
    ticked.notify_all();
    // shutdown() wakes the blocked accept() (close() from another thread would not).
    ::shutdown(acceptor.native_handle(), SHUT_RDWR);
    {
      std::lock_guard lock(mu);
      // The OS call, not the socket's: the connection threads still use their sockets.
      for (auto& s : sockets) ::shutdown(s.native_handle(), SHUT_RDWR);
    }
    acceptor_thread.join();
    market_thread.join();
    for (auto& t : connections) t.join();
  }

  static std::int64_t unix_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  void run_market() {
    std::mt19937 rng(7);
    std::normal_distribution<double> step(0, 0.05);
    while (!stopping) {
      std::this_thread::sleep_for(tick);
      if (owner.paused_) continue;
      std::lock_guard lock(mu);
      for (auto& [sym, q] : market) {
        ++q.seq;
        q.ts = unix_us();
        q.last = std::max(0.01, std::round((q.last + step(rng)) * 100) / 100);
        q.high = std::max(q.high, q.last);
        q.low = std::min(q.low, q.last);
        q.bid = q.last - 0.01;
        q.ask = q.last + 0.01;
        q.volume += 100;
      }
      ticked.notify_all();
    }
  }

  void accept_loop() {
    while (!stopping) {
      tcp::socket s(ioc);
      boost::system::error_code ec;
      acceptor.accept(s, ec);
      if (ec) return;
      std::lock_guard lock(mu);
      sockets.push_back(std::move(s));
      auto* sock = &sockets.back();
      connections.emplace_back([this, sock] { serve(*sock); });
    }
  }

  // Chunked transfer encoding by hand: the faults below need to break it on purpose.
  static std::string chunk(std::string_view data) {
    std::ostringstream out;
    out << std::hex << data.size() << "\r\n" << data << "\r\n";
    return out.str();
  }

  bool send(tcp::socket& s, std::string_view bytes) {
    boost::system::error_code ec;
    asio::write(s, asio::buffer(bytes), ec);
    return !ec && !stopping;
  }

  void serve(tcp::socket& s) {
    asio::streambuf request;
    boost::system::error_code ec;
    asio::read_until(s, request, "\r\n\r\n", ec);
    if (ec) return;
    std::string line;
    std::istream in(&request);
    std::getline(in, line);
    if (line.starts_with("GET /v1/symbols")) return serve_symbols(s);
    if (line.starts_with("GET /v1/stream?symbols=")) {
      const auto start = line.find('=') + 1;
      std::vector<std::string> wanted;
      std::stringstream list(line.substr(start, line.find(' ', start) - start));
      for (std::string sym; std::getline(list, sym, ',');) wanted.push_back(sym);
      return serve_stream(s, wanted);
    }
    send(s, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  }

  void serve_symbols(tcp::socket& s) {
    std::string body = R"({"symbols":[)";
    for (std::size_t i = 0; i < symbols.size(); ++i) {
      if (i) body += ',';
      body += R"({"symbol":")" + symbols[i] + R"(","name":")" + symbols[i] + R"( Inc."})";
    }
    body += "]}";
    send(s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  }

  std::string next_id() { return std::to_string(epoch) + "." + std::to_string(++event_n); }

  void serve_stream(tcp::socket& s, const std::vector<std::string>& wanted) {
    ++owner.stream_connections_;
    Fault fault = Fault::none;
    int fault_at = 0;
    std::string snapshot;
    std::map<std::string, std::uint64_t> sent;
    {
      std::lock_guard lock(mu);
      std::vector<std::string> encoded;
      for (const auto& sym : wanted) {
        if (const auto it = market.find(sym); it != market.end()) {
          encoded.push_back(encode_quote(it->second));
          sent[sym] = it->second.seq;
        }
      }
      std::vector<std::string_view> views(encoded.begin(), encoded.end());
      snapshot = sse::event("snapshot", next_id(), encode_snapshot(views));
    }
    if (!send(s, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: "
                 "no-cache\r\nTransfer-Encoding: chunked\r\n\r\n") ||
        !send(s, chunk(snapshot))) {
      return;
    }
    int quotes = 0;
    while (!stopping) {
      std::string batch;
      {
        std::unique_lock lock(mu);
        ticked.wait_for(lock, std::chrono::milliseconds(500));
        if (next_fault != Fault::none && fault == Fault::none) {
          // This connection takes the fault, counting quotes from now.
          fault = std::exchange(next_fault, Fault::none);
          fault_at = quotes + fault_after_quotes;
        }
        for (const auto& sym : wanted) {
          const auto it = market.find(sym);
          if (it == market.end() || it->second.seq <= sent[sym]) continue;
          sent[sym] = it->second.seq;
          batch += sse::event("quote", next_id(), encode_quote(it->second));
          ++quotes;
        }
      }
      if (batch.empty()) batch = sse::comment("heartbeat");
      if (fault != Fault::none && quotes > fault_at) return misbehave(s, fault, batch);
      if (!send(s, chunk(batch))) return;
    }
  }

  void misbehave(tcp::socket& s, Fault fault, const std::string& batch) {
    ++owner.faults_done_;
    boost::system::error_code ec;
    switch (fault) {
      case Fault::cut_mid_event:
        // Half of the events, inside a well-formed chunk, then a reset.
        send(s, chunk(batch.substr(0, batch.size() / 2)));
        s.set_option(asio::socket_base::linger(true, 0), ec);
        break;
      case Fault::garbage: {
        std::string junk = "data: {\"symbol\":\"AAPL\",\"seq\":\x01\xff\n\nevent: quote\ndata: ";
        std::mt19937 rng(11);
        for (int i = 0; i < 4096; ++i) junk += static_cast<char>(rng() & 0xFF);
        junk += "\n\nevent: quote\ndata: {\"symbol\":\"AAPL\",\"seq\":-3}\n\n";
        send(s, chunk(junk));
        break;
      }
      case Fault::truncated_chunk: {
        // A chunk header promising more than follows, then the end of the connection.
        std::ostringstream head;
        head << std::hex << batch.size() + 1000 << "\r\n";
        send(s, head.str() + batch);
        break;
      }
      case Fault::endless_line: {
        send(s, chunk("event: quote\ndata: {\"symbol\":\"AAPL\",\"name\":\""));
        const std::string filler(64 * 1024, 'x');
        for (int i = 0; i < 1024 && send(s, chunk(filler)); ++i) {
        }
        break;
      }
      case Fault::none:
        break;
    }
    s.close(ec);
  }
};

ScriptedFeed::ScriptedFeed(std::vector<std::string> symbols, std::chrono::milliseconds tick)
    : impl_(std::make_unique<Impl>(*this, std::move(symbols), tick)) {}

ScriptedFeed::~ScriptedFeed() = default;

unsigned short ScriptedFeed::port() const { return impl_->acceptor.local_endpoint().port(); }

void ScriptedFeed::inject(Fault fault, int after_quotes) {
  std::lock_guard lock(impl_->mu);
  impl_->next_fault = fault;
  impl_->fault_after_quotes = after_quotes;
}

Quote ScriptedFeed::latest(const std::string& symbol) const {
  std::lock_guard lock(impl_->mu);
  return impl_->market.at(symbol);
}

}  // namespace tickwire::test
