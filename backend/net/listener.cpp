#include "net/listener.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

namespace tickwire::net {

namespace asio = boost::asio;

namespace {
// SO_REUSEPORT as an Asio socket option (Asio names only the portable ones).
struct ReusePort {
  int value = 1;
  template <class Protocol> int level(const Protocol&) const { return SOL_SOCKET; }
  template <class Protocol> int name(const Protocol&) const { return SO_REUSEPORT; }
  template <class Protocol> const void* data(const Protocol&) const { return &value; }
  template <class Protocol> std::size_t size(const Protocol&) const { return sizeof(value); }
};
}  // namespace

Listener::Listener(IoPool& pool, const asio::ip::tcp::endpoint& endpoint, OnAccept on_accept,
                   ops::Registry& metrics, const std::string& metric_prefix, bool reuse_port)
    : pool_(pool),
      acceptor_(pool.shard(0)),
      backoff_timer_(pool.shard(0)),
      on_accept_(std::move(on_accept)),
      accepted_(metrics.counter(metric_prefix + "_accepted_connections_total",
                                "TCP connections accepted")),
      fd_exhausted_(metrics.counter(metric_prefix + "_accept_errors_total",
                                    "Accepts that failed, by reason",
                                    {{"reason", "fd_limit"}})),
      accept_errors_(metrics.counter(metric_prefix + "_accept_errors_total",
                                     "Accepts that failed, by reason", {{"reason", "other"}})) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  if (reuse_port) {
    acceptor_.set_option(ReusePort{});
  }
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

void Listener::start() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] { self->do_accept(); });
}

void Listener::stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
    self->backoff_timer_.cancel();
  });
}

void Listener::do_accept() {
  if (!acceptor_.is_open()) return;
  const asio::any_io_executor shard = pool_.next().get_executor();
  acceptor_.async_accept(shard, [self = shared_from_this()](auto ec, auto socket) {
    self->on_accept(ec, std::move(socket));
  });
}

void Listener::on_accept(boost::system::error_code ec, asio::ip::tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (!take(ec, std::move(socket))) return;
  // Take every connection already waiting, not one per turn of the event loop: a shard busy
  // fanning out quotes would otherwise accept a few per second while the kernel's queue
  // overflows (as nginx's multi_accept). Bounded, so the shard's other work still runs.
  acceptor_.non_blocking(true, ec);
  for (int i = 0; i < 512 && !ec; ++i) {
    asio::ip::tcp::socket next(pool_.next().get_executor());
    acceptor_.accept(next, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) break;
    if (!take(ec, std::move(next))) return;
    ec = {};
  }
  do_accept();
}

bool Listener::take(boost::system::error_code ec, asio::ip::tcp::socket socket) {
  if (ec == asio::error::no_descriptors || ec.value() == ENFILE) {
    fd_exhausted_.inc();
    backoff_ = std::min(std::chrono::milliseconds(1000),
                        std::max(std::chrono::milliseconds(10), backoff_ * 2));
    if (fd_exhausted_.value() % 1000 == 1) {
      spdlog::warn("accept: out of file descriptors ({}), backing off {} ms", ec.message(),
                   backoff_.count());
    }
    backoff_timer_.expires_after(backoff_);
    backoff_timer_.async_wait([self = shared_from_this()](boost::system::error_code wec) {
      if (!wec) self->do_accept();
    });
    return false;
  }
  backoff_ = std::chrono::milliseconds(0);
  if (ec) {
    accept_errors_.inc();
    spdlog::debug("accept: {}", ec.message());
  } else {
    accepted_.inc();
    boost::system::error_code opt_ec;
    socket.set_option(asio::ip::tcp::no_delay(true), opt_ec);  // quotes are small and urgent
    on_accept_(std::move(socket));
  }
  return true;
}

}  // namespace tickwire::net
