#include "stream/periodic_sse_session.hpp"

#include <boost/asio/dispatch.hpp>

#include "stream/lasting_read.hpp"
#include "tickwire/sse.hpp"

namespace tickwire::stream {

namespace asio = boost::asio;

PeriodicSseSession::PeriodicSseSession(net::ClientStream&& stream, StreamHub& hub,
                                       StreamMetrics& metrics, Outbox::Limits limits,
                                       std::string event, std::function<std::string()> produce,
                                       net::ConnectionLimits::Ticket ticket)
    : out_(std::move(stream), Outbox::Wire::sse, metrics, limits),
      hub_(hub),
      event_(std::move(event)),
      produce_(std::move(produce)),
      ticket_(std::move(ticket)) {}

PeriodicSseSession::~PeriodicSseSession() {
  if (subscribed_) hub_.detach(shard_, this);
}

void PeriodicSseSession::start() {
  asio::dispatch(out_.stream().get_executor(), [self = shared_from_this()] {
    self->out_.start(self->weak_from_this());
    self->shard_ = self->hub_.shard_index(self->out_.stream().get_executor());
    self->hub_.attach(self->shard_, self.get());
    self->subscribed_ = true;
    self->out_.push(
        "HTTP/1.1 200 OK\r\nServer: tickwire\r\nContent-Type: text/event-stream\r\n"
        "Cache-Control: no-store\r\nConnection: close\r\n\r\n" + sse::retry(3000));
    self->send_event();
    self->out_.stream().async_read_some(
        asio::buffer(self->read_buf_), lasting_read([self](boost::system::error_code, std::size_t) {
          self->out_.close();  // clients send nothing: any read ends it
        }));
  });
}

void PeriodicSseSession::on_tick(std::chrono::steady_clock::time_point now, bool) {
  out_.on_tick(now);
  send_event();
}

void PeriodicSseSession::send_event() {
  // A reader still busy with an earlier document skips this one: the next is newer anyway.
  if (out_.closed() || out_.draining() || out_.writing()) return;
  std::string event;
  sse::append_event(event, event_, {}, produce_());
  if (out_.push(std::move(event))) out_.flush();
}

void PeriodicSseSession::drain() { out_.drain(); }

}  // namespace tickwire::stream
