// Finnhub's real-time trades WebSocket as an upstream: one connection per API key, carrying
// every demanded symbol (one subscribe message per symbol; Finnhub sends no confirmation), plus
// REST for day statistics and the symbol list.
//
//   wss://ws.finnhub.io?token=T (the token is in the URL: logged redacted, never whole); a bad
//               token is refused at the upgrade (HTTP 401): logged, counted, retried after a
//               long hold-off, never in a tight loop
//   trade       -> ProviderQuoteBook -> quotes with Tickwire's seq (trades only: no bid/ask)
//   ping        -> nothing to answer; silence past the idle timeout counts as a dead connection
//   error       -> logged; "too many symbols" marks the newest symbol unavailable
// Finnhub's free plan carries about 50 symbols: the adapter holds at most `symbol_limit` and
// reports the rest unavailable (upstream_symbol_limit) until room is made. Day statistics come
// from GET {api}/quote?symbol=S, paced (the free plan allows 60 calls a minute); the directory
// from GET {api}/stock/symbol?exchange=US, and a backfill's one-minute candles of the last 24
// hours from GET {api}/stock/candle (a premium endpoint: a plan without it answers 403, and the
// adapter stops asking). Candles share the day statistics' pacing, after them. REST calls
// carry the token as X-Finnhub-Token.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "dispatch/upstream/finnhub_messages.hpp"
#include "dispatch/upstream/provider_directory.hpp"
#include "dispatch/upstream/provider_link.hpp"
#include "dispatch/upstream/provider_metrics.hpp"
#include "dispatch/upstream/provider_quote_book.hpp"
#include "dispatch/upstream/upstream_adapter.hpp"
#include "ops/metrics.hpp"

namespace tickwire::dispatch {

struct FinnhubSettings {
  std::string token;                                 // FINNHUB_TOKEN
  std::string stream_url = "wss://ws.finnhub.io";    // FINNHUB_STREAM_URL
  std::string api_url = "https://finnhub.io/api/v1";  // FINNHUB_API_URL
  std::size_t symbol_limit = 50;                     // FINNHUB_SYMBOL_LIMIT (the plan's)
};

class FinnhubAdapter final : public UpstreamAdapter {
 public:
  struct Configuration {
    FinnhubSettings settings;
    std::chrono::milliseconds backoff_max{30'000};
    std::chrono::milliseconds refused_hold_off{30'000};  // after a 401
    std::chrono::seconds idle_timeout{30};  // Finnhub pings about every 10-20 s
    std::chrono::milliseconds rest_interval{1100};  // between day-statistics requests
  };

  // Throws std::invalid_argument for settings that cannot work (checked at startup).
  FinnhubAdapter(boost::asio::any_io_executor ex, std::shared_ptr<boost::asio::ssl::context> tls,
                 ops::Registry& metrics, Configuration config);
  ~FinnhubAdapter() override;

  std::string name() const override { return "finnhub"; }
  std::string describe() const override { return "finnhub at " + link_->where(); }
  std::size_t connection_budget() const override { return 1; }
  void start(Events events) override;
  void subscribe(const std::vector<std::string>& symbols) override;
  void unsubscribe(const std::vector<std::string>& symbols) override;
  void stop() override;
  void backfill(const std::vector<std::string>& symbols, BarsFound found) override;

 private:
  void on_open();
  void on_message(std::string_view text);
  void on_closed(const std::string& why, unsigned status);
  void carry(const std::string& symbol);  // subscribe now, or refuse for the symbol limit
  void make_room();                       // a carried symbol left: carry a refused one
  void queue_day(const std::string& symbol);
  void next_rest();  // the next day-statistics request, else the next candles request
  void request_candles(const std::string& symbol, BarsFound found);
  void pace();
  void emit(const std::optional<Quote>& q);
  void on_day(const std::string& symbol, const std::optional<ProviderQuoteBook::Day>& day,
              const std::string& why);
  void load_directory();

  boost::asio::any_io_executor ex_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  Configuration config_;
  net::ServiceUrl api_url_;
  Events events_;
  std::unique_ptr<ProviderLink> link_;
  boost::asio::steady_timer rest_timer_;
  bool stopped_ = false;
  bool rest_busy_ = false;

  std::set<std::string> wanted_;
  std::vector<std::string> carried_;  // subscribed on the stream, oldest first
  std::set<std::string> refused_;     // wanted, over the symbol limit
  std::deque<std::string> day_queue_;
  std::deque<std::pair<std::string, BarsFound>> candle_queue_;
  bool has_candles_ = true;  // false once the plan refused them (403)
  ProviderQuoteBook book_;

  ProviderMetrics metrics_;
  ProviderDirectory directory_;
};

}  // namespace tickwire::dispatch
