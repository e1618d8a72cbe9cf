#include "tcp_proxy.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <future>
#include <list>

namespace tickwire::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
struct Pipe : std::enable_shared_from_this<Pipe> {
  explicit Pipe(asio::io_context& ioc) : client(ioc), server(ioc) {}
  tcp::socket client, server;
  char up[16384], down[16384];
  void pump(tcp::socket& from, tcp::socket& to, char* buf) {
    from.async_read_some(asio::buffer(buf, 16384), [self = shared_from_this(), &from, &to, buf](
                                                       boost::system::error_code ec, std::size_t n) {
      if (ec) return self->abort();
      asio::async_write(to, asio::buffer(buf, n),
                        [self, &from, &to, buf](boost::system::error_code wec, std::size_t) {
                          if (wec) return self->abort();
                          self->pump(from, to, buf);
                        });
    });
  }
  void abort() {
    boost::system::error_code ec;
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

  void accept() {
    auto pipe = std::make_shared<Pipe>(ioc);
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

TcpProxy::TcpProxy(unsigned short target_port) : impl_(std::make_unique<Impl>()) {
  impl_->target = target_port;
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
