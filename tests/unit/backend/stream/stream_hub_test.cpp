// StreamHub's batching and accounting: a busy shard hands a subscriber several quotes and asks
// for one flush; quotes it never delivers are counted per subscriber.
#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <future>

#include "stream/stream_hub.hpp"

namespace tickwire::stream {
namespace {

class RecordingSubscriber final : public StreamSubscriber {
 public:
  bool deliver(const FramePtr& frame, std::uint32_t slot) override {
    delivered.push_back({slot, frame->quote.seq});
    if (flush_asked) return false;
    flush_asked = true;
    return true;
  }
  void flush() override {
    flush_asked = false;
    ++flushes;
    batches.push_back(delivered.size());
  }
  void on_tick(std::chrono::steady_clock::time_point, bool) override {}
  void drain() override {}
  void set_table_position(std::uint32_t, std::uint32_t) override {}
  void notify_symbol_status(const StatusPtr& status, std::uint32_t slot) override {
    statuses.push_back({slot, status->json});
  }

  std::vector<std::pair<std::uint32_t, std::uint64_t>> delivered;  // slot, seq
  std::vector<std::pair<std::uint32_t, std::string>> statuses;     // slot, status JSON
  std::vector<std::size_t> batches;  // deliveries so far at each flush
  int flushes = 0;
  bool flush_asked = false;
};

EncodedQuote quote(const std::string& symbol, std::uint64_t seq) {
  Quote q;
  q.symbol = symbol;
  q.seq = seq;
  q.ts = 1;
  q.last = q.bid = q.ask = q.open = q.high = q.low = q.prev_close = 10;
  return EncodedQuote::encode(q);
}

class StreamHubTest : public ::testing::Test {
 protected:
  StreamHubTest() : pool(1, "hub-test"), hub(pool, metrics, {"test", std::chrono::seconds(15)}) {
    pool.start();
    on_shard([&] {
      hub.attach(0, &sub);
      hub.add(0, &sub, {"AAA", "BBB"}, {0, 1});
    });
  }
  ~StreamHubTest() override {
    on_shard([&] {
      hub.remove(0, &sub, {"AAA", "BBB"}, {0, 0});
      hub.detach(0, &sub);
    });
    pool.stop_now();
    pool.join();
  }

  // Runs `fn` on the shard thread and waits for it (and for everything posted before it).
  template <class F> void on_shard(F fn) {
    std::promise<void> done;
    boost::asio::post(pool.shard(0), [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }
  // Holds the shard thread until the returned promise is set, so quotes pile up in its inbox.
  std::promise<void> block_shard() {
    std::promise<void> release;
    std::promise<void> blocked;
    boost::asio::post(pool.shard(0), [&blocked, gate = release.get_future().share()] {
      blocked.set_value();
      gate.wait();
    });
    blocked.get_future().wait();
    return release;
  }
  double counter(const std::string& name) { return static_cast<double>(metrics.counter(name, "").value()); }

  ops::Registry metrics;
  net::IoPool pool;
  StreamHub hub;
  RecordingSubscriber sub;
};

TEST_F(StreamHubTest, AnIdleShardAsksForOneFlushPerQuote) {
  hub.publish(quote("AAA", 1));
  on_shard([] {});
  hub.publish(quote("BBB", 1));
  on_shard([] {});
  EXPECT_EQ(sub.delivered.size(), 2u);
  EXPECT_EQ(sub.flushes, 2);
}

TEST_F(StreamHubTest, ABusyShardBatchesQuotesIntoOneFlushAndCountsWhatItReplaced) {
  auto release = block_shard();
  hub.publish(quote("AAA", 1));
  hub.publish(quote("BBB", 1));
  hub.publish(quote("AAA", 2));  // replaces AAA 1 before the shard gets to it
  release.set_value();
  on_shard([] {});

  ASSERT_EQ(sub.delivered.size(), 2u);
  // AAA 1 was superseded in place of the newer one; event order is kept: BBB 1, then AAA 2.
  EXPECT_EQ(sub.delivered[0], (std::pair<std::uint32_t, std::uint64_t>{1, 1}));
  EXPECT_EQ(sub.delivered[1], (std::pair<std::uint32_t, std::uint64_t>{0, 2}));
  EXPECT_EQ(sub.flushes, 1);
  EXPECT_EQ(sub.batches, std::vector<std::size_t>{2});
  EXPECT_EQ(counter("test_shard_conflated_total"), 1);
  EXPECT_EQ(counter("test_shard_conflated_deliveries_total"), 1);  // 1 quote x 1 subscriber
  EXPECT_EQ(counter("test_skipped_deliveries_total"), 0);
}

TEST_F(StreamHubTest, QuotesThatNeverArrivedAreCountedPerSubscriber) {
  hub.publish(quote("AAA", 1));
  on_shard([] {});
  hub.publish(quote("AAA", 4));  // seqs 2 and 3 never reached this hub
  on_shard([] {});
  EXPECT_EQ(counter("test_skipped_deliveries_total"), 2);

  // Skipped seqs of a replaced quote are not lost from the count either.
  auto release = block_shard();
  hub.publish(quote("AAA", 6));  // 5 skipped
  hub.publish(quote("AAA", 7));  // replaces 6
  release.set_value();
  on_shard([] {});
  EXPECT_EQ(counter("test_skipped_deliveries_total"), 3);
  EXPECT_EQ(counter("test_shard_conflated_deliveries_total"), 1);
  EXPECT_EQ(sub.delivered.back().second, 7u);
}

TEST_F(StreamHubTest, ASymbolTheUpstreamRefusesIsToldToItsSubscribersAndSnapshotsUntilAQuote) {
  hub.set_symbol_status("BBB", "upstream_symbol_limit");
  hub.set_symbol_status("BBB", "upstream_symbol_limit");  // no change: told once
  hub.set_symbol_status("CCC", "upstream_symbol_limit");  // nobody here follows it
  on_shard([] {});
  const std::string refused =
      R"({"state":"unavailable","reason":"upstream_symbol_limit","symbol":"BBB"})";
  ASSERT_EQ(sub.statuses.size(), 1u);
  EXPECT_EQ(sub.statuses[0], (std::pair<std::uint32_t, std::string>{1, refused}));
  EXPECT_EQ(counter("test_symbol_status_changes_total"), 2);

  auto snap = hub.snapshot({"AAA", "BBB", "CCC"}, "");
  ASSERT_EQ(snap.unavailable.size(), 2u);
  EXPECT_EQ(snap.unavailable[0]->symbol, "BBB");
  EXPECT_EQ(snap.unavailable[0]->sse, "event: status\ndata: " + refused + "\n\n");
  EXPECT_EQ(hub.unavailable({"AAA", "CCC"}).size(), 1u);

  // A quote of it means the upstream carries it again: its subscribers are told, and new
  // streams no longer hear of the refusal.
  hub.publish(quote("BBB", 1));
  on_shard([] {});
  ASSERT_EQ(sub.statuses.size(), 2u);
  EXPECT_EQ(sub.statuses[1].second, R"({"state":"available","symbol":"BBB"})");
  EXPECT_TRUE(hub.snapshot({"BBB"}, "").unavailable.empty());
  EXPECT_EQ(sub.delivered.back(), (std::pair<std::uint32_t, std::uint64_t>{1, 1}));

  // Cleared without a quote (nobody wants it any more upstream): told, once.
  hub.set_symbol_status("CCC", "");
  hub.set_symbol_status("CCC", "");
  EXPECT_TRUE(hub.unavailable({"CCC"}).empty());
  EXPECT_EQ(counter("test_symbol_status_changes_total"), 4);
}

}  // namespace
}  // namespace tickwire::stream
