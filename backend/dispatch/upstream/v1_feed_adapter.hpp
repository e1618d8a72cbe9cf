// The Tickwire v1 SSE feed contract as an upstream (the built-in exchange simulator, or another
// tickwired's frontend). The contract sets no connection limit, so symbols are held in groups of
// up to `group_size` per SSE connection:
//   - newly subscribed symbols open a new group, so existing streams are never touched;
//   - a symbol that is unsubscribed leaves its group, which reconnects with the rest and
//     Last-Event-ID, so the other symbols resume without losing an update;
//   - a dropped group reconnects with backoff and resumes the same way.
// Every quote is checked against the symbol's last seq (gaps counted, stale ones dropped).
// The symbol directory comes from the feed's /v1/symbols, and the bars of newly subscribed
// symbols from its /v1/bars (a few requests at a time; a feed without it is asked no more).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "dispatch/upstream/upstream_adapter.hpp"
#include "net/sse_client.hpp"
#include "net/upstream_url.hpp"
#include "ops/metrics.hpp"

namespace tickwire::dispatch {

class V1FeedAdapter final : public UpstreamAdapter {
 public:
  struct Configuration {
    net::UpstreamUrl url;
    std::size_t group_size = 100;
    std::chrono::seconds idle_timeout{45};  // silence that counts as a dead upstream stream
    std::chrono::milliseconds backoff_max{5000};
  };

  V1FeedAdapter(boost::asio::any_io_executor ex, ops::Registry& metrics, Configuration config);
  ~V1FeedAdapter() override;

  std::string name() const override { return "v1"; }
  std::string describe() const override { return config_.url.str(); }
  std::size_t connection_budget() const override { return 0; }
  void start(Events events) override;
  void subscribe(const std::vector<std::string>& symbols) override;
  void unsubscribe(const std::vector<std::string>& symbols) override;
  void stop() override;
  void backfill(const std::vector<std::string>& symbols, BarsFound found) override;

 private:
  struct Group {
    std::vector<std::string> symbols;
    std::shared_ptr<net::SseClient> client;
    std::uint64_t epoch = 0;  // the upstream's, from its event ids (0: none seen)
  };

  void open_group(std::vector<std::string> symbols, const std::string& resume_from);
  void on_event(std::uint64_t group_id, const sse::Event& event);
  // A readable event carried `epoch`: a change from a known one means the feed restarted.
  void note_epoch(std::uint64_t group_id, Group& group, std::uint64_t epoch);
  void accept(const Quote& q, std::uint64_t epoch);
  void load_directory();
  void next_backfill();
  void show_backfill_pending();
  void update_gauges();

  boost::asio::any_io_executor ex_;
  Configuration config_;
  Events events_;
  boost::asio::steady_timer directory_timer_;
  bool stopped_ = false;

  std::unordered_map<std::string, std::uint64_t> group_of_;  // subscribed symbol -> group
  std::map<std::uint64_t, Group> groups_;
  std::uint64_t next_group_ = 1;

  static constexpr int kBackfillsAtOnce = 4;
  std::deque<std::pair<std::string, BarsFound>> backfills_;  // waiting; bounded by what is held
  int backfills_running_ = 0;
  std::chrono::steady_clock::time_point next_backfill_log_{};
  bool has_bars_ = true;  // false once the feed answered 404: it has no /v1/bars

  ops::Gauge& upstream_connections_;
  ops::Counter& reconnects_;
  ops::Counter& epoch_changes_;
  ops::Counter& bad_events_;
  ops::Counter& resubscribes_;
  ops::Counter& backfill_failures_;
  ops::Gauge& backfill_pending_;
};

}  // namespace tickwire::dispatch
