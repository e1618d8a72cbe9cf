#include "load_worker.hpp"

#include <netinet/in.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <charconv>
#include <memory>
#include <string_view>

#include "stream/ws_frame.hpp"
#include "tls_client_context.hpp"

namespace tickwire::bench {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::int64_t unix_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

constexpr std::size_t kReadSize = 16384;  // the most one read takes

// Linux: choose the source port at connect() instead of bind(), so one source address serves
// many destinations' worth of ports (no IP_BIND_ADDRESS_NO_PORT in Asio's portable options).
struct BindNoPort {
  int value = 1;
  template <class P> int level(const P&) const { return IPPROTO_IP; }
  template <class P> int name(const P&) const { return IP_BIND_ADDRESS_NO_PORT; }
  template <class P> const void* data(const P&) const { return &value; }
  template <class P> std::size_t size(const P&) const { return sizeof(value); }
};

class Worker;

// One client connection: SSE (request, response head, then events scanned as they arrive) or
// WebSocket (upgrade, then the socket read in large pieces and its frames parsed in place, as
// lean as the SSE side, so that the two transports are compared on the server's cost and not on
// the generator's). The scan is deliberately lean (event
// boundaries and the `ts` field only): the generator shares the machine's two cores with the
// server it measures.
// With --tls-ca, either runs over TLS: Asio's ssl::stream over the same socket, made when the
// connection starts (a plain connection carries only the empty pointer). Asio's stream holds two
// 17 KiB buffers and the OpenSSL BIO pair under it two more, whatever the traffic: about 75 KB of
// resident memory per idle client here (9,500 per worker: ~700 MB), the price of staying on the
// library for a measuring tool; this machine has room for it.
class Conn {
 public:
  Conn(Worker& w, asio::io_context& ioc, std::size_t index, bool slow)
      : w_(w), socket_(ioc), timer_(ioc), index_(index), slow_(slow) {}
  void start();
  bool open() const { return open_; }
  // Churn: the client hangs up. Its gaps so far stay counted; the handlers still queued (aborted
  // by the close) find it retired and return, and the worker frees it once they have run.
  void retire();

 private:
  enum class Stage { connecting, handshaking, talking };  // where a connection failed
  void send_request();
  void read();
  void ws_start();
  void ws_read();
  bool ws_frames(std::string_view data);  // false once the connection ended
  void on_ws_message(std::string_view text);
  void take(std::string_view text, bool snapshot);
  // Notes the seq of `symbol` and returns how many seqs were skipped since the last one seen.
  std::uint64_t follow(std::string_view symbol, std::uint64_t seq);
  void on_data(std::string_view data);
  void on_event(std::string_view block);
  void fail(Stage stage, const boost::system::error_code& ec = {});

  // The next bytes of the stream, up to `cap`, passed to `h(ec, data)`; `data` lives until `h`
  // returns. A plain connection reads (waiting for readability when there is nothing) into the
  // worker's one buffer (the io_context runs on one thread, so one buffer serves every connection): an idle
  // client then costs its socket and a few hundred bytes here, not a 16 KiB buffer of its own,
  // which is what lets a million of them fit beside the server on one machine. TLS reads through
  // Asio's stream into a buffer of the connection's (it holds ~75 KB of its own anyway).
  template <class Handler> void async_read_chunk(std::size_t cap, Handler&& h);
  template <class Buffers, class Handler> void async_write_all(const Buffers& b, Handler&& h) {
    if (tls_) return asio::async_write(*tls_, b, std::forward<Handler>(h));
    asio::async_write(socket_, b, std::forward<Handler>(h));
  }
  template <class Buffers> void write_now(const Buffers& b, boost::system::error_code& ec) {
    if (tls_) {
      asio::write(*tls_, b, ec);
    } else {
      asio::write(socket_, b, ec);
    }
  }

  Worker& w_;
  tcp::socket socket_;
  std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls_;  // with --tls-ca; after socket_
  asio::steady_timer timer_;
  std::size_t index_;
  bool slow_;
  bool open_ = false;
  bool retired_ = false;
  bool in_body_ = false;
  std::string request_;
  std::string pending_;  // bytes of an event (or the head) not complete yet
  std::vector<std::pair<std::string, std::uint64_t>> last_seq_;  // per symbol (a handful)
  bool quoted_in_window_ = false;  // a quote arrived in the window (counted once)
  int read_depth_ = 0;             // async_read_chunk: reads delivered on one stack
  std::unique_ptr<char[]> tls_buf_;  // TLS only: where the stream decrypts to
  std::unique_ptr<tickwire::stream::ws::FrameReader> frames_;  // WebSocket: the server's frames
};

class Worker {
 public:
  explicit Worker(const WorkerPlan& p)
      : plan(p),
        tls(p.tls_ca.empty() ? nullptr : make_tls_client_context(p.tls_ca, p.host)),
        ramp_timer(ioc),
        window_timer(ioc),
        churn_timer(ioc) {}

  void run() {
    const std::size_t n = plan.subs.size();
    for (std::size_t i = 0; i < n; ++i) conns.push_back(std::make_unique<Conn>(*this, ioc, i, is_slow(i)));
    ramp();
    // Window edges: the count of open connections at its start and end.
    arm_at(plan.measure_start_us, [this] { result.held_at_start = open_count(); });
    if (plan.churn_per_second > 0) arm_at(plan.churn_start_us, [this] { churn(); });
    arm_end();
    ioc.run();
  }

  void ramp() {
    // Connect at ramp_per_second, in steps about 10 ms apart. What is due follows the clock, not
    // the count of steps: on a loaded machine the timer fires late (at a load of 100, stepping
    // by count held each worker to ~40 connections a second instead of 100).
    const auto now = unix_micros();
    if (!ramp_start_us) ramp_start_us = now;
    const auto due = std::min<std::size_t>(
        conns.size(), 1 + static_cast<std::size_t>(plan.ramp_per_second *
                                                   static_cast<double>(now - ramp_start_us) / 1e6));
    while (next < due) conns[next++]->start();
    if (next >= conns.size()) return;
    ramp_timer.expires_after(std::chrono::milliseconds(10));
    ramp_timer.async_wait([this](boost::system::error_code ec) {
      if (!ec) ramp();
    });
  }

  // Connection i reads slowly: every (1 / slow_fraction)-th by global index, so a replacement
  // made for churn is as slow as the connection it replaces.
  bool is_slow(std::size_t i) const {
    const std::size_t slow_every =
        plan.slow_fraction > 0 ? static_cast<std::size_t>(1.0 / plan.slow_fraction) : 0;
    return slow_every && (plan.first_index + i) % slow_every == 0;
  }

  // About every 100 ms until churn_end_us: close the next open connections in turn (round robin
  // over the slots, so each lives about slots / rate seconds) and open a new one in each slot.
  // What is due follows the clock, not the count of ticks: on a loaded machine the timer runs
  // late (counting ticks gave ~60 of 100 per second in the first full soak).
  void churn() {
    const auto now = unix_micros();
    if (now >= plan.churn_end_us) return;
    // Retired connections whose aborted handlers have long run (they run at once, in order).
    std::erase_if(retired, [now](const auto& r) { return now - r.first > 2'000'000; });
    const auto since = churn_last_us ? now - churn_last_us : 100'000;
    churn_last_us = now;
    churn_due += plan.churn_per_second * static_cast<double>(since) / 1e6;
    for (std::size_t looked = 0; churn_due >= 1.0 && looked < conns.size(); ++looked) {
      const auto slot = churn_cursor;
      churn_cursor = (churn_cursor + 1) % conns.size();
      if (!conns[slot]->open()) continue;  // still connecting, or failed: not a held connection
      conns[slot]->retire();
      retired.emplace_back(now, std::move(conns[slot]));
      ++result.churn_closed;
      conns[slot] = std::make_unique<Conn>(*this, ioc, slot, is_slow(slot));
      conns[slot]->start();
      ++result.churn_opened;
      churn_due -= 1.0;
    }
    churn_due = std::min(churn_due, plan.churn_per_second);  // none open: no burst past 1 s
    churn_timer.expires_after(std::chrono::milliseconds(100));
    churn_timer.async_wait([this](boost::system::error_code ec) {
      if (!ec) churn();
    });
  }

  template <class F> void arm_at(std::int64_t unix_us, F f) {
    auto t = std::make_shared<asio::steady_timer>(ioc);
    t->expires_after(std::chrono::microseconds(std::max<std::int64_t>(0, unix_us - unix_micros())));
    t->async_wait([t, f](boost::system::error_code ec) {
      if (!ec) f();
    });
  }

  void arm_end() {
    window_timer.expires_after(
        std::chrono::microseconds(std::max<std::int64_t>(0, plan.measure_end_us - unix_micros())));
    window_timer.async_wait([this](boost::system::error_code) {
      result.held_at_end = open_count();
      // Connections stay open (reading) until the server's counters have been read, so the
      // quotes in flight reach them and the counters exclude the work of everyone closing.
      close_when_counted();
    });
  }

  void close_when_counted() {
    if (unix_micros() >= count_until() + 300'000) return ioc.stop();
    window_timer.expires_after(std::chrono::milliseconds(50));
    window_timer.async_wait([this](boost::system::error_code ec) {
      if (!ec) close_when_counted();
    });
  }

  std::int64_t count_until() const { return plan.count_until->value.load(std::memory_order_acquire); }

  // A 200 (or 101) answer: the first time every planned connection has had one is when this
  // worker finished connecting.
  void answered() {
    if (++result.connected == plan.subs.size() && !result.all_connected_us) {
      result.all_connected_us = static_cast<std::uint64_t>(unix_micros());
    }
  }

  void received(std::size_t n, bool slow) {
    result.bytes += n;
    if (slow) return;
    fast_bytes += n;
    plan.progress->value.store(static_cast<std::int64_t>(fast_bytes), std::memory_order_relaxed);
  }

  std::uint64_t open_count() const {
    std::uint64_t n = 0;
    for (const auto& c : conns) n += c->open() ? 1 : 0;
    return n;
  }

  bool in_window(std::int64_t now) const {
    return now >= plan.measure_start_us && now < plan.measure_end_us;
  }

  const WorkerPlan& plan;
  const std::unique_ptr<asio::ssl::context> tls;  // with --tls-ca: every connection's context
  asio::io_context ioc{1};
  asio::steady_timer ramp_timer;
  asio::steady_timer window_timer;
  asio::steady_timer churn_timer;
  std::vector<std::unique_ptr<Conn>> conns;
  std::vector<std::pair<std::int64_t, std::unique_ptr<Conn>>> retired;  // unix µs retired, conn
  std::size_t next = 0;
  std::int64_t ramp_start_us = 0;
  std::size_t churn_cursor = 0;
  double churn_due = 0;
  std::int64_t churn_last_us = 0;
  std::uint64_t fast_bytes = 0;
  WorkerResult result;
  char read_buf[kReadSize];  // every plain connection's reads (Conn::async_read_chunk)
};

template <class Handler> void Conn::async_read_chunk(std::size_t cap, Handler&& h) {
  if (tls_) {
    if (!tls_buf_) tls_buf_ = std::make_unique<char[]>(kReadSize);
    return tls_->async_read_some(
        asio::buffer(tls_buf_.get(), std::min(cap, kReadSize)),
        [this, h = std::forward<Handler>(h)](boost::system::error_code ec, std::size_t n) mutable {
          h(ec, std::string_view(tls_buf_.get(), n));
        });
  }
  // Read what is there first, then wait: Asio's reactor forgets a readiness that came while no
  // wait was queued (an answer that arrives before the request's write handler has run), and a
  // wait alone then sleeps until the next bytes come, a heartbeat later.
  boost::system::error_code ec;
  const auto n = socket_.read_some(asio::buffer(w_.read_buf, std::min(cap, kReadSize)), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    return socket_.async_wait(
        tcp::socket::wait_read,
        [this, cap, h = std::forward<Handler>(h)](boost::system::error_code we) mutable {
          if (we) return h(we, std::string_view());
          async_read_chunk(cap, std::move(h));
        });
  }
  if (++read_depth_ > 16) {
    // Data kept coming on this stack: go on from a fresh one, with a copy of the bytes (the
    // shared buffer is another connection's by then).
    read_depth_ = 0;
    return asio::post(socket_.get_executor(), [this, cap, h = std::forward<Handler>(h), ec,
                                               data = std::string(w_.read_buf, n)]() mutable {
      h(ec, std::string_view(data));
    });
  }
  h(ec, std::string_view(w_.read_buf, n));
  read_depth_ = 0;
}

void Conn::start() {
  const auto& plan = w_.plan;
  std::string list;
  for (const auto& s : plan.subs[index_]) list += (list.empty() ? "" : ",") + s;
  if (plan.target == Target::tickwire) {
    request_ = "GET /v1/stream?symbols=" + list + " HTTP/1.1\r\nHost: " + plan.host + "\r\n\r\n";
  } else {
    // HTTP/1.0: nchan then streams the body as is (no chunked encoding to undo).
    request_ = "GET /sub/" + list + " HTTP/1.0\r\nHost: " + plan.host +
               "\r\nAccept: text/event-stream\r\n\r\n";
  }
  boost::system::error_code ec;
  const tcp::endpoint server(asio::ip::make_address(plan.host), plan.port);
  socket_.open(server.protocol(), ec);
  if (ec) return fail(Stage::connecting);
  if (slow_) socket_.set_option(asio::socket_base::receive_buffer_size(4096), ec);
  socket_.non_blocking(true, ec);  // async_read_chunk's read after the wait must not block
  if (ec) return fail(Stage::connecting);
  if (!plan.source_ips.empty()) {
    const auto& ip = plan.source_ips[(plan.first_index + index_) % plan.source_ips.size()];
    socket_.set_option(BindNoPort{}, ec);
    socket_.bind({asio::ip::make_address(ip), 0}, ec);
    if (ec) return fail(Stage::connecting);
  }
  if (w_.tls) tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, *w_.tls);
  socket_.async_connect(server, [this](boost::system::error_code e) {
    if (e) return fail(Stage::connecting, e);
    if (!tls_) return send_request();
    tls_->async_handshake(asio::ssl::stream_base::client, [this](boost::system::error_code he) {
      if (he) return fail(Stage::handshaking, he);
      send_request();
    });
  });
}

void Conn::send_request() {
  if (w_.plan.transport == Transport::websocket) return ws_start();
  async_write_all(asio::buffer(request_), [this](boost::system::error_code we, std::size_t) {
    if (we) return fail(Stage::talking, we);
    read();
  });
}

void Conn::ws_start() {
  // The upgrade by hand (a fixed key; the answer's accept value is not checked: this is a load
  // generator), so that frames the server sends right after the 101 are read here, not left in
  // a handshake buffer.
  std::string list;
  for (const auto& s : w_.plan.subs[index_]) list += (list.empty() ? "" : ",") + s;
  request_ = "GET /v1/ws?symbols=" + list + " HTTP/1.1\r\nHost: " + w_.plan.host +
             "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  frames_ = std::make_unique<tickwire::stream::ws::FrameReader>(
      1 << 20, 1 << 24, tickwire::stream::ws::FrameReader::Role::client);
  async_write_all(asio::buffer(request_), [this](boost::system::error_code ec, std::size_t) {
    if (ec) return fail(Stage::talking, ec);
    ws_read();
  });
}

void Conn::ws_read() {
  async_read_chunk(slow_ ? 1024 : kReadSize, [this](boost::system::error_code ec, std::string_view data) {
    if (retired_) return;
    if (ec) {
      if (open_) ++w_.result.closed_by_server;
      if (w_.result.first_error.empty()) w_.result.first_error = ec.message();
      open_ = false;
      return;
    }
    w_.received(data.size(), slow_);
    if (!in_body_) {
      pending_.append(data);
      const auto end = pending_.find("\r\n\r\n");
      if (end == std::string::npos) return ws_read();
      if (pending_.compare(0, 12, "HTTP/1.1 101") != 0) {
        ++w_.result.http_errors;  // refused the upgrade
        if (w_.result.first_error.empty()) w_.result.first_error = pending_.substr(0, 40);
        boost::system::error_code ignored;
        socket_.close(ignored);
        return;
      }
      in_body_ = true;
      open_ = true;
      w_.answered();
      const std::string rest = pending_.substr(end + 4);
      std::string().swap(pending_);
      if (!ws_frames(rest)) return;
    } else if (!ws_frames(data)) {
      return;
    }
    if (!slow_) return ws_read();
    timer_.expires_after(w_.plan.slow_interval);
    timer_.async_wait([this](boost::system::error_code e) {
      if (!e) ws_read();
    });
  });
}

bool Conn::ws_frames(std::string_view data) {
  using Kind = tickwire::stream::ws::FrameReader::Kind;
  while (!data.empty()) {
    tickwire::stream::ws::FrameReader::Event ev;
    const auto used = frames_->feed(data, ev);
    data.remove_prefix(used);
    if (ev.kind == Kind::text) {
      on_ws_message(ev.payload);
    } else if (ev.kind == Kind::ping) {
      // The server pings a silent client: answer (a client frame must be masked; key 0).
      std::string pong{'\x8a', static_cast<char>(0x80 | ev.payload.size()), 0, 0, 0, 0};
      pong.append(ev.payload);
      boost::system::error_code ignored;
      write_now(asio::buffer(pong), ignored);
    } else if (ev.kind == Kind::close || ev.kind == Kind::error) {
      if (open_) ++w_.result.closed_by_server;
      open_ = false;
      boost::system::error_code ignored;
      socket_.close(ignored);
      return false;
    }
    if (used == 0) break;
  }
  return true;
}

void Conn::on_ws_message(std::string_view text) {
  // {"type":"snapshot",...,"quotes":[...]} or {"type":"quote",...,"quote":{..."ts":...}}; the
  // other types (status, errors, acks) carry no `ts`.
  take(text, text.find("\"type\":\"snapshot\"") != std::string_view::npos);
}

void Conn::take(std::string_view text, bool snapshot) {
  // Each quote object reads {"symbol":"...","seq":N,"ts":T,...} (both servers' shape). A
  // snapshot only sets where each symbol starts; any other message or event is one quote, timed
  // by its `ts` and checked for a seq gap.
  constexpr std::string_view sym_key = "\"symbol\":\"", seq_key = "\"seq\":", ts_key = "\"ts\":";
  const auto now = unix_micros();
  const bool count = !snapshot && w_.in_window(now);
  const bool count_missed = now < w_.count_until();
  for (std::size_t at = text.find(sym_key); at != std::string_view::npos;
       at = text.find(sym_key, at)) {
    at += sym_key.size();
    const auto sym_end = text.find('"', at);
    const auto seq_at = text.find(seq_key, at);
    const auto ts_at = text.find(ts_key, at);
    if (sym_end == std::string_view::npos || seq_at == std::string_view::npos ||
        ts_at == std::string_view::npos) {
      return;
    }
    std::uint64_t seq = 0;
    std::int64_t ts = 0;
    std::from_chars(text.data() + seq_at + seq_key.size(), text.data() + text.size(), seq);
    std::from_chars(text.data() + ts_at + ts_key.size(), text.data() + text.size(), ts);
    const auto skipped = follow(text.substr(at, sym_end - at), seq);
    if (snapshot) {
      ++w_.result.snapshot_quotes;
      continue;
    }
    if (count_missed) (slow_ ? w_.result.slow_missed : w_.result.missed) += skipped;
    if (!count) return;
    if (!quoted_in_window_) {
      quoted_in_window_ = true;
      ++w_.result.clients_with_quotes;
    }
    if (slow_) {
      ++w_.result.slow_deliveries;
      w_.result.slow_latency.record(now - ts);
    } else {
      ++w_.result.deliveries;
      w_.result.latency.record(now - ts);
    }
    return;
  }
}

std::uint64_t Conn::follow(std::string_view symbol, std::uint64_t seq) {
  for (auto& [s, last] : last_seq_) {
    if (s != symbol) continue;
    const auto skipped = seq > last + 1 ? seq - last - 1 : 0;
    last = std::max(last, seq);
    return skipped;
  }
  last_seq_.emplace_back(std::string(symbol), seq);
  return 0;
}

void Conn::read() {
  async_read_chunk(slow_ ? 1024 : kReadSize, [this](boost::system::error_code ec, std::string_view data) {
    if (retired_) return;
    if (ec) return fail(Stage::talking, ec);
    w_.received(data.size(), slow_);
    on_data(data);
    if (!socket_.is_open()) return;
    if (!slow_) return read();
    // A very slow reader: 1 KiB per interval, with a 4 KiB receive buffer.
    timer_.expires_after(w_.plan.slow_interval);
    timer_.async_wait([this](boost::system::error_code e) {
      if (!e) read();
    });
  });
}

void Conn::on_data(std::string_view data) {
  pending_.append(data);
  std::size_t start = 0;
  if (!in_body_) {
    const auto end = pending_.find("\r\n\r\n");
    if (end == std::string::npos) return;
    if (pending_.compare(0, 12, "HTTP/1.1 200") != 0 && pending_.compare(0, 12, "HTTP/1.0 200") != 0) {
      ++w_.result.http_errors;
      pending_.clear();
      boost::system::error_code ec;
      socket_.close(ec);
      return;
    }
    in_body_ = true;
    open_ = true;
    w_.answered();
    start = end + 4;
  }
  // Events end with a blank line ("\n\n"; both servers use LF).
  for (;;) {
    const auto end = pending_.find("\n\n", start);
    if (end == std::string::npos) break;
    on_event(std::string_view(pending_).substr(start, end - start));
    start = end + 2;
  }
  pending_.erase(0, start);
}

void Conn::on_event(std::string_view block) {
  if (block.empty() || block[0] == ':' || block.starts_with("retry:")) return;
  const bool snapshot = block.starts_with("event: snapshot");
  if (!snapshot && !block.starts_with("event: quote") && block.starts_with("event:")) return;
  take(block, snapshot);
}

void Conn::retire() {
  retired_ = true;
  open_ = false;
  boost::system::error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
}

void Conn::fail(Stage stage, const boost::system::error_code& ec) {
  if (retired_) return;  // our own close for churn, not a failure
  if (stage == Stage::connecting) {
    ++w_.result.connect_errors;
  } else if (stage == Stage::handshaking) {
    ++w_.result.tls_errors;
  } else if (open_) {
    ++w_.result.closed_by_server;
  } else {
    ++w_.result.lost_before_answer;  // connected, then closed or reset before any answer
  }
  if (ec && w_.result.first_error.empty()) w_.result.first_error = ec.message();
  open_ = false;
  boost::system::error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
}

}  // namespace

WorkerResult run_worker(const WorkerPlan& plan) {
  Worker w(plan);
  w.run();
  return w.result;
}

namespace {
// The counters of a WorkerResult, named once for the JSON line and for merging.
constexpr std::pair<const char*, std::uint64_t WorkerResult::*> kCounters[] = {
    {"connected", &WorkerResult::connected},
    {"held_at_start", &WorkerResult::held_at_start},
    {"held_at_end", &WorkerResult::held_at_end},
    {"connect_errors", &WorkerResult::connect_errors},
    {"tls_errors", &WorkerResult::tls_errors},
    {"http_errors", &WorkerResult::http_errors},
    {"closed_by_server", &WorkerResult::closed_by_server},
    {"lost_before_answer", &WorkerResult::lost_before_answer},
    {"churn_closed", &WorkerResult::churn_closed},
    {"churn_opened", &WorkerResult::churn_opened},
    {"deliveries", &WorkerResult::deliveries},
    {"slow_deliveries", &WorkerResult::slow_deliveries},
    {"snapshot_quotes", &WorkerResult::snapshot_quotes},
    {"missed", &WorkerResult::missed},
    {"slow_missed", &WorkerResult::slow_missed},
    {"bytes", &WorkerResult::bytes},
    {"clients_with_quotes", &WorkerResult::clients_with_quotes},
};
}  // namespace

std::string to_json_line(const WorkerResult& r) {
  boost::json::object o{{"first_error", r.first_error},
                        {"all_connected_us", r.all_connected_us},
                        {"latency", r.latency.to_json()},
                        {"slow_latency", r.slow_latency.to_json()}};
  for (const auto& [name, field] : kCounters) o[name] = r.*field;
  return boost::json::serialize(o);
}

WorkerResult from_json_line(const std::string& line) {
  const auto v = boost::json::parse(line);
  const auto& o = v.as_object();
  WorkerResult r;
  for (const auto& [name, field] : kCounters) r.*field = o.at(name).to_number<std::uint64_t>();
  r.first_error = std::string(o.at("first_error").as_string());
  r.all_connected_us = o.at("all_connected_us").to_number<std::uint64_t>();
  r.latency = LatencyHistogram::from_json(o.at("latency"));
  r.slow_latency = LatencyHistogram::from_json(o.at("slow_latency"));
  return r;
}

void merge_into(WorkerResult& t, const WorkerResult& p) {
  for (const auto& [name, field] : kCounters) t.*field += p.*field;
  if (t.first_error.empty()) t.first_error = p.first_error;
  t.latency.merge(p.latency);
  t.slow_latency.merge(p.slow_latency);
}

}  // namespace tickwire::bench
