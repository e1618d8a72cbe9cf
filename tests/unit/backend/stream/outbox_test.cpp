// The Outbox over a real loopback TCP connection: conflation, the byte bound, the write timeout,
// closing while a write is in flight, and the synchronous fast path when the socket takes only
// part of a write.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/socket_base.hpp>

#include "ops/metrics.hpp"
#include "stream/outbox.hpp"
#include "stream/ws_frame.hpp"

namespace tickwire::stream {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

FramePtr frame(const std::string& symbol, std::uint64_t seq, std::size_t size = 100) {
  auto f = std::make_shared<QuoteFrame>();
  f->quote.symbol = symbol;
  f->quote.seq = seq;
  f->event_id = seq;
  f->sse = "event: quote\ndata: " + symbol + " " + std::to_string(seq) + "\n\n";
  f->sse.resize(std::max(f->sse.size(), size), ' ');
  f->ws = ws::frame(ws::Opcode::text, symbol + " " + std::to_string(seq));
  return f;
}

class OutboxTest : public ::testing::Test {
 protected:
  // A connected pair: `server` goes into the outbox, `client` is read by the test. Small buffers
  // on request, so that writes back up after a few KB.
  void connect(bool small_buffers) {
    tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    client = std::make_unique<tcp::socket>(io);
    client->open(tcp::v4());
    if (small_buffers) client->set_option(asio::socket_base::receive_buffer_size(4096));
    client->connect(acceptor.local_endpoint());
    tcp::socket server(io);
    acceptor.accept(server);
    if (small_buffers) server.set_option(asio::socket_base::send_buffer_size(4096));
    out = std::make_unique<Outbox>(net::ClientStream(std::move(server)), Outbox::Wire::sse, stream_metrics, limits);
    out->start(owner);
  }

  // Reads exactly `n` bytes from the client side, running the io_context meanwhile.
  std::string read_exactly(std::size_t n) {
    std::string got(n, '\0');
    std::size_t have = 0;
    client->non_blocking(true);
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (have < n && std::chrono::steady_clock::now() < deadline) {
      boost::system::error_code ec;
      have += client->read_some(asio::buffer(got.data() + have, n - have), ec);
      io.poll();
      io.restart();
    }
    got.resize(have);
    return got;
  }


  asio::io_context io;
  ops::Registry metrics;
  StreamMetrics stream_metrics = StreamMetrics::make(metrics, "test", "sse", false);
  Outbox::Limits limits{64 * 1024, 30s};
  std::shared_ptr<int> owner = std::make_shared<int>(0);
  std::unique_ptr<tcp::socket> client;
  std::unique_ptr<Outbox> out;
};

TEST_F(OutboxTest, ControlMessagesGoOutFirstThenQuotesInEventOrder) {
  connect(false);
  out->quotes().resize(2);
  out->offer(1, frame("B", 1, 0));
  out->offer(0, frame("A", 2, 0));
  out->push("hello\n");
  out->flush();
  const auto expected = "hello\n" + frame("B", 1, 0)->sse + frame("A", 2, 0)->sse;
  EXPECT_EQ(read_exactly(expected.size()), expected);
  EXPECT_TRUE(out->idle());
  EXPECT_EQ(out->bytes(), 0u);
  EXPECT_EQ(stream_metrics.sent->value(), 2u);
}

TEST_F(OutboxTest, ANewerQuoteReplacesAnUnsentOneAndItsBytes) {
  connect(false);
  out->quotes().resize(1);
  out->hold_quotes(true);  // as while a snapshot is assembled: nothing is written yet
  EXPECT_EQ(out->offer(0, frame("A", 1, 100)), ConflationQueue::Offer::queued);
  EXPECT_EQ(out->bytes(), 100u);
  EXPECT_EQ(out->offer(0, frame("A", 2, 150)), ConflationQueue::Offer::conflated);
  EXPECT_EQ(out->bytes(), 150u);  // one frame's worth, however many came
  EXPECT_EQ(out->offer(0, frame("A", 2, 150)), ConflationQueue::Offer::stale);
  out->hold_quotes(false);
  out->flush();
  const auto expected = frame("A", 2, 150)->sse;
  EXPECT_EQ(read_exactly(expected.size()), expected);
  EXPECT_EQ(out->bytes(), 0u);
}

TEST_F(OutboxTest, APartialWriteFinishesThroughTheReactorWithEveryByteInOrder) {
  connect(true);
  // Far more than the socket takes at once: the synchronous write sends a part, the reactor
  // the rest, while the test reads.
  std::string big;
  for (int i = 0; big.size() < 2'000'000; ++i) big += "line " + std::to_string(i) + "\n";
  out->quotes().resize(1);
  out->push(big.substr(0, 40'000));
  out->offer(0, frame("A", 1, 20'000));
  limits.max_bytes = 1 << 22;
  out->flush();
  EXPECT_TRUE(out->writing()) << "the socket took 60 KB at once; the test needs a partial write";
  const auto expected = big.substr(0, 40'000) + frame("A", 1, 20'000)->sse;
  EXPECT_EQ(read_exactly(expected.size()), expected);
  io.poll();
  EXPECT_FALSE(out->writing());
  EXPECT_EQ(out->bytes(), 0u);
  EXPECT_EQ(stream_metrics.writes->value(), 1u);
}

TEST_F(OutboxTest, PassingTheByteBoundClosesTheConnectionAndCountsIt) {
  connect(true);
  // A client that reads nothing while replies pile up: each push is within the bound, together
  // they pass it.
  bool accepted = true;
  int pushed = 0;
  while (accepted && pushed < 1000) {
    accepted = out->push(std::string(8 * 1024, 'x'));
    out->flush();
    ++pushed;
  }
  EXPECT_FALSE(accepted);
  EXPECT_TRUE(out->closed());
  EXPECT_LT(pushed, 20) << "64 KB of queued output plus what the socket took";
  EXPECT_EQ(stream_metrics.outbox_overflows->value(), 1u);
  EXPECT_FALSE(out->push("more")) << "a closed outbox takes nothing";
  // The client sees the connection end after what it was sent.
  client->non_blocking(false);
  boost::system::error_code ec;
  std::string sink(1 << 20, '\0');
  while (!ec) client->read_some(asio::buffer(sink), ec);
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
}

TEST_F(OutboxTest, AWriteThatWaitsPastTheTimeoutClosesTheConnection) {
  connect(true);
  out->push(std::string(60 * 1024, 'x'));
  out->flush();
  ASSERT_TRUE(out->writing());
  out->on_tick(std::chrono::steady_clock::now() + 10s);
  EXPECT_FALSE(out->closed()) << "within the write timeout";
  out->on_tick(std::chrono::steady_clock::now() + 31s);
  EXPECT_TRUE(out->closed());
  EXPECT_EQ(stream_metrics.write_timeouts->value(), 1u);
}

TEST_F(OutboxTest, ClosingWhileAWriteIsInFlightReleasesTheOwnerOnce) {
  connect(true);
  std::weak_ptr<int> watch = owner;
  out->push(std::string(60 * 1024, 'x'));
  out->flush();
  ASSERT_TRUE(out->writing());
  owner.reset();  // now only the write in flight keeps the owner alive
  EXPECT_FALSE(watch.expired());
  out->close();
  io.poll();  // the aborted write's handler runs and lets go
  EXPECT_TRUE(watch.expired());
  EXPECT_TRUE(out->closed());
  EXPECT_FALSE(out->writing());
  out->flush();  // harmless after close
  EXPECT_EQ(stream_metrics.writes->value(), 0u);
}

TEST_F(OutboxTest, DrainSendsWhatIsPendingThenTheFarewellThenEnds) {
  connect(false);
  out->quotes().resize(1);
  out->offer(0, frame("A", 1, 0));
  out->drain("bye\n");
  EXPECT_EQ(out->offer(0, frame("A", 2, 0)), ConflationQueue::Offer::stale)
      << "a draining outbox takes no more quotes";
  const auto expected = frame("A", 1, 0)->sse + "bye\n";
  EXPECT_EQ(read_exactly(expected.size()), expected);
  io.poll();
  EXPECT_TRUE(out->closed());
  char c;
  boost::system::error_code ec;
  client->non_blocking(false);
  client->read_some(asio::buffer(&c, 1), ec);
  EXPECT_EQ(ec, asio::error::eof);
}

TEST_F(OutboxTest, TheWebSocketWireSendsEachFramesWebSocketEncoding) {
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  client = std::make_unique<tcp::socket>(io);
  client->connect(acceptor.local_endpoint());
  tcp::socket server(io);
  acceptor.accept(server);
  out = std::make_unique<Outbox>(net::ClientStream(std::move(server)), Outbox::Wire::websocket, stream_metrics,
                                 limits);
  out->start(owner);
  out->quotes().resize(1);
  out->offer(0, frame("A", 7));
  out->flush();
  const auto expected = frame("A", 7)->ws;
  EXPECT_EQ(read_exactly(expected.size()), expected);
}

}  // namespace
}  // namespace tickwire::stream
