// Alpaca's market-data stream (API v2) as an upstream: one WebSocket per account, carrying
// every demanded symbol's quotes and trades, plus REST for day statistics and the symbol list.
//
//   connect  -> [{"T":"success","msg":"connected"}]
//   auth     -> "authenticated", or error 402 (bad keys): logged, counted, retried after a
//               long hold-off (never a tight loop; a wrong key does not fix itself)
//   subscribe/unsubscribe {"trades":[..],"quotes":[..]} -> "subscription" (the whole list) or
//               an error: 405 (over the plan's symbol limit) marks the request's symbols
//               unavailable (retried when others leave); 409 (feed not in the plan) and 406
//               (another connection uses the key) are logged and retried after a hold-off.
//   q / t    -> ProviderQuoteBook -> quotes with Tickwire's seq
// Day statistics come from GET {data}/v2/stocks/snapshots when a symbol is first subscribed; the
// directory from GET {trading}/v2/assets. Both send the key headers; the stream sends them in
// its auth message. None of them ever reaches a log line.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "dispatch/upstream/alpaca_messages.hpp"
#include "dispatch/upstream/provider_directory.hpp"
#include "dispatch/upstream/provider_link.hpp"
#include "dispatch/upstream/provider_metrics.hpp"
#include "dispatch/upstream/provider_quote_book.hpp"
#include "dispatch/upstream/upstream_adapter.hpp"
#include "ops/metrics.hpp"

namespace tickwire::dispatch {

struct AlpacaSettings {
  std::string feed = "iex";  // iex, sip, delayed_sip, test (the always-on FAKEPACA stream)
  std::string key_id;        // APCA_API_KEY_ID
  std::string secret_key;    // APCA_API_SECRET_KEY
  std::string stream_url = "wss://stream.data.alpaca.markets";  // APCA_API_STREAM_URL
  std::string data_url = "https://data.alpaca.markets";         // APCA_API_DATA_URL
  std::string trading_url = "https://paper-api.alpaca.markets";  // APCA_API_BASE_URL
};

class AlpacaAdapter final : public UpstreamAdapter {
 public:
  struct Configuration {
    AlpacaSettings settings;
    std::chrono::milliseconds backoff_max{30'000};
    std::chrono::milliseconds refused_hold_off{30'000};  // after 402, 406, 409
    std::chrono::seconds idle_timeout{30};
    std::size_t snapshot_batch = 100;  // symbols per snapshots request
  };

  // Throws std::invalid_argument for a feed or URL that cannot work (checked at startup).
  AlpacaAdapter(boost::asio::any_io_executor ex, std::shared_ptr<boost::asio::ssl::context> tls,
                ops::Registry& metrics, Configuration config);
  ~AlpacaAdapter() override;

  std::string name() const override { return "alpaca"; }
  std::string describe() const override;
  std::size_t connection_budget() const override { return 1; }
  void start(Events events) override;
  void subscribe(const std::vector<std::string>& symbols) override;
  void unsubscribe(const std::vector<std::string>& symbols) override;
  void stop() override;
  // GET {data}/v2/stocks/bars?timeframe=1Min from 24 hours ago, `snapshot_batch` symbols per
  // request, following next_page_token for up to kMaxBarPages pages.
  void backfill(const std::vector<std::string>& symbols, BarsFound found) override;

 private:
  struct Request {
    bool subscribe;
    std::vector<std::string> symbols;
  };
  void on_open();
  void on_message(std::string_view text);
  void on_closed(const std::string& why, unsigned status);
  void on_error(const alpaca::Error& e);
  void send_request(bool subscribe, std::vector<std::string> symbols);
  void retry_refused();
  using BarsBySymbol = std::map<std::string, std::vector<Bar>>;
  static constexpr int kMaxBarPages = 50;
  void request_bars(std::string symbols, std::string page_token, int page,
                    std::shared_ptr<BarsBySymbol> got, BarsFound found);
  void request_snapshots(std::vector<std::string> symbols);
  void on_snapshots(std::optional<std::map<std::string, ProviderQuoteBook::Day>> days,
                    const std::string& why);
  void load_directory();
  void emit(const std::optional<Quote>& q);
  std::vector<std::pair<std::string, std::string>> key_headers() const;

  boost::asio::any_io_executor ex_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  Configuration config_;
  net::ServiceUrl data_url_, trading_url_;
  Events events_;
  std::unique_ptr<ProviderLink> link_;
  bool stopped_ = false;
  bool authenticated_ = false;

  std::set<std::string> wanted_;     // what the dispatcher asked for
  std::set<std::string> refused_;    // wanted, but refused for the symbol limit
  std::deque<Request> in_flight_;    // sent, awaiting "subscription" or an error, in order
  ProviderQuoteBook book_;

  ProviderMetrics metrics_;
  ProviderDirectory directory_;
};

}  // namespace tickwire::dispatch
