// A fake of Finnhub for tests (no network in CI), written from Finnhub's public documentation
// (WebSocket trades, Quote, Stock Symbol): the trades WebSocket (wss://HOST/?token=T) and the
// REST calls Tickwire makes (/api/v1/quote, /api/v1/stock/symbol), on one TLS port on loopback
// (see FakeProviderServer).
//
// Implemented as documented: {"type":"subscribe"|"unsubscribe","symbol":S}; trade messages
// {"type":"trade","data":[{"s","p","t" (ms),"v","c"}]}, several trades in one message, for
// subscribed symbols; {"type":"ping"} every ping_interval; one connection per key; REST with the
// token as ?token= or X-Finnhub-Token; /quote answers {"c","d","dp","h","l","o","pc","t" (s)}
// and an unknown symbol with zeros as Finnhub does; /stock/symbol lists {currency, description,
// displaySymbol, figi, mic, symbol, type}.
// Chosen where the docs are silent (community reports agree): a bad token is refused at the
// upgrade with HTTP 401; a subscription over the plan's limit gets {"type":"error","msg":
// "Subscribing to too many symbols"} and is not applied; a connection over the key's limit gets
// an error message and is closed; a message that is not a subscribe/unsubscribe with a symbol
// gets {"type":"error","msg":"Invalid message"}.
// /stock/candle (resolution=1: the last 30 whole minutes as parallel arrays with "s":"ok",
// "no_data" for an unknown symbol; 403 when `candles` is off, as on the free plan).
// Simplified: prices are a deterministic random walk; /stock/symbol lists the universe for
// exchange=US and nothing for other exchanges; every trade has volume 100 and no conditions;
// news and press-release streams are not served.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "fake_provider_log.hpp"
#include "fake_provider_server.hpp"

namespace tickwire::test {

struct FakeFinnhubOptions {
  std::string cert_file, key_file;
  std::string token = "test-token";
  std::size_t symbol_limit = 50;
  std::size_t connection_limit = 1;
  std::chrono::milliseconds tick_interval{20};
  std::chrono::milliseconds ping_interval{1000};
  std::vector<std::string> universe;  // empty: a built-in list of real tickers
  bool candles = true;  // false: a plan without /stock/candle (403, as Finnhub's free plan)
};

class FakeFinnhub : public FakeProviderLog {
 public:
  explicit FakeFinnhub(FakeFinnhubOptions options);
  ~FakeFinnhub();

  unsigned short port() const { return server_->port(); }
  std::string base_url() const { return "https://127.0.0.1:" + std::to_string(port()) + "/api/v1"; }
  std::string stream_url() const { return "wss://127.0.0.1:" + std::to_string(port()); }

  // Observations (thread-safe), besides FakeProviderLog's (auth_failures: upgrades refused
  // with 401; rejected_connection_limit: connections closed over the key's limit).
  std::size_t connections_now() const;  // open WebSockets within the limit
  std::size_t limit_errors() const;     // "too many symbols" sent
  std::set<std::string> subscribed() const;  // union over live sessions

  // Faults.
  void set_token(std::string token);  // later upgrades and REST calls need this one
  void send_raw_to_all(const std::string& text);
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
