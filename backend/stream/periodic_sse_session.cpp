#include "stream/periodic_sse_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>

#include "tickwire/sse.hpp"

namespace tickwire::stream {

namespace asio = boost::asio;

PeriodicSseSession::PeriodicSseSession(asio::ip::tcp::socket&& socket, StreamHub& hub,
                                       std::string event, std::function<std::string()> produce)
    : socket_(std::move(socket)), hub_(hub), event_(std::move(event)), produce_(std::move(produce)) {}

PeriodicSseSession::~PeriodicSseSession() {
  if (subscribed_) hub_.detach(shard_, this);
}

void PeriodicSseSession::start() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    self->shard_ = self->hub_.shard_index(self->socket_.get_executor());
    self->hub_.attach(self->shard_, self.get());
    self->subscribed_ = true;
    self->pending_ =
        "HTTP/1.1 200 OK\r\nServer: tickwire\r\nContent-Type: text/event-stream\r\n"
        "Cache-Control: no-store\r\nConnection: close\r\n\r\n" + sse::retry(3000);
    self->send_event();
    self->socket_.async_read_some(asio::buffer(self->read_buf_),
                                  [self](boost::system::error_code, std::size_t) {
                                    self->close();  // clients send nothing: any read ends it
                                  });
  });
}

void PeriodicSseSession::on_tick(std::chrono::steady_clock::time_point, bool) { send_event(); }

void PeriodicSseSession::send_event() {
  if (closed_ || draining_) return;
  if (writing_) pending_.clear();  // the client is behind: only the newest document matters
  sse::append_event(pending_, event_, {}, produce_());
  if (!writing_) do_write();
}

void PeriodicSseSession::drain() {
  draining_ = true;
  if (!writing_) do_write();
}

void PeriodicSseSession::do_write() {
  if (closed_) return;
  if (pending_.empty()) {
    if (draining_) {
      boost::system::error_code ec;
      socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
      close();
    }
    return;
  }
  out_ = std::move(pending_);
  pending_.clear();
  writing_ = true;
  asio::async_write(socket_, asio::buffer(out_),
                    [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                      self->writing_ = false;
                      if (ec) return self->close();
                      self->do_write();
                    });
}

void PeriodicSseSession::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ec;
  socket_.close(ec);
}

}  // namespace tickwire::stream
