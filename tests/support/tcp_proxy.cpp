#include "tcp_proxy.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <future>
#include <list>
#include <random>

namespace tickwire::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
struct Pipe : std::enable_shared_from_this<Pipe> {
  Pipe(asio::io_context& ioc, std::chrono::milliseconds d)
      : client(ioc), server(ioc), up_timer(ioc), down_timer(ioc), delay(d) {}
  tcp::socket client, server;
  asio::steady_timer up_timer, down_timer;
  std::chrono::milliseconds delay;
  std::minstd_rand jitter{17};
  char up[16384], down[16384];
  void pump(tcp::socket& from, tcp::socket& to, char* buf) {
    auto& timer = buf == up ? up_timer : down_timer;
    from.async_read_some(asio::buffer(buf, 16384), [self = shared_from_this(), &from, &to, buf,
                                                    &timer](boost::system::error_code ec,
                                                            std::size_t n) {
      if (ec) return self->abort();
      auto forward = [self, &from, &to, buf, n] {
        asio::async_write(to, asio::buffer(buf, n),
                          [self, &from, &to, buf](boost::system::error_code wec, std::size_t) {
                            if (wec) return self->abort();
                            self->pump(from, to, buf);
                          });
      };
      if (self->delay.count() == 0) return forward();
      // A slow link: each read waits the delay plus up to half of it again, in order.
      const auto extra = self->jitter() % (self->delay.count() / 2 + 1);
      timer.expires_after(self->delay + std::chrono::milliseconds(extra));
      timer.async_wait([forward](boost::system::error_code tec) {
        if (!tec) forward();
      });
    });
  }
  void abort() {
    boost::system::error_code ec;
    up_timer.cancel();
    down_timer.cancel();
    for (auto* s : {&client, &server}) {
      if (!s->is_open()) continue;
      s->set_option(asio::socket_base::linger(true, 0), ec);  // close with RST
      s->close(ec);
    }
  }
};
}  // namespace

struct TcpProxy::Impl {
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
  unsigned short target;
  std::list<std::weak_ptr<Pipe>> pipes;
  std::atomic<int>* accepted;
  std::chrono::milliseconds delay{0};

  void accept() {
    auto pipe = std::make_shared<Pipe>(ioc, delay);
    acceptor.async_accept(pipe->client, [this, pipe](boost::system::error_code ec) {
      if (ec) return;
      ++*accepted;
      pipe->server.async_connect({asio::ip::make_address("127.0.0.1"), target},
                                 [pipe](boost::system::error_code cec) {
                                   if (cec) return pipe->abort();
                                   pipe->pump(pipe->client, pipe->server, pipe->up);
                                   pipe->pump(pipe->server, pipe->client, pipe->down);
                                 });
      pipes.remove_if([](const std::weak_ptr<Pipe>& w) { return w.expired(); });
      pipes.push_back(pipe);
      accept();
    });
  }
};

TcpProxy::TcpProxy(unsigned short target_port, std::chrono::milliseconds delay)
    : impl_(std::make_unique<Impl>()) {
  impl_->target = target_port;
  impl_->delay = delay;
  impl_->accepted = &accepted_;
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->accept();
  thread_ = std::thread([this] { impl_->ioc.run(); });
}

TcpProxy::~TcpProxy() {
  impl_->ioc.stop();
  thread_.join();
}

void TcpProxy::cut() {
  std::promise<void> done;
  asio::post(impl_->ioc, [this, &done] {
    for (auto& w : impl_->pipes) {
      if (auto p = w.lock()) p->abort();
    }
    done.set_value();
  });
  done.get_future().wait();
}

}  // namespace tickwire::test
