// The Dispatcher's numbering over the embedded cache tier, with a scripted upstream: what
// clients see when the feed restarts, and when another dispatcher numbered a symbol before.
#include "dispatch/dispatcher.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <mutex>
#include <vector>

#include "cache/embedded_cache.hpp"

namespace tickwire::dispatch {
namespace {

using namespace std::chrono_literals;

// An upstream the test drives by hand.
class ScriptedUpstream final : public UpstreamAdapter {
 public:
  std::string name() const override { return "scripted"; }
  std::string describe() const override { return "scripted"; }
  std::size_t connection_budget() const override { return 0; }
  void start(Events events) override { events_ = std::move(events); }
  void subscribe(const std::vector<std::string>& symbols) override {
    subscribed_.insert(subscribed_.end(), symbols.begin(), symbols.end());
  }
  void unsubscribe(const std::vector<std::string>&) override {}
  void stop() override {}
  void backfill(const std::vector<std::string>&, BarsFound found) override {
    found_ = std::move(found);
  }

  bool subscribed() const { return !subscribed_.empty(); }
  // The provider's history of AAPL arriving.
  void history(std::vector<Bar> bars) { found_("AAPL", std::move(bars)); }
  void refuse(const std::string& symbol) { events_.unavailable(symbol, "upstream_symbol_limit"); }
  void send(std::uint64_t epoch, std::uint64_t seq, std::int64_t ts, double last) {
    Quote q;
    q.symbol = "AAPL";
    q.seq = seq;
    q.ts = ts;
    q.last = last;
    events_.quote({q, epoch});
  }

 private:
  Events events_;
  BarsFound found_;
  std::vector<std::string> subscribed_;
};

class DispatcherNumbering : public ::testing::Test {
 protected:
  DispatcherNumbering() {
    auto upstream = std::make_unique<ScriptedUpstream>();
    upstream_ = upstream.get();
    dispatcher_ = std::make_unique<Dispatcher>(ioc_.get_executor(), cache_, metrics_,
                                               Dispatcher::Configuration{"d1", 1ms, 10ms},
                                               std::move(upstream));
    cache_.attach_frontend(
        "fe", {[this](const EncodedQuote& q) {
                 std::lock_guard lock(mu_);
                 seen_.push_back(q.seq);
               },
               [this](const cache::SymbolStatus& st) {
                 std::lock_guard lock(mu_);
                 statuses_.push_back(st.symbol + ":" + st.reason);
               }});
    cache_.add_demand("fe", {"AAPL"});
    cache_.start();
    dispatcher_->start();
    run_until([&] { return upstream_->subscribed(); });
  }
  ~DispatcherNumbering() override {
    dispatcher_->stop();
    cache_.stop();
    ioc_.run_for(50ms);
    cache_.detach_frontend("fe");
  }

  template <class F>
  void run_until(F done) {
    for (int i = 0; i < 200 && !done(); ++i) ioc_.run_for(5ms);
    ASSERT_TRUE(done());
  }
  std::vector<std::uint64_t> seen() {
    ioc_.run_for(20ms);
    std::lock_guard lock(mu_);
    return seen_;
  }
  std::vector<Bar> stored_bars(const std::string& symbol) {
    ioc_.run_for(30ms);  // a bar flush or more
    std::optional<std::vector<Bar>> out;
    cache_.read_bars(symbol, [&](std::optional<std::vector<Bar>> bars) { out = std::move(bars); });
    EXPECT_TRUE(out.has_value());  // the embedded cache tier always answers
    return out.value_or(std::vector<Bar>{});
  }
  std::vector<std::string> statuses() {
    ioc_.run_for(20ms);
    std::lock_guard lock(mu_);
    return statuses_;
  }
  // What another dispatcher published for AAPL before this one took it.
  void held_in_cache(std::uint64_t seq, std::int64_t ts) {
    Quote q;
    q.symbol = "AAPL";
    q.seq = seq;
    q.ts = ts;
    q.last = 1;
    cache_.publish(EncodedQuote::encode(q));
  }
  double metric(const std::string& name) {
    const auto text = metrics_.render_prometheus();
    const auto at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + name.size() + 2));
  }

  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      ioc_.get_executor()};
  ops::Registry metrics_;
  // A short linger, so that a released symbol stops being demanded within the test.
  cache::EmbeddedCache cache_{ioc_.get_executor(), metrics_, {20ms, 5ms}};
  ScriptedUpstream* upstream_ = nullptr;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::mutex mu_;
  std::vector<std::uint64_t> seen_;
  std::vector<std::string> statuses_;  // "SYMBOL:reason" as the frontend's sink got them
};

TEST_F(DispatcherNumbering, ARestartedFeedIsFollowedAndSeqKeepsIncreasing) {
  upstream_->send(7, 500, 100, 1.0);
  upstream_->send(7, 501, 101, 1.1);
  upstream_->send(8, 1, 102, 1.2);  // restarted: numbers from 1 under a new epoch
  upstream_->send(8, 2, 103, 1.3);
  upstream_->send(8, 2, 104, 1.4);  // a duplicate of the new life
  EXPECT_EQ(seen(), (std::vector<std::uint64_t>{500, 501, 502, 503}));
  EXPECT_EQ(metric("tickwire_dispatch_upstream_restarts_total"), 1);
  EXPECT_EQ(metric("tickwire_dispatch_stale_quotes_total"), 1);
}

TEST_F(DispatcherNumbering, NumberingBelowWhatTheCacheTierHoldsMovesAboveIt) {
  // Another dispatcher numbered AAPL up to 9000 (it followed a feed restart; then it died).
  held_in_cache(9000, 50);
  upstream_->send(3, 20, 60, 1.5);  // newer data, numbered lower: refused, then renumbered
  EXPECT_EQ(seen(), (std::vector<std::uint64_t>{9000, 9001}));
  upstream_->send(3, 21, 61, 1.6);
  upstream_->send(3, 23, 62, 1.7);  // a gap stays a gap
  EXPECT_EQ(seen(), (std::vector<std::uint64_t>{9000, 9001, 9002, 9004}));
  EXPECT_EQ(metric("tickwire_dispatch_seq_rebased_total"), 1);
}

TEST_F(DispatcherNumbering, AQuoteNoNewerThanTheHeldOneIsNotRenumbered) {
  // Another dispatcher is simply ahead with the same data (a handover): nothing to fix.
  held_in_cache(30, 70);
  upstream_->send(3, 29, 69, 1.5);
  upstream_->send(3, 30, 70, 1.5);
  upstream_->send(3, 31, 71, 1.6);
  EXPECT_EQ(seen(), (std::vector<std::uint64_t>{30, 31}));
  EXPECT_EQ(metric("tickwire_dispatch_seq_rebased_total"), 0);
}

// A refused symbol reaches the frontends through the cache tier (stored there for frontends
// that ask later), and the next quote of it clears it.
TEST_F(DispatcherNumbering, ASymbolTheUpstreamRefusesIsToldToFrontendsUntilAQuoteComes) {
  upstream_->refuse("AAPL");
  upstream_->refuse("MSFT");  // not held by this dispatcher: ignored
  EXPECT_EQ(statuses(), std::vector<std::string>{"AAPL:upstream_symbol_limit"});
  EXPECT_EQ(metric("tickwire_dispatch_unavailable_symbols_total"), 1);

  cache_.attach_frontend("fe2", {[](const EncodedQuote&) {},
                                 [this](const cache::SymbolStatus& st) {
                                   std::lock_guard lock(mu_);
                                   statuses_.push_back("fe2 " + st.symbol + ":" + st.reason);
                                 }});
  cache_.add_demand("fe2", {"AAPL"});  // a later demand hears of it too
  EXPECT_EQ(statuses().back(), "fe2 AAPL:upstream_symbol_limit");

  upstream_->send(1, 10, 100, 1.0);  // carried after all
  EXPECT_EQ(seen(), std::vector<std::uint64_t>{10});
  cache_.add_demand("fe2", {"AAPL"});
  EXPECT_EQ(statuses().size(), 2u);  // the stored status went with the quote
  cache_.detach_frontend("fe2");
}

TEST_F(DispatcherNumbering, ARefusedSymbolNobodyWantsAnyMoreIsClearedInTheCacheTier) {
  upstream_->refuse("AAPL");
  EXPECT_EQ(statuses().size(), 1u);
  cache_.release_demand("fe", {"AAPL"});
  for (int i = 0; i < 100 && metric("tickwire_cache_demanded_symbols") != 0; ++i) {
    ioc_.run_for(10ms);
  }
  ASSERT_EQ(metric("tickwire_cache_demanded_symbols"), 0);
  ioc_.run_for(20ms);  // the dispatcher lets it go
  cache_.attach_frontend("fe2", {[](const EncodedQuote&) {},
                                 [this](const cache::SymbolStatus& st) {
                                   std::lock_guard lock(mu_);
                                   statuses_.push_back("again " + st.symbol + ":" + st.reason);
                                 }});
  cache_.add_demand("fe2", {"AAPL"});  // the next subscribe may well succeed
  ioc_.run_for(50ms);
  for (const auto& s : statuses()) EXPECT_NE(s.rfind("again ", 0), 0u) << s;
  cache_.detach_frontend("fe2");
}

TEST_F(DispatcherNumbering, PublishedQuotesBecomeMinuteBarsInTheCacheTier) {
  constexpr std::int64_t minute = 1'764'856'800;
  upstream_->send(1, 1, minute * 1'000'000 + 1, 10);
  upstream_->send(1, 2, (minute + 30) * 1'000'000, 12);
  upstream_->send(1, 3, (minute + 61) * 1'000'000, 11);
  auto bars = stored_bars("AAPL");
  ASSERT_EQ(bars.size(), 2u);
  EXPECT_EQ(bars[0].t, minute);
  EXPECT_EQ(bars[0].high, 12);
  EXPECT_EQ(bars[0].close, 12);
  EXPECT_EQ(bars[1].open, 11);
  // A stale quote (upstream seq 2 again) is dropped before it reaches the bars.
  upstream_->send(1, 2, (minute + 62) * 1'000'000, 500);
  EXPECT_EQ(stored_bars("AAPL")[1].high, 11);
}

TEST_F(DispatcherNumbering, TheProviderHistoryFillsTheDayBeforeTheLiveBarsAndNeverReplacesThem) {
  constexpr std::int64_t minute = 1'764'856'800;
  upstream_->send(1, 1, (minute + 120) * 1'000'000, 20);
  ASSERT_EQ(stored_bars("AAPL").size(), 1u);
  upstream_->history({Bar{minute, 10, 11, 9, 10.5, 100}, Bar{minute + 60, 10.5, 12, 10, 11, 50},
                      Bar{minute + 120, 11, 11, 11, 11, 5}});
  const auto bars = stored_bars("AAPL");
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_EQ(bars[0], (Bar{minute, 10, 11, 9, 10.5, 100}));
  EXPECT_EQ(bars[1].t, minute + 60);
  EXPECT_EQ(bars[2].close, 20);  // the live minute is the fresher record
  EXPECT_EQ(metric("tickwire_dispatch_backfilled_bars_total"), 2);
}

TEST_F(DispatcherNumbering, AQuoteMoreThanAMinuteLateIsCountedNotChartedOverItsStoredBar) {
  constexpr std::int64_t minute = 1'764'856'800;
  upstream_->send(1, 1, minute * 1'000'000, 10);
  upstream_->send(1, 2, (minute + 180) * 1'000'000, 12);
  ASSERT_EQ(stored_bars("AAPL").size(), 2u);  // flushed: minute 0 has left the dispatcher
  upstream_->send(1, 3, (minute + 30) * 1'000'000, 500);  // a new quote, stamped 2.5 min ago
  const auto bars = stored_bars("AAPL");
  ASSERT_EQ(bars.size(), 2u);
  EXPECT_EQ(bars[0], (Bar{minute, 10, 10, 10, 10, 0}));
  EXPECT_EQ(metric("tickwire_dispatch_quotes_late_for_bars_total"), 1);
}

TEST_F(DispatcherNumbering, BarsOfASymbolNobodyWantsAreDropped) {
  upstream_->send(1, 1, 1'764'856'800'000'000, 10);
  ASSERT_EQ(stored_bars("AAPL").size(), 1u);
  cache_.release_demand("fe", {"AAPL"});
  ioc_.run_for(100ms);  // past the 20 ms linger
  EXPECT_TRUE(stored_bars("AAPL").empty());
}

}  // namespace
}  // namespace tickwire::dispatch
