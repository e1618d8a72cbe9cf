#include "app/options.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string_view>
#include <thread>
#include <map>
#include <sys/stat.h>
#include <unistd.h>

#include "app/upstream_factory.hpp"
#include "auth/token_verifier.hpp"
#include "net/tls_context.hpp"
#include "tickwire/version.hpp"

namespace tickwire::app {

namespace asio = boost::asio;

namespace {

// A --cache value as it may be printed: any user info (refused, but a password may have been
// typed there) replaced with "***". By hand, not Boost.URL: a kafka:// broker list
// (host:port,host:port) is not a URI that parser accepts, and it must be cleaned all the same.
std::string printable_cache(const std::string& cache) {
  const auto scheme_end = cache.find("://");
  if (scheme_end == std::string::npos) return cache;
  const auto start = scheme_end + 3;
  const auto end = std::min(cache.find_first_of("/?#", start), cache.size());
  const auto at = cache.rfind('@', end == 0 ? 0 : end - 1);
  if (at == std::string::npos || at < start) return cache;
  return cache.substr(0, start) + "***" + cache.substr(at);
}

// A token file's contents without trailing whitespace (editors and `echo` add a newline).
std::optional<std::string> read_token_file(const std::string& path, const char* option) {
  std::ifstream in(path, std::ios::binary);
  std::string token((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (!in.good() && !in.eof()) {
    std::fprintf(stderr, "tickwired: %s %s: cannot read it\n", option, path.c_str());
    return std::nullopt;
  }
  if (token.size() < 16) {
    std::fprintf(stderr, "tickwired: %s %s: the token must be at least 16 characters\n", option,
                 path.c_str());
    return std::nullopt;
  }
  return token;
}

// TLS, tokens and the refusal to serve anonymous clients on a public address. False after
// printing why (exit status 2).
bool edge_options(Options& o, const std::string& admin_token_file, const std::string& auth,
                  const std::string& jwt_secret_file, const std::string& jwt_public_key_file,
                  bool allow_anonymous, const std::string& role) {
  auto& fe = o.node.parts.frontend;
  if (fe.tls.cert_file.empty() != fe.tls.key_file.empty()) {
    std::fprintf(stderr, "tickwired: --tls-cert and --tls-key go together\n");
    return false;
  }
  if (fe.tls.enabled()) {
    try {
      net::load_server_context(fe.tls);  // refused here, with the reason, rather than at start
    } catch (const std::exception& e) {
      std::fprintf(stderr, "tickwired: %s\n", e.what());
      return false;
    }
  }
  if (!admin_token_file.empty()) {
    auto token = read_token_file(admin_token_file, "--admin-token-file");
    if (!token) return false;
    fe.admin_token = std::move(*token);
  }
  if (auth == "none" && (!jwt_secret_file.empty() || !jwt_public_key_file.empty())) {
    std::fprintf(stderr, "tickwired: --jwt-secret-file and --jwt-public-key-file need --auth jwt\n");
    return false;
  }
  if (auth == "jwt") {
    if (jwt_secret_file.empty() == jwt_public_key_file.empty()) {
      std::fprintf(stderr, "tickwired: --auth jwt needs exactly one of --jwt-secret-file (HS256) "
                           "and --jwt-public-key-file (RS256/ES256)\n");
      return false;
    }
    try {
      fe.tokens = jwt_secret_file.empty()
                      ? auth::TokenVerifier::from_public_key_file(jwt_public_key_file)
                      : auth::TokenVerifier::from_secret_file(jwt_secret_file);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "tickwired: %s\n", e.what());
      return false;
    }
  }
  // Like Redis's protected mode: anonymous market data on a public address is a licensing
  // breach waiting to happen, so it has to be asked for. The simulator never checks tokens.
  const bool serves_quotes = role == "frontend" || role == "all" || role == "exchange";
  const bool anonymous = auth == "none" || role == "exchange";
  if (serves_quotes && anonymous && !allow_anonymous && !fe.bind.address().is_loopback()) {
    if (role == "exchange") {
      std::fprintf(stderr,
                   "tickwired: refusing to serve the exchange simulator's feed anonymously on %s, "
                   "which is not a loopback address (it does not check tokens, so --auth jwt does "
                   "not apply). Bind it to loopback, or pass --allow-anonymous on a private "
                   "network.\n",
                   fe.bind.address().to_string().c_str());
    } else {
      std::fprintf(stderr,
                   "tickwired: refusing to serve anonymous clients on %s, which is not a loopback "
                   "address. Use --auth jwt (clients then need tokens), or --allow-anonymous if an "
                   "authenticating proxy stands in front of this server.\n",
                   fe.bind.address().to_string().c_str());
    }
    return false;
  }
  return true;
}

// Provider keys and URLs by their providers' own names (APCA_API_KEY_ID, FINNHUB_TOKEN, ...):
// from the environment, else from the config file under the same key.
struct ProviderKeys {
  std::map<std::string, std::string> from_file;  // filled by hidden config-file options
  std::string config_path;
  bool file_secret_used = false;

  std::string get(const std::string& name, bool secret) {
    if (const char* v = std::getenv(name.c_str()); v && *v) return v;
    const auto it = from_file.find(name);
    if (it == from_file.end() || it->second.empty()) return {};
    if (secret) file_secret_used = true;
    return it->second;
  }
};
const char* const kProviderKeys[] = {
    "APCA_API_KEY_ID",  "APCA_API_SECRET_KEY", "APCA_API_STREAM_URL", "APCA_API_DATA_URL",
    "APCA_API_BASE_URL", "FINNHUB_TOKEN",      "FINNHUB_STREAM_URL",  "FINNHUB_API_URL",
    "FINNHUB_SYMBOL_LIMIT"};

// --upstream alpaca://FEED or finnhub://: the provider's settings. False after printing why.
bool provider_options(const std::string& upstream, ProviderKeys& keys, ProviderChoice& out) {
  auto fail = [&](const std::string& why) {
    std::fprintf(stderr, "tickwired: --upstream %s: %s\n", upstream.c_str(), why.c_str());
    return false;
  };
  if (upstream.starts_with("alpaca://")) {
    dispatch::AlpacaSettings a;
    a.feed = upstream.substr(std::string_view("alpaca://").size());
    if (a.feed.empty()) a.feed = "iex";
    a.key_id = keys.get("APCA_API_KEY_ID", true);
    a.secret_key = keys.get("APCA_API_SECRET_KEY", true);
    if (auto v = keys.get("APCA_API_STREAM_URL", false); !v.empty()) a.stream_url = v;
    if (auto v = keys.get("APCA_API_DATA_URL", false); !v.empty()) a.data_url = v;
    if (auto v = keys.get("APCA_API_BASE_URL", false); !v.empty()) a.trading_url = v;
    out.alpaca = std::move(a);
  } else if (upstream == "finnhub://" || upstream == "finnhub:") {
    dispatch::FinnhubSettings f;
    f.token = keys.get("FINNHUB_TOKEN", true);
    if (auto v = keys.get("FINNHUB_STREAM_URL", false); !v.empty()) f.stream_url = v;
    if (auto v = keys.get("FINNHUB_API_URL", false); !v.empty()) f.api_url = v;
    if (auto v = keys.get("FINNHUB_SYMBOL_LIMIT", false); !v.empty()) {
      char* end = nullptr;
      const auto n = std::strtoul(v.c_str(), &end, 10);
      if (!end || *end || n == 0 || n > 100000) return fail("FINNHUB_SYMBOL_LIMIT must be 1..100000");
      f.symbol_limit = n;
    }
    out.finnhub = std::move(f);
  } else {
    return fail("unknown scheme (http://HOST:PORT, alpaca://FEED or finnhub://)");
  }
  // Keys in a file others can read are keys others have: refuse, as ssh does.
  if (keys.file_secret_used) {
    struct stat st {};
    if (::stat(keys.config_path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      return fail("the config file " + keys.config_path +
                  " holds provider keys but others can read it; chmod 600 it");
    }
  }
  // Checked now (feed names, URLs, missing keys), with the reason, rather than at start.
  try {
    boost::asio::io_context probe;
    ops::Registry scratch;
    make_upstream(probe.get_executor(), scratch, out, {});
  } catch (const std::invalid_argument& e) {
    return fail(e.what());
  }
  return true;
}

}  // namespace

std::optional<Options> parse_options(int argc, char** argv, int& exit_code) {
  Options o;
  auto& parts = o.node.parts;
  auto& fe = parts.frontend;
  auto& ex = parts.exchange;
  CLI::App cli{"tickwired: the Tickwire market data backend. By default every tier in one process "
               "(exchange simulator, dispatch, embedded cache, frontend); with --role and "
               "--cache redis:// or kafka:// one tier of a fleet.",
               "tickwired"};
  cli.set_version_flag("--version", std::string(kVersion));
  cli.get_formatter()->column_width(34);

  std::string role = "all";
  std::string cache = "embedded";
  double lease_s = 3;
  double publish_window_ms = 0;
  bool reuse_port = false;
  auto* config_option = cli.set_config("--config", "", "Read options from this file (TOML or INI)");
  ProviderKeys provider_keys;
  for (const char* key : kProviderKeys) {
    // Hidden: for the config file only (a key on the command line would show in ps).
    cli.add_option(std::string("--") + key, provider_keys.from_file[key])->group("");
  }
  cli.add_option("--role", role,
                 "What this process runs: exchange, dispatch, frontend, or all of them")
      ->check(CLI::IsMember({"exchange", "dispatch", "frontend", "all"}))
      ->capture_default_str();
  cli.add_option("--cache", cache,
                 "Cache tier: embedded (one process), or shared by a fleet: redis://HOST:PORT or "
                 "kafka://HOST:PORT[,HOST:PORT...]")
      ->capture_default_str();
  cli.add_option("--node-id", o.node.id, "This node's name in the fleet (default: ROLE-HOST-PID)");
  cli.add_option("--lease", lease_s,
                 "Seconds a dead node's demand, dispatcher ownership and metrics outlive it "
                 "(Redis leases; Kafka: also the dispatchers' group session)")
      ->check(CLI::Range(0.3, 600.0))
      ->capture_default_str();
  cli.add_option("--publish-window", publish_window_ms,
                 "Dispatch over Redis: milliseconds a quote may wait for others to share its "
                 "call to Redis (0: the quotes of one loop turn; more saves CPU per quote at a "
                 "steady trickle, for that much latency)")
      ->check(CLI::Range(0.0, 100.0))
      ->capture_default_str();
  cli.add_flag("--check", o.check_only,
               "Check the options (and --config file), print what would run, and exit");
  cli.add_flag("--reuse-port", reuse_port,
               "Share --port with other tickwired processes on this machine (SO_REUSEPORT)");
  std::string bind = "127.0.0.1";
  unsigned port = 8080;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::string upstream;
  double linger_s = 30;
  unsigned heartbeat_s = 15, write_timeout_s = 30, exchange_port = 0;

  cli.add_option("--bind", bind, "Address the role listens on")->capture_default_str();
  cli.add_option("--port", port, "The role's port: the v1 API, the exchange feed, or (dispatch) "
                                 "health and metrics only (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cli.add_option("--port-file", o.port_file, "Write the bound port to this file once listening");
  int admin_port = -1;
  std::string admin_bind = "127.0.0.1";
  cli.add_option("--admin-port", admin_port,
                 "Frontend role: also serve /metrics, /healthz, /readyz and /v1/admin/* on this "
                 "port, this process's own when frontends share --port (--reuse-port); 0: any "
                 "free port")
      ->check(CLI::Range(0, 65535));
  cli.add_option("--admin-bind", admin_bind, "Address --admin-port listens on")
      ->capture_default_str();
  cli.add_option("--admin-port-file", o.admin_port_file,
                 "Write the bound --admin-port to this file once listening");
  cli.add_option("--threads", threads, "Frontend threads (shards); default: one per core")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cli.add_option("--max-symbols", fe.max_symbols, "Most symbols one request may ask for")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cli.add_option("--heartbeat", heartbeat_s, "Seconds between keep-alive comments on idle streams")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cli.add_option("--write-timeout", write_timeout_s,
                 "Seconds a client may leave a write unread before it is disconnected")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cli.add_option("--max-outbox-bytes", fe.max_outbox_bytes,
                 "Bytes of output one client connection may have queued (quotes, snapshots, "
                 "replies); past it the client is disconnected")
      ->check(CLI::Range(std::size_t{16 * 1024}, std::size_t{1} << 30))
      ->capture_default_str();
  cli.add_option("--max-connections", fe.connection_caps.total,
                 "Most client connections the frontend holds at once; over it new ones are "
                 "answered 503 with Retry-After (0: no cap)")
      ->capture_default_str();
  cli.add_option("--max-connections-per-ip", fe.connection_caps.per_ip,
                 "Most client connections from one address at once; over it new ones are "
                 "answered 429 with Retry-After (0: no cap)")
      ->capture_default_str();
  // The edge (docs/security.md).
  cli.add_option("--tls-cert", fe.tls.cert_file,
                 "PEM certificate (chain): the port then speaks HTTPS and WSS only; SIGHUP "
                 "reloads it")
      ->check(CLI::ExistingFile);
  cli.add_option("--tls-key", fe.tls.key_file, "PEM private key of --tls-cert")
      ->check(CLI::ExistingFile);
  std::string admin_token_file;
  cli.add_option("--admin-token-file", admin_token_file,
                 "File holding the token /metrics and /v1/admin/* then require "
                 "(Authorization: Bearer); /healthz and /readyz stay open")
      ->check(CLI::ExistingFile);
  std::string auth = "none";
  std::string jwt_secret_file, jwt_public_key_file;
  bool allow_anonymous = false;
  cli.add_option("--auth", auth,
                 "Client authentication: none, or jwt (a token per client, with its symbols)")
      ->check(CLI::IsMember({"none", "jwt"}))
      ->capture_default_str();
  cli.add_option("--jwt-secret-file", jwt_secret_file, "--auth jwt: HS256 secret (32+ bytes)")
      ->check(CLI::ExistingFile);
  cli.add_option("--jwt-public-key-file", jwt_public_key_file,
                 "--auth jwt: PEM public key for RS256 or ES256 tokens")
      ->check(CLI::ExistingFile);
  cli.add_flag("--allow-anonymous", allow_anonymous,
               "Serve anonymous clients on a non-loopback --bind (behind an authenticating "
               "proxy)");
  cli.add_option("--demand-linger", linger_s,
                 "Seconds a symbol stays subscribed upstream after its last client left")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  std::string cors = "*";
  std::vector<std::string> transports{"sse", "websocket", "poll"};
  cli.add_option("--cors-origins", cors,
                 "Browser origins allowed to read the API (comma-separated; * for any; empty for "
                 "none)")
      ->capture_default_str();
  cli.add_option("--transports", transports, "Client transports to serve")
      ->delimiter(',')
      ->check(CLI::IsMember({"sse", "websocket", "poll"}))
      ->capture_default_str();
  cli.add_option("--upstream", upstream,
                 "The feed a dispatcher follows: a Tickwire v1 feed (http://HOST:PORT), Alpaca "
                 "(alpaca://iex, sip, delayed_sip or test; keys in APCA_API_KEY_ID and "
                 "APCA_API_SECRET_KEY) or Finnhub (finnhub://; FINNHUB_TOKEN). With --role all "
                 "the built-in simulator is then not run. See docs/providers.md");
  double retry_max_s = 30;
  cli.add_option("--upstream-retry-max", retry_max_s,
                 "Providers: longest wait in seconds between reconnects, and the wait after the "
                 "provider refused the keys or the connection")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  cli.add_option("--exchange-rate", ex.tick_rate, "Simulator: quotes per second, all symbols")
      ->check(CLI::Range(0.0, 10'000'000.0))
      ->capture_default_str();
  cli.add_option("--exchange-symbols", ex.universe_size, "Simulator: number of listed symbols")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  cli.add_option("--exchange-port", exchange_port, "Simulator: loopback port (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cli.add_option("--exchange-seed", ex.seed, "Simulator: random seed")->capture_default_str();
  cli.add_flag("--exchange-seq-from-one", ex.seq_from_one,
               "Simulator: number each symbol's quotes from 1 at every start, as feeds that "
               "restart their numbering do (default: from the start time in microseconds)");
  cli.add_option("--log-level", o.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  std::string log_format = "text";
  cli.add_option("--log-format", log_format,
                 "Log lines as text (for a terminal) or json (one object per line with time, "
                 "level, node, role and message, for log shippers)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  // Every option can also come from the environment: --exchange-rate is TICKWIRE_EXCHANGE_RATE.
  // The usual order holds: command line over environment over config file. CLI11 reads its
  // config file before environment variables, so a variable is passed on as the option itself
  // (unless the command line has it), ahead of what the file says.
  std::vector<std::string> args;
  for (int i = argc - 1; i >= 1; --i) args.emplace_back(argv[i]);  // CLI11 wants them reversed
  auto on_command_line = [&](const std::string& flag) {
    for (int i = 1; i < argc; ++i) {
      const std::string_view a(argv[i]);
      if (a == flag || a.starts_with(flag + "=")) return true;
    }
    return false;
  };
  for (auto* opt : cli.get_options()) {
    const auto& name = opt->get_single_name();
    if (name.empty() || name == "help" || name == "version" || name == "config") continue;
    if (opt->get_group().empty()) continue;  // provider keys: read under their own names
    std::string env = "TICKWIRE_";
    for (char c : name) env += c == '-' ? '_' : static_cast<char>(std::toupper(c));
    const char* value = std::getenv(env.c_str());
    if (!value || on_command_line("--" + name)) continue;
    args.push_back("--" + name + "=" + value);
  }

  try {
    cli.parse(args);
  } catch (const CLI::ParseError& e) {
    exit_code = cli.exit(e);
    return std::nullopt;
  }

  boost::system::error_code ec;
  const auto address = asio::ip::make_address(bind, ec);
  if (ec) {
    std::fprintf(stderr, "tickwired: --bind %s is not an IP address\n", bind.c_str());
    exit_code = 2;
    return std::nullopt;
  }
  o.log_format = *ops::parse_log_format(log_format);  // IsMember above admits only known names
  fe.bind = {address, static_cast<unsigned short>(port)};
  if (admin_port >= 0) {
    const auto admin_address = asio::ip::make_address(admin_bind, ec);
    if (ec) {
      std::fprintf(stderr, "tickwired: --admin-bind %s is not an IP address\n", admin_bind.c_str());
      exit_code = 2;
      return std::nullopt;
    }
    if (role != "frontend") {
      std::fprintf(stderr, "tickwired: --admin-port is for --role frontend (the other roles serve "
                           "/metrics on --port)\n");
      exit_code = 2;
      return std::nullopt;
    }
    if (!admin_address.is_loopback() && admin_token_file.empty()) {
      std::fprintf(stderr, "tickwired: --admin-bind %s is not loopback: give --admin-token-file "
                           "so that the admin endpoints are not open to anyone\n",
                   admin_bind.c_str());
      exit_code = 2;
      return std::nullopt;
    }
    o.node.admin = asio::ip::tcp::endpoint{admin_address, static_cast<unsigned short>(admin_port)};
  } else if (!o.admin_port_file.empty()) {
    std::fprintf(stderr, "tickwired: --admin-port-file needs --admin-port\n");
    exit_code = 2;
    return std::nullopt;
  }
  if (!edge_options(o, admin_token_file, auth, jwt_secret_file, jwt_public_key_file,
                    allow_anonymous, role)) {
    exit_code = 2;
    return std::nullopt;
  }
  fe.threads = threads;
  fe.heartbeat = std::chrono::seconds(heartbeat_s);
  fe.write_timeout = std::chrono::seconds(write_timeout_s);
  fe.cors_origins.clear();
  for (std::size_t start = 0; start <= cors.size();) {
    const auto comma = std::min(cors.find(',', start), cors.size());
    if (comma > start) fe.cors_origins.push_back(cors.substr(start, comma - start));
    start = comma + 1;
  }
  auto on = [&](const char* t) {
    return std::find(transports.begin(), transports.end(), t) != transports.end();
  };
  fe.sse = on("sse");
  fe.websocket = on("websocket");
  fe.polling = on("poll");
  o.node.role = role == "exchange"   ? Role::exchange
                : role == "dispatch" ? Role::dispatch
                : role == "frontend" ? Role::frontend
                                     : Role::all;
  if (cache != "embedded") {
    std::string why;
    const bool ok = cache.starts_with("kafka:")
                        ? (o.node.kafka = cache::kafka::parse_kafka_url(cache, &why)).has_value()
                        : (o.node.redis = cache::redis::parse_redis_url(cache, &why)).has_value();
    if (!ok) {
      std::fprintf(stderr, "tickwired: --cache %s: %s\n", printable_cache(cache).c_str(), why.c_str());
      exit_code = 2;
      return std::nullopt;
    }
  }
  // CLI11's Range lets NaN through (it fails both comparisons).
  if (!std::isfinite(lease_s) || !std::isfinite(publish_window_ms)) {
    std::fprintf(stderr, "tickwired: %s\n",
                 !std::isfinite(lease_s) ? "--lease takes a number of seconds (0.3 to 600)"
                                         : "--publish-window takes a number of milliseconds (0 to 100)");
    exit_code = 2;
    return std::nullopt;
  }
  if (publish_window_ms > 0 && o.node.role != Role::dispatch && o.node.role != Role::all) {
    std::fprintf(stderr, "tickwired: --publish-window is for dispatchers (--role dispatch or "
                         "all); a %s publishes no quotes to the cache tier\n", role.c_str());
    exit_code = 2;
    return std::nullopt;
  }
  if (publish_window_ms > 0 && !o.node.redis) {
    std::fprintf(stderr, "tickwired: --publish-window is for dispatchers over Redis (--cache "
                         "redis://); the embedded cache takes each quote at once, and over Kafka "
                         "the producer gathers records itself\n");
    exit_code = 2;
    return std::nullopt;
  }
  if (o.node.id.empty()) {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    o.node.id = role + "-" + host + "-" + std::to_string(::getpid());
  }
  o.node.lease = std::chrono::milliseconds(static_cast<long>(lease_s * 1000));
  o.node.publish_window = std::chrono::microseconds(std::lround(publish_window_ms * 1000));
  fe.reuse_port = reuse_port;
  ex.bind = {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(exchange_port)};
  ex.heartbeat = std::chrono::seconds(heartbeat_s);
  parts.cache.demand_linger = std::chrono::milliseconds(static_cast<long>(linger_s * 1000));
  parts.v1_feed.idle_timeout = std::chrono::seconds(3 * heartbeat_s);
  parts.provider.retry_max = std::chrono::milliseconds(static_cast<long>(retry_max_s * 1000));
  if (!upstream.empty() && !upstream.starts_with("http")) {
    provider_keys.config_path = config_option->as<std::string>();
    if (!provider_options(upstream, provider_keys, parts.provider)) {
      exit_code = 2;
      return std::nullopt;
    }
  } else if (!upstream.empty()) {
    std::string why;
    parts.upstream = net::parse_upstream_url(upstream, &why);
    if (!parts.upstream) {
      std::fprintf(stderr, "tickwired: --upstream %s: %s\n", upstream.c_str(), why.c_str());
      exit_code = 2;
      return std::nullopt;
    }
  }
  exit_code = 0;
  return o;
}

}  // namespace tickwire::app
