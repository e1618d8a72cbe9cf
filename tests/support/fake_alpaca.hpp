// A fake of Alpaca's market-data API v2 for tests (no network in CI), written from Alpaca's
// public documentation ("Real-time Stock Data" / WebSocket streaming, stock snapshots, assets):
// the stock stream wss://HOST/v2/{feed} and the REST calls Tickwire makes, on one TLS port on
// loopback (see FakeProviderServer).
//
// Implemented as documented: [{"T":"success","msg":"connected"}] on connect; the auth action
// (402 "auth failed" and close for wrong keys; 401 "not authenticated" for a subscribe before
// auth; 403 "already authenticated"; 404 "auth timeout" and close when auth_timeout is set);
// subscribe/unsubscribe with trades, quotes and bars lists, answered with the session's whole
// subscription (corrections and cancelErrors follow trades); 405 "symbol limit exceeded" past
// symbol_limit distinct trade/quote symbols (the request is refused as a whole; bars do not
// count); 406 "connection limit exceeded" for an authentication over the account's limit (then
// closed); 400 "invalid syntax" for what is not JSON or has an unknown action; "q" and "t"
// messages, several in one array, for subscribed symbols; GET /v2/stocks/snapshots (an object
// keyed by symbol, unknown symbols left out), GET /v2/stocks/bars (timeframe=1Min only: the
// last 30 minutes per symbol, sorted by symbol then time, 25 bars a page with a
// next_page_token that needs percent-encoding) and GET /v2/assets (status= honoured) with the
// APCA-API-KEY-ID / APCA-API-SECRET-KEY headers; missing or wrong keys are refused as the
// Market Data FAQ and the trading API's error guide say: 403 from the data API
// (/v2/stocks/...), 401 from the trading API (/v2/assets), each with a JSON body. The stream is served at /v2/iex, /v2/sip, /v2/delayed_sip and /v2/test
// (others: HTTP 404); on /v2/test only FAKEPACA trades, on the others every universe symbol but
// FAKEPACA.
// Simplified: prices are a deterministic random walk; every feed is open to every key (no 409
// "insufficient subscription"); bars are echoed but never sent; "*" is an ordinary symbol; 407
// "slow client" is a dropped connection (FakeProviderServer's queue cap); 500 is never sent;
// the v1beta1 feeds (boats, overnight) and MessagePack are not served; the bars' `start` and
// `limit` are not honoured (always the last 30 minutes, 25 a page).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "fake_provider_log.hpp"
#include "fake_provider_server.hpp"

namespace tickwire::test {

struct FakeAlpacaOptions {
  std::string cert_file, key_file;
  std::string key = "test-key-id", secret = "test-secret-key";
  std::size_t symbol_limit = 30;
  std::size_t connection_limit = 1;
  std::chrono::milliseconds tick_interval{20};
  std::vector<std::string> universe;  // empty: a built-in list of real tickers plus FAKEPACA
  std::chrono::milliseconds auth_timeout{0};  // 0: none; else 404 and close when not authed
};

class FakeAlpaca : public FakeProviderLog {
 public:
  explicit FakeAlpaca(FakeAlpacaOptions options);
  ~FakeAlpaca();

  unsigned short port() const { return server_->port(); }
  std::string base_url() const { return "https://127.0.0.1:" + std::to_string(port()); }
  std::string stream_url() const { return "wss://127.0.0.1:" + std::to_string(port()); }

  // Observations (thread-safe), besides FakeProviderLog's.
  // rejected_connection_limit(): 406s sent.
  std::size_t connections_now() const;              // open WebSockets, authenticated or not
  std::size_t symbol_limit_errors() const;          // 405s sent
  std::set<std::string> subscribed_quotes() const;  // union over live sessions
  std::set<std::string> subscribed_trades() const;

  // Faults.
  void set_credentials(std::string key, std::string secret);
  void send_raw_to_all(const std::string& text);  // to every authenticated session
  // Every live session: the first fragment of a trade message, then TCP closed without a close
  // frame.
  void drop_mid_message();
  void drop_all();  // every session's TCP closed at once

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::unique_ptr<FakeProviderServer> server_;
};

}  // namespace tickwire::test
