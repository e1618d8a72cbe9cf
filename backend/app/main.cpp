// tickwired: the Tickwire backend, headless. See --help and docs/operations.md.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string_view>
#include <memory>
#include <stdexcept>
#include <thread>

#include "app/options.hpp"
#include "app/token_command.hpp"
#include "ops/logging.hpp"

namespace {

// Use every descriptor the hard limit allows: each client connection is one.
rlim_t raise_open_file_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    getrlimit(RLIMIT_NOFILE, &lim);
  }
  return lim.rlim_cur;
}

}  // namespace

int main(int argc, char** argv) {
  // A peer that closed its socket must cost a write error, not the process: hiredis writes with
  // write(2), which raises SIGPIPE on a Redis connection closed under it (Asio's own sockets
  // already send with MSG_NOSIGNAL).
  std::signal(SIGPIPE, SIG_IGN);
  // `tickwired token ...` mints a client token (operators, tests) and exits.
  if (argc > 1 && std::string_view(argv[1]) == "token") {
    return tickwire::app::run_token_command(argc, argv);
  }
  int exit_code = 0;
  auto options = tickwire::app::parse_options(argc, argv, exit_code);
  if (!options) return exit_code;
  // JSON lines carry the node's name and role, so a log shipper can tell a fleet's nodes apart.
  tickwire::ops::init_logging(options->log_level, options->log_format,
                              {{"node", options->node.id},
                               {"role", tickwire::app::to_string(options->node.role)}});

  std::unique_ptr<tickwire::app::Node> node;
  try {
    node = std::make_unique<tickwire::app::Node>(options->node);
  } catch (const std::invalid_argument& e) {
    spdlog::critical("{}", e.what());
    return 2;
  }
  if (options->check_only) {
    const auto& n = options->node;
    // The feed matters to a dispatcher (and to `all`, which otherwise runs the simulator).
    const bool follows =
        n.role == tickwire::app::Role::dispatch || n.role == tickwire::app::Role::all;
    const std::string up = !follows                ? ""
                           : n.parts.provider.any() ? n.parts.provider.str()
                           : n.parts.upstream       ? n.parts.upstream->str()
                                                    : "";
    const std::string cache = n.redis ? n.redis->str() : n.kafka ? n.kafka->str() : "embedded";
    std::printf("tickwired: configuration OK: role %s, node %s, cache %s, %s:%u%s%s\n",
                tickwire::app::to_string(n.role).c_str(), n.id.c_str(), cache.c_str(),
                n.parts.frontend.bind.address().to_string().c_str(), n.parts.frontend.bind.port(),
                up.empty() ? "" : ", upstream ", up.c_str());
    return 0;
  }
  const auto fd_limit = raise_open_file_limit();
  spdlog::info("tickwired starting (open file limit {})", fd_limit);
  try {
    node->start();
  } catch (const boost::system::system_error& e) {
    spdlog::critical("cannot start: {}", e.what());
    return 1;
  } catch (const std::invalid_argument& e) {
    // A file that changed between the option check and the start (a TLS key, ...).
    spdlog::critical("cannot start: {}", e.what());
    return 2;
  }
  const auto ep = node->endpoint();
  const auto role = options->node.role;
  const auto& fe = options->node.parts.frontend;
  const char* scheme = fe.tls.enabled() ? "https" : "http";
  if (role == tickwire::app::Role::all || role == tickwire::app::Role::frontend) {
    spdlog::info("frontend listening on {}://{}:{}  (try: curl -N '{}://{}:{}/v1/stream?symbols=AAPL,MSFT')",
                 scheme, ep.address().to_string(), ep.port(), scheme, ep.address().to_string(),
                 ep.port());
  } else {
    spdlog::info("{} listening on {}://{}:{} (/healthz, /metrics)",
                 tickwire::app::to_string(role), scheme, ep.address().to_string(), ep.port());
  }
  spdlog::info("clients: {}{}; admin endpoints: {}", fe.tokens ? "JWT required" : "anonymous",
               fe.tls.enabled() ? ", TLS" : "",
               fe.admin_token.empty() ? "open" : "admin token required");
  // Written to a temporary name and renamed, so a reader never sees a partial file.
  const auto write_port = [](const std::string& file, unsigned short port) {
    const auto tmp = file + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::rename(tmp.c_str(), file.c_str());
  };
  const auto admin = node->admin_endpoint();
  if (admin) {
    spdlog::info("admin endpoints of this process on http://{}:{} (/metrics, /healthz, /readyz, "
                 "/v1/admin/*)", admin->address().to_string(), admin->port());
  }
  if (!options->port_file.empty()) write_port(options->port_file, ep.port());
  if (admin && !options->admin_port_file.empty()) write_port(options->admin_port_file, admin->port());

  boost::asio::io_context signals_ctx;
  boost::asio::signal_set signals(signals_ctx, SIGINT, SIGTERM, SIGHUP);
  int received = 0;
  std::function<void(boost::system::error_code, int)> on_signal =
      [&](boost::system::error_code, int sig) {
        if (sig != SIGHUP) {
          received = sig;
          return;
        }
        // SIGHUP: new certificate for new connections; running ones keep theirs.
        if (!fe.tls.enabled()) spdlog::info("SIGHUP: no TLS certificate to reload");
        else node->reload_tls();
        signals.async_wait(on_signal);
      };
  signals.async_wait(on_signal);
  signals_ctx.run();

  spdlog::info("signal {} received: draining clients", received);
  // Exit within 5 s whatever happens: a watchdog ends the process if draining hangs.
  std::thread([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(4800));
    spdlog::error("shutdown did not finish in time; exiting");
    spdlog::default_logger()->flush();
    _exit(1);
  }).detach();
  node->shutdown(std::chrono::milliseconds(3000));
  spdlog::info("stopped");
  return 0;
}
