// tickwire-bench: the load generator. Opens N SSE client connections to a Tickwire frontend or
// to nchan, spread over worker processes (one process holds at most ~19,900 sockets here) and
// loopback source addresses, ramps them up, then measures for a window: connections held,
// deliveries per second, latency from each quote's exchange timestamp, errors, and the server's
// CPU time and resident memory from /proc. It also counts the quotes clients missed (seq gaps)
// and, for Tickwire, compares them with what the server counted as conflated or missed (with
// --feed-pid the feed is paused first, and the counts are read once nothing is in flight). Prints a table and one JSON line.
// It can publish to nchan at a set rate so both systems get the same workload. Loopback only,
// bounded in time. With --tls-ca its clients (and its own requests) use TLS 1.3 and verify the
// server's certificate.
#include <CLI/CLI.hpp>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json.hpp>
#include <csignal>
#include <cstdio>
#include <set>
#include <thread>

#include "load_worker.hpp"
#include "machine_cpu.hpp"
#include "nchan_publisher.hpp"
#include "proc_stats.hpp"
#include "symbol_picker.hpp"
#include "tls_client_context.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace tickwire::bench;

namespace {

struct Options {
  std::string target = "tickwire";
  std::string transport = "sse";
  std::string tls_ca;  // not empty: TLS, verified against this CA
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  std::size_t connections = 100;
  std::size_t symbols = 10;
  std::size_t universe = 1000;
  std::string dist = "uniform";
  std::uint64_t seed = 42;
  double ramp = 5000;
  double warmup = 2;
  double duration = 10;
  std::size_t source_addresses = 0;  // 127.0.0.2 ... ; 0: the kernel's choice (127.0.0.1)
  std::size_t per_worker = 19000;
  std::vector<int> server_pids;
  // Where the server's counters are read: each frontend's own admin port in a fleet (several
  // frontends behind one shared --port); empty: --port.
  std::vector<unsigned short> metrics_ports;
  // Where the dispatchers' counters are read (the bars they backfilled during the window);
  // empty: --port (the all-in-one serves them with its own).
  std::vector<unsigned short> dispatch_ports;
  int feed_pid = 0;
  double settle = 1.0;
  double settle_max = 20.0;
  double publish_rate = 0;
  double slow_fraction = 0;
  unsigned slow_interval_ms = 1000;
  double churn = 0;
  std::string label;
};

// What the bench's own TLS connections negotiated (those of its clients use the same context).
struct TlsInfo {
  std::string version, cipher;
};

// One GET, over TLS when `tls` is given; throws on a network or TLS error.
http::response<http::string_body> get(const std::string& host, unsigned short port,
                                      const std::string& target, std::uint64_t body_limit,
                                      std::chrono::seconds timeout,
                                      asio::ssl::context* tls = nullptr, TlsInfo* info = nullptr) {
  asio::io_context ioc;
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, host);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(body_limit);
  const asio::ip::tcp::endpoint server(asio::ip::make_address(host), port);
  if (!tls) {
    beast::tcp_stream stream(ioc);
    stream.expires_after(timeout);
    stream.connect(server);
    http::write(stream, req);
    http::read(stream, buffer, parser);
    return parser.release();
  }
  beast::ssl_stream<beast::tcp_stream> stream(ioc, *tls);
  beast::get_lowest_layer(stream).expires_after(timeout);
  beast::get_lowest_layer(stream).connect(server);
  stream.handshake(asio::ssl::stream_base::client);
  if (info) *info = {SSL_get_version(stream.native_handle()), SSL_get_cipher_name(stream.native_handle())};
  http::write(stream, req);
  http::read(stream, buffer, parser);
  return parser.release();
}

// The server's listed symbols, asked again for up to 30 s while it has none to give: a fleet's
// frontend can be ready before its cache tier has brought the list (the Kafka fleet on a slow
// day). Throws with the last answer's status and start when it never comes.
std::vector<std::string> tickwire_universe(const Options& o, asio::ssl::context* tls,
                                           TlsInfo* info) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    const auto res = get(o.host, o.port, "/v1/symbols", 64 * 1024 * 1024,
                         std::chrono::seconds(10), tls, info);
    boost::system::error_code ec;
    const auto doc = boost::json::parse(res.body(), ec);
    const auto* symbols = !ec && doc.is_object() ? doc.as_object().if_contains("symbols") : nullptr;
    if (res.result() == http::status::ok && symbols && symbols->is_array() &&
        !symbols->as_array().empty()) {
      std::vector<std::string> out;
      for (const auto& s : symbols->as_array()) {
        if (out.size() == o.universe) break;
        out.emplace_back(s.at("symbol").as_string());
      }
      return out;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("no symbols listed after 30 s (last answer: HTTP " +
                               std::to_string(res.result_int()) + ", " +
                               res.body().substr(0, 200) + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

// What a Tickwire server says its clients did not get, from its /metrics: quotes a connection
// replaced with a newer one before writing it (`quotes_conflated`), and quotes that never reached
// the connection (`quotes_missed`: its seq gaps), both those of the run's transport only (the
// series labelled transport="sse" or "websocket"), so a run's clients are compared with their own
// transport's counts. The hub attributes the missed ones to a busy shard
// (`shard_conflated_deliveries`) or to upstream (`skipped_deliveries`); those two are hub-wide,
// not per transport (a run has clients of one transport only).
// Also the quotes it wrote to the transport's clients (`quotes_sent_total`), to see it go quiet.
struct Accounting {
  bool ok = false;
  double sent = 0, conflated = 0, missed = 0, shard_conflated = 0, skipped = 0;
};
Accounting tickwire_accounting(const std::string& host, unsigned short port,
                               const std::string& transport, asio::ssl::context* tls) {
  const std::string label = "transport=\"" + transport + "\"";
  Accounting a;
  try {
    const auto res = get(host, port, "/metrics", 16 * 1024 * 1024, std::chrono::seconds(5), tls);
    const std::string& body = res.body();
    std::size_t at = 0;
    while (at < body.size()) {
      auto end = body.find('\n', at);
      if (end == std::string::npos) end = body.size();
      const std::string_view line(body.data() + at, end - at);
      at = end + 1;
      const auto space = line.rfind(' ');
      if (line.empty() || line[0] == '#' || space == std::string_view::npos) continue;
      const double value = std::strtod(std::string(line.substr(space + 1)).c_str(), nullptr);
      const bool ours = line.find(label) != std::string_view::npos;
      if (ours && line.starts_with("tickwire_frontend_quotes_sent_total{")) a.sent += value;
      if (ours && line.starts_with("tickwire_frontend_quotes_conflated_total{")) a.conflated += value;
      if (ours && line.starts_with("tickwire_frontend_quotes_missed_total{")) a.missed += value;
      if (line.starts_with("tickwire_frontend_shard_conflated_deliveries_total ")) a.shard_conflated += value;
      if (line.starts_with("tickwire_frontend_skipped_deliveries_total ")) a.skipped += value;
    }
    a.ok = res.result() == http::status::ok;
  } catch (const std::exception&) {
    a.ok = false;
  }
  return a;
}

// The dispatchers' counters the window is read against, summed over them; -1 when a port
// cannot be read.
struct DispatchCounts {
  double backfilled_bars = 0;  // loaded from the upstream's history (tickwire_dispatch_backfilled_bars_total)
  double quotes = 0;           // taken from the upstream (tickwire_dispatch_quotes_total)
};
DispatchCounts dispatch_counts(const Options& o, asio::ssl::context* tls) {
  std::vector<unsigned short> ports = o.dispatch_ports;
  const bool own = ports.empty();
  if (own) ports.push_back(o.port);
  DispatchCounts sum;
  auto read = [](const std::string& body, std::string_view name) {
    const auto at = body.find(name);
    return at == std::string::npos ? 0.0 : std::strtod(body.c_str() + at + name.size(), nullptr);
  };
  for (const auto port : ports) {
    try {
      // Dispatchers' ports speak plain HTTP on loopback; --port may be TLS.
      const auto res = get(o.host, port, "/metrics", 16 * 1024 * 1024, std::chrono::seconds(5),
                           own ? tls : nullptr);
      sum.backfilled_bars += read(res.body(), "\ntickwire_dispatch_backfilled_bars_total ");
      sum.quotes += read(res.body(), "\ntickwire_dispatch_quotes_total ");
    } catch (const std::exception&) {
      return {-1, -1};
    }
  }
  return sum;
}

// The accounting summed over every frontend (each read on its own port).
Accounting fleet_accounting(const Options& o, asio::ssl::context* tls) {
  if (o.metrics_ports.empty()) return tickwire_accounting(o.host, o.port, o.transport, tls);
  Accounting sum;
  sum.ok = true;
  for (const auto port : o.metrics_ports) {
    // Admin ports speak plain HTTP on loopback (tickwired --admin-port).
    const auto a = tickwire_accounting(o.host, port, o.transport, nullptr);
    sum.ok = sum.ok && a.ok;
    sum.sent += a.sent;
    sum.conflated += a.conflated;
    sum.missed += a.missed;
    sum.shard_conflated += a.shard_conflated;
    sum.skipped += a.skipped;
  }
  return sum;
}

void raise_file_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

void sleep_until_unix(std::int64_t us) {
  const auto left = us - unix_micros();
  if (left > 0) std::this_thread::sleep_for(std::chrono::microseconds(left));
}

// Forks `fn` with a pipe for its one-line JSON answer.
struct Child {
  pid_t pid = -1;
  int fd = -1;
};
template <class F> Child fork_child(F fn) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fds[0]);
    const std::string line = fn() + "\n";
    std::size_t off = 0;
    while (off < line.size()) {
      const auto n = write(fds[1], line.data() + off, line.size() - off);
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  return {pid, fds[0]};
}
std::string read_all(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    const auto n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App cli{"tickwire-bench: SSE load generator for Tickwire and nchan (loopback only)"};
  cli.add_option("--target", o.target, "tickwire or nchan")
      ->check(CLI::IsMember({"tickwire", "nchan"}))->capture_default_str();
  cli.add_option("--transport", o.transport, "sse, or websocket (Tickwire's /v1/ws)")
      ->check(CLI::IsMember({"sse", "websocket"}))->capture_default_str();
  cli.add_option("--tls-ca", o.tls_ca,
                 "Tickwire over TLS (HTTPS/WSS): TLS 1.3, the server's certificate verified "
                 "against this CA file (PEM) and --host")
      ->check(CLI::ExistingFile);
  cli.add_option("--host", o.host, "Server address (loopback)")->capture_default_str();
  cli.add_option("--port", o.port, "Server port")->required();
  cli.add_option("--connections", o.connections, "Client connections")->capture_default_str();
  cli.add_option("--symbols", o.symbols, "Symbols per client")->capture_default_str();
  cli.add_option("--universe", o.universe, "Symbols to draw from")->capture_default_str();
  cli.add_option("--dist", o.dist, "uniform or zipf")
      ->check(CLI::IsMember({"uniform", "zipf"}))->capture_default_str();
  cli.add_option("--seed", o.seed, "Random seed")->capture_default_str();
  cli.add_option("--ramp", o.ramp, "New connections per second")->capture_default_str();
  cli.add_option("--warmup", o.warmup, "Seconds after the ramp before measuring")->capture_default_str();
  cli.add_option("--duration", o.duration, "Seconds measured")
      ->check(CLI::Range(0.1, 3600.0))->capture_default_str();
  cli.add_option("--source-addresses", o.source_addresses,
                 "Spread connections over 127.0.0.2 ... 127.0.0.(N+1) (more than 64K possible; "
                 "keep each under ~5,000: the kernel's source-port search makes connect() "
                 "slower as one address's connections grow)")
      ->check(CLI::Range(0, 250))->capture_default_str();
  cli.add_option("--per-worker", o.per_worker, "Connections per worker process (files per process "
                                               "are capped at 20,000 here)")
      ->check(CLI::Range(1, 19900))->capture_default_str();
  cli.add_option("--server-pid", o.server_pids,
                 "Server process whose CPU and memory are measured (with its children); repeat");
  cli.add_option("--metrics-port", o.metrics_ports,
                 "Tickwire: read the server's counters here (plain HTTP) instead of --port; "
                 "repeat for each frontend of a fleet (their --admin-port), the counts are summed");
  cli.add_option("--dispatch-port", o.dispatch_ports,
                 "Tickwire: a dispatcher's metrics port (plain HTTP); repeat for each. The bars "
                 "they backfilled during the window are reported (backfilled_bars_in_window), so "
                 "a window that overlaps the one-off loading of the day's bars says so. Default: "
                 "--port (an all-in-one serves its dispatcher's metrics)");
  cli.add_option("--feed-pid", o.feed_pid,
                 "Tickwire: the process feeding the server (its exchange simulator), paused with "
                 "SIGSTOP after the window and resumed with SIGCONT once the server's counts are "
                 "read, so every quote in flight reaches the clients before their missed quotes "
                 "are compared with the server's counts");
  cli.add_option("--settle", o.settle,
                 "Seconds after the window before the server's counts are read; with --feed-pid "
                 "and no slow readers, the least wait: the counts are read once the server's "
                 "sent quotes and the clients' received bytes have stopped moving")
      ->check(CLI::Range(0.1, 30.0))->capture_default_str();
  cli.add_option("--settle-max", o.settle_max,
                 "With --feed-pid and no slow readers: the longest wait for that")
      ->check(CLI::Range(0.1, 120.0))->capture_default_str();
  cli.add_option("--publish-rate", o.publish_rate,
                 "nchan: messages per second published over the universe during the run");
  cli.add_option("--slow-fraction", o.slow_fraction, "Share of clients that read very slowly")
      ->check(CLI::Range(0.0, 1.0));
  cli.add_option("--slow-interval-ms", o.slow_interval_ms, "A slow client reads 1 KiB this often");
  cli.add_option("--churn", o.churn,
                 "Connections per second closed by the clients during the window, each replaced "
                 "at once by a new one (same symbols, source address and speed): the soak "
                 "(tests/bench/soak.sh)")
      ->check(CLI::Range(0.0, 10000.0))->capture_default_str();
  cli.add_option("--label", o.label, "Name of this run in the JSON line");
  CLI11_PARSE(cli, argc, argv);
  if (o.host.rfind("127.", 0) != 0 && o.host != "::1") {
    std::fprintf(stderr, "tickwire-bench: loopback only (127.0.0.0/8 or ::1)\n");
    return 2;
  }
  raise_file_limit();
  const Target target = o.target == "nchan" ? Target::nchan : Target::tickwire;
  if (target == Target::nchan && o.transport == "websocket") {
    std::fprintf(stderr, "tickwire-bench: --transport websocket is for Tickwire only (the suite's "
                         "nchan peer serves EventSource)\n");
    return 2;
  }
  std::unique_ptr<asio::ssl::context> tls;
  if (!o.tls_ca.empty()) {
    if (target == Target::nchan) {
      std::fprintf(stderr, "tickwire-bench: --tls-ca is for Tickwire only (the suite's nchan peer "
                           "serves plain HTTP)\n");
      return 2;
    }
    try {
      tls = make_tls_client_context(o.tls_ca, o.host);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "tickwire-bench: %s\n", e.what());
      return 1;
    }
  }
  TlsInfo tls_info;

  std::vector<std::string> universe;
  if (target == Target::tickwire) {
    try {
      universe = tickwire_universe(o, tls.get(), &tls_info);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "tickwire-bench: cannot read /v1/symbols: %s\n", e.what());
      return 1;
    }
  } else {
    for (std::size_t i = 0; i < o.universe; ++i) universe.push_back("S" + std::to_string(1000 + i));
  }
  const SymbolPicker picker(universe, o.dist == "zipf" ? SymbolPicker::Distribution::zipf
                                                       : SymbolPicker::Distribution::uniform,
                            o.seed);

  std::set<std::string> distinct;
  for (std::size_t i = 0; i < o.connections; ++i) {
    for (auto& s : picker.pick(i, o.symbols)) distinct.insert(std::move(s));
  }

  std::vector<std::string> sources;
  for (std::size_t i = 0; i < o.source_addresses; ++i) sources.push_back("127.0.0." + std::to_string(2 + i));

  const auto baseline = read_proc_stats({o.server_pids.begin(), o.server_pids.end()});
  const auto machine_t0 = read_machine_cpu();
  const auto t0 = unix_micros();
  const auto ramp_us = static_cast<std::int64_t>(1e6 * static_cast<double>(o.connections) / o.ramp);
  const auto start_us = t0 + ramp_us + static_cast<std::int64_t>(o.warmup * 1e6);
  const auto end_us = start_us + static_cast<std::int64_t>(o.duration * 1e6);
  const auto settle_until_us = end_us + static_cast<std::int64_t>(o.settle * 1e6);
  const bool account = target == Target::tickwire;
  const auto acc_start = account ? fleet_accounting(o, tls.get()) : Accounting{};
  // With the feed paused and every client reading as fast as it can, the counts are read once
  // nothing is in flight, however long that takes on a busy machine (a fixed wait left quotes in
  // flight when the clients ran more than --settle behind). Slow readers are still being written
  // to long after: a fixed --settle then, and their counts are not exact anyway.
  const bool until_quiet = account && o.feed_pid > 0 && o.slow_fraction == 0;
  const auto settle_max_us =
      end_us + static_cast<std::int64_t>(std::max(o.settle, o.settle_max) * 1e6);

  std::vector<Child> workers;
  const std::size_t nworkers = (o.connections + o.per_worker - 1) / o.per_worker;
  // cells[0]: until when the workers count missed quotes; cells[1 + w]: worker w's progress.
  void* mapped = mmap(nullptr, sizeof(SharedCell) * (1 + nworkers), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) {
    std::fprintf(stderr, "tickwire-bench: mmap failed\n");
    return 1;
  }
  auto* cells = static_cast<SharedCell*>(mapped);
  for (std::size_t i = 0; i < 1 + nworkers; ++i) new (&cells[i]) SharedCell;
  cells[0].value = until_quiet ? settle_max_us : settle_until_us;
  for (std::size_t w = 0; w < nworkers; ++w) {
    WorkerPlan plan;
    plan.target = target;
    plan.transport = o.transport == "websocket" ? Transport::websocket : Transport::sse;
    plan.tls_ca = o.tls_ca;
    plan.host = o.host;
    plan.port = o.port;
    plan.source_ips = sources;
    plan.first_index = w * o.per_worker;
    const auto last = std::min(o.connections, plan.first_index + o.per_worker);
    for (auto i = plan.first_index; i < last; ++i) plan.subs.push_back(picker.pick(i, o.symbols));
    plan.ramp_per_second = o.ramp / static_cast<double>(nworkers);
    plan.slow_fraction = o.slow_fraction;
    plan.slow_interval = std::chrono::milliseconds(o.slow_interval_ms);
    plan.measure_start_us = start_us;
    plan.measure_end_us = end_us;
    plan.churn_per_second = o.churn / static_cast<double>(nworkers);
    plan.churn_start_us = start_us;
    plan.churn_end_us = end_us;
    plan.count_until = &cells[0];
    plan.progress = &cells[1 + w];
    workers.push_back(fork_child([plan] { return to_json_line(run_worker(plan)); }));
  }
  Child publisher;
  if (target == Target::nchan && o.publish_rate > 0) {
    publisher = fork_child([&] {
      const auto r = run_publisher(o.host, o.port, universe, o.publish_rate, end_us, o.seed);
      return boost::json::serialize(boost::json::object{
          {"published", r.published}, {"errors", r.errors}, {"behind", r.behind}});
    });
  }

  // Each server process's own CPU over the window too: where a fleet's CPU goes.
  auto cpu_by_pid = [&] {
    std::vector<double> out;
    for (const int pid : o.server_pids) out.push_back(read_proc_stats({pid}).cpu_seconds);
    return out;
  };
  // The generator's own CPU over the window: with the server's and the machine's, where the
  // cores went.
  std::vector<pid_t> worker_pids;
  for (const auto& w : workers) worker_pids.push_back(w.pid);
  sleep_until_unix(start_us);
  const auto at_start = read_proc_stats({o.server_pids.begin(), o.server_pids.end()});
  const auto machine_start = read_machine_cpu();
  const auto generator_start = read_proc_stats(worker_pids);
  const auto cpu_start_by_pid = cpu_by_pid();
  const auto dispatched_start = account ? dispatch_counts(o, tls.get()) : DispatchCounts{};
  sleep_until_unix(end_us);
  const auto at_end = read_proc_stats({o.server_pids.begin(), o.server_pids.end()});
  const auto machine_end = read_machine_cpu();
  const auto generator_end = read_proc_stats(worker_pids);
  const auto cpu_end_by_pid = cpu_by_pid();
  const auto dispatched_end = account ? dispatch_counts(o, tls.get()) : DispatchCounts{};
  // Pause the feed so what is in flight drains to the clients, then compare the counts.
  const bool paused = o.feed_pid > 0 && kill(o.feed_pid, SIGSTOP) == 0;
  bool quiet = false;
  if (until_quiet && paused) {
    // Quiet: the server's sent count and the clients' bytes unchanged over two looks 250 ms
    // apart (what the server wrote has been read, and it has nothing more to write).
    double last_sent = -1;
    std::int64_t last_bytes = -1;
    for (int still = 0; unix_micros() < settle_max_us;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      const auto a = fleet_accounting(o, tls.get());
      std::int64_t bytes = 0;
      for (std::size_t w = 0; w < nworkers; ++w) bytes += cells[1 + w].value.load(std::memory_order_relaxed);
      still = a.ok && a.sent == last_sent && bytes == last_bytes ? still + 1 : 0;
      last_sent = a.sent;
      last_bytes = bytes;
      if (still >= 2 && unix_micros() >= settle_until_us) {
        quiet = true;
        break;
      }
    }
  } else {
    sleep_until_unix(settle_until_us);
  }
  const auto acc_end = account ? fleet_accounting(o, tls.get()) : Accounting{};
  const auto counted_us = unix_micros();
  // The workers stop counting here (not at --settle-max) and close 300 ms later.
  if (quiet) cells[0].value.store(counted_us, std::memory_order_release);
  if (paused) kill(o.feed_pid, SIGCONT);

  WorkerResult total;
  boost::json::array per_worker;  // connections each worker held at the end (spot a laggard)
  std::int64_t all_connected = 1;  // when the last worker had every answer; 0 if one never did
  for (auto& w : workers) {
    const auto line = read_all(w.fd);
    waitpid(w.pid, nullptr, 0);
    if (line.empty()) {
      std::fprintf(stderr, "tickwire-bench: worker %d gave no result\n", w.pid);
      return 1;
    }
    const auto part = from_json_line(line);
    per_worker.push_back(part.held_at_end);
    merge_into(total, part);
    all_connected = part.all_connected_us && all_connected
                        ? std::max(all_connected, static_cast<std::int64_t>(part.all_connected_us))
                        : 0;
  }
  boost::json::object pub;
  if (publisher.pid > 0) {
    const auto line = read_all(publisher.fd);
    waitpid(publisher.pid, nullptr, 0);
    if (!line.empty()) pub = boost::json::parse(line).as_object();
  }

  // A dispatcher counter's growth over the window: null when not accounted, -1 when unread.
  auto window_count = [&](double start, double end) {
    if (!account) return boost::json::value(nullptr);
    if (start < 0 || end < 0) return boost::json::value(-1);
    return boost::json::value(static_cast<std::int64_t>(end - start));
  };
  const double secs = static_cast<double>(end_us - start_us) / 1e6;
  const double cpu = at_end.cpu_seconds - at_start.cpu_seconds;
  const double per_s = static_cast<double>(total.deliveries + total.slow_deliveries) / secs;
  const auto& lat = total.latency;
  const long rss_growth = at_end.rss_kib - baseline.rss_kib;
  // Every quote a client missed (a seq gap) is one the server counted as conflated or missed.
  // Exact when the feed was paused and every client kept up; slow readers still have quotes in
  // flight when the counts are read.
  boost::json::object missed{{"clients", total.missed + total.slow_missed},
                             {"fast_clients", total.missed},
                             {"slow_clients", total.slow_missed},
                             {"feed_paused", paused},
                             {"counted_after_s", static_cast<double>(counted_us - end_us) / 1e6},
                             {"in_flight_drained", quiet}};
  if (acc_start.ok && acc_end.ok) {
    const double conflated = acc_end.conflated - acc_start.conflated;
    const double never = acc_end.missed - acc_start.missed;
    missed["server"] = conflated + never;
    missed["server_transport"] = o.transport;  // whose counters `server` sums
    missed["server_conflated"] = conflated;
    missed["server_missed"] = never;
    missed["busy_shard"] = acc_end.shard_conflated - acc_start.shard_conflated;
    missed["never_received"] = acc_end.skipped - acc_start.skipped;
  }
  const auto machine_connecting = cpu_between(machine_t0, machine_start);
  const auto machine_window = cpu_between(machine_start, machine_end);
  boost::json::object out{
      {"label", o.label},
      {"target", o.target},
      {"transport", o.transport},
      {"tls", tls ? boost::json::value(boost::json::object{{"version", tls_info.version},
                                                           {"cipher", tls_info.cipher}})
                  : boost::json::value(nullptr)},
      {"connections", o.connections},
      {"symbols_per_client", o.symbols},
      {"universe", universe.size()},
      {"distinct_symbols", distinct.size()},
      {"held", total.held_at_end},
      {"held_at_start", total.held_at_start},
      {"seconds", secs},
      {"deliveries", total.deliveries + total.slow_deliveries},
      {"deliveries_per_s", per_s},
      {"server_cpu_s", cpu},
      // From before the first connection to the window: with no ticks (hold), what setting the
      // connections up cost (accept, request, snapshot; the TLS handshake over TLS).
      {"server_cpu_before_window_s", at_start.cpu_seconds - baseline.cpu_seconds},
      {"deliveries_per_cpu_s", cpu > 0 ? per_s * secs / cpu : 0.0},
      {"server_cpu_s_by_pid", [&] {
         boost::json::object by_pid;
         for (std::size_t i = 0; i < o.server_pids.size(); ++i) {
           by_pid[std::to_string(o.server_pids[i])] = cpu_end_by_pid[i] - cpu_start_by_pid[i];
         }
         return by_pid;
       }()},
      // The whole machine's cores while the clients connected (the ramp and the warm-up) and
      // over the window, and the generator's workers' share of the window.
      {"machine_cpu", boost::json::object{{"connecting", machine_connecting},
                                          {"window", machine_window}}},
      {"generator_cpu_s", generator_end.cpu_seconds - generator_start.cpu_seconds},
      {"server_rss_kib", at_end.rss_kib},
      {"server_rss_growth_kib", rss_growth},
      {"rss_bytes_per_connection",
       total.held_at_end ? 1024.0 * static_cast<double>(rss_growth) / static_cast<double>(total.held_at_end) : 0.0},
      {"server_processes", at_end.processes},
      {"latency_us", boost::json::object{{"count", lat.count()},
                                         {"p50", lat.quantile(0.5)},
                                         {"p90", lat.quantile(0.9)},
                                         {"p99", lat.quantile(0.99)},
                                         {"p999", lat.quantile(0.999)},
                                         {"max", lat.max()}}},
      {"slow_latency_us", boost::json::object{{"count", total.slow_latency.count()},
                                              {"p50", total.slow_latency.quantile(0.5)},
                                              {"p99", total.slow_latency.quantile(0.99)}}},
      {"errors", boost::json::object{{"connect", total.connect_errors},
                                     {"tls", total.tls_errors},
                                     {"http", total.http_errors},
                                     {"closed_by_server", total.closed_by_server},
                                     {"lost_before_answer", total.lost_before_answer},
                                     {"first", total.first_error}}},
      {"churn", boost::json::object{{"per_s", o.churn},
                                    {"closed", total.churn_closed},
                                    {"opened", total.churn_opened}}},
      {"connected", total.connected},
      // From the first connection to the last planned one's answer (null if one never came).
      {"connect_all_s", all_connected > 0 ? boost::json::value(static_cast<double>(all_connected - t0) / 1e6)
                                          : boost::json::value(nullptr)},
      {"clients_with_quotes", total.clients_with_quotes},
      // The window (and the churn) in unix seconds, to place it on a plot of samples.
      {"window_unix_s", boost::json::array{static_cast<double>(start_us) / 1e6,
                                           static_cast<double>(end_us) / 1e6}},
      {"snapshot_quotes", total.snapshot_quotes},
      {"backfilled_bars_in_window",
       window_count(dispatched_start.backfilled_bars, dispatched_end.backfilled_bars)},
      // Quotes the dispatchers took from the upstream in the window: a fleet's cost per quote.
      {"quotes_dispatched_in_window", window_count(dispatched_start.quotes, dispatched_end.quotes)},
      {"missed", missed},
      {"workers", nworkers},
      {"held_per_worker", std::move(per_worker)},
      {"publisher", pub}};

  std::printf("tickwire-bench %s (%s%s%s)\n", o.label.c_str(), o.target.c_str(),
              tls ? ", " : "", tls ? (tls_info.version + " " + tls_info.cipher).c_str() : "");
  std::printf("  connections held      %llu of %zu (%zu workers)\n",
              static_cast<unsigned long long>(total.held_at_end), o.connections, nworkers);
  std::printf("  deliveries            %.0f/s over %.1f s\n", per_s, secs);
  if (o.churn > 0) {
    std::printf("  churn                 %llu closed by the clients, %llu opened (%llu answers in all)\n",
                static_cast<unsigned long long>(total.churn_closed),
                static_cast<unsigned long long>(total.churn_opened),
                static_cast<unsigned long long>(total.connected));
  }
  std::printf("  latency p50/p90/p99   %.2f / %.2f / %.2f ms  (p99.9 %.2f, max %.2f ms)\n",
              lat.quantile(0.5) / 1e3, lat.quantile(0.9) / 1e3, lat.quantile(0.99) / 1e3,
              lat.quantile(0.999) / 1e3, static_cast<double>(lat.max()) / 1e3);
  std::printf("  server CPU            %.2f s (%.0f deliveries per CPU-second)\n", cpu,
              cpu > 0 ? per_s * secs / cpu : 0.0);
  std::printf("  server RSS            %ld KiB (+%ld KiB since start)\n", at_end.rss_kib, rss_growth);
  if (machine_window.at("busy").is_double() && machine_connecting.at("busy").is_double()) {
    std::printf("  machine's cores       %.0f%% busy while connecting, %.0f%% in the window (the "
                "generator's CPU there %.2f s)\n",
                100 * machine_connecting.at("busy").as_double(), 100 * machine_window.at("busy").as_double(),
                generator_end.cpu_seconds - generator_start.cpu_seconds);
  }
  std::printf("  missed quotes         %llu (seq gaps clients saw, the whole run)",
              static_cast<unsigned long long>(total.missed + total.slow_missed));
  if (missed.contains("server")) {
    std::printf("; the server counted %.0f (conflated %.0f, missed %.0f)%s",
                missed.at("server").as_double(), missed.at("server_conflated").as_double(),
                missed.at("server_missed").as_double(), paused ? "" : " (feed not paused)");
  }
  std::printf("\n");
  std::printf("  errors                connect %llu, TLS %llu, http %llu, closed %llu, lost "
              "before an answer %llu%s%s\n",
              static_cast<unsigned long long>(total.connect_errors),
              static_cast<unsigned long long>(total.tls_errors),
              static_cast<unsigned long long>(total.http_errors),
              static_cast<unsigned long long>(total.closed_by_server),
              static_cast<unsigned long long>(total.lost_before_answer),
              total.first_error.empty() ? "" : "; first: ", total.first_error.c_str());
  std::printf("%s\n", boost::json::serialize(out).c_str());
  return 0;
}
