// The dispatcher's side of the Redis cache tier against a real redis-server: how quotes are
// gathered into calls. By default the quotes of one loop turn share a call and nothing waits
// for more; with a publish window a quote waits up to the window for others to share its call.
#include <gtest/gtest.h>

#include <thread>

#include "backend_fixture.hpp"
#include "cache/redis/redis_dispatch_side.hpp"
#include "cache/redis/redis_keys.hpp"
#include "redis_node_thread.hpp"
#include "redis_server.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;
namespace redis = cache::redis;

EncodedQuote quote(const std::string& symbol, std::uint64_t seq) {
  Quote q;
  q.symbol = symbol;
  q.seq = seq;
  q.ts = 1'700'000'000'000'000 + static_cast<std::int64_t>(seq);
  q.last = 100.0 + static_cast<double>(seq);
  return EncodedQuote::encode(q);
}

// A dispatcher's cache side on its own thread, as tickwired runs it.
class Publisher {
 public:
  Publisher(unsigned short port, std::chrono::microseconds window) : node_(port, "dispatch-test") {
    side_ = std::make_unique<redis::RedisDispatchSide>(
        node_.link(), node_.metrics(),
        redis::RedisDispatchSide::Configuration{.publish_window = window});
    side_->start();
    node_.run();
  }
  ~Publisher() {
    node_.stop([this] { side_->stop(); });
  }
  // From the metric (atomic): ready() itself is the link thread's.
  bool ready() { return node_.metrics().gauge("tickwire_redis_ready", "").value() == 1; }
  void publish(const EncodedQuote& q) { side_->publish(q); }
  std::uint64_t counter(const char* name) { return node_.metrics().counter(name, "").value(); }

 private:
  RedisNodeThread node_;
  std::unique_ptr<redis::RedisDispatchSide> side_;
};

// Whether Redis holds a latest quote of the symbol.
bool stored(unsigned short port, const std::string& symbol) {
  return redis_command(port, "EXISTS " + redis::keys::quote(symbol)) == ":1";
}

TEST(RedisDispatchSide, APublishWindowGathersTheQuotesItSeesIntoOneCall) {
  RedisServer server("dispatch-side-window");
  constexpr auto kWindow = 2s;  // long against any stall of a loaded test machine
  Publisher publisher(server.port(), kWindow);
  ASSERT_TRUE(eventually([&] { return publisher.ready(); }, 5s));
  constexpr int kQuotes = 20;
  const auto published_at = std::chrono::steady_clock::now();
  for (int i = 0; i < kQuotes; ++i) publisher.publish(quote("S" + std::to_string(i), 1));

  // Held for the window: nothing in Redis a quarter of it later...
  std::this_thread::sleep_for(kWindow / 4);
  for (int i = 0; i < kQuotes; ++i) EXPECT_FALSE(stored(server.port(), "S" + std::to_string(i)));
  // ...then all of them, in one call, once it has passed.
  ASSERT_TRUE(eventually(
      [&] { return publisher.counter("tickwire_cache_quotes_total") == kQuotes; }, 10s));
  EXPECT_GE(std::chrono::steady_clock::now() - published_at, kWindow);
  for (int i = 0; i < kQuotes; ++i) {
    EXPECT_TRUE(stored(server.port(), "S" + std::to_string(i))) << i;
  }
  EXPECT_EQ(publisher.counter("tickwire_cache_publish_calls_total"), 1u);
}

TEST(RedisDispatchSide, WithoutAWindowAQuoteGoesAtOnce) {
  RedisServer server("dispatch-side-no-window");
  Publisher publisher(server.port(), 0us);
  ASSERT_TRUE(eventually([&] { return publisher.ready(); }, 5s));
  // Apart in time: each goes in a call of its own, without waiting for the next.
  for (int i = 0; i < 3; ++i) {
    const auto symbol = "T" + std::to_string(i);
    publisher.publish(quote(symbol, 1));
    // Counted once Redis answered the call (the key shows a moment before the answer is read).
    // Well within the 2 s window above: a zero window taken for a long one would miss this.
    ASSERT_TRUE(eventually(
        [&] { return publisher.counter("tickwire_cache_quotes_total") == unsigned(i + 1); }, 1s));
    EXPECT_TRUE(stored(server.port(), symbol));
  }
  EXPECT_EQ(publisher.counter("tickwire_cache_quotes_total"), 3u);
  EXPECT_EQ(publisher.counter("tickwire_cache_publish_calls_total"), 3u);
}

TEST(RedisDispatchSide, QuotesWaitingForTheWindowAreSentWhenItStops) {
  RedisServer server("dispatch-side-stop");
  {
    Publisher publisher(server.port(), 10s);  // far longer than the test waits
    ASSERT_TRUE(eventually([&] { return publisher.ready(); }, 5s));
    publisher.publish(quote("LAST", 7));  // posted to the link's thread before the stop below
  }  // stopped: the side, then the link (which flushes what was sent before it closes)
  EXPECT_TRUE(stored(server.port(), "LAST"));
}

}  // namespace
}  // namespace tickwire::test
