// A fake of Alpaca's market-data API v2 for tests (no network in CI), written from Alpaca's
// public documentation: the stock stream wss://HOST/v2/{feed} and the REST calls Tickwire makes,
// on one TLS port on loopback (see FakeProviderServer).
//
// Implemented as documented: [{"T":"success","msg":"connected"}] on connect; the auth action
// (402 "auth failed" and close for wrong keys; 401 "not authenticated" for a subscribe before
// auth; 403 "already authenticated"); subscribe/unsubscribe with trades and quotes lists,
// answered with the session's whole subscription; 405 "symbol limit exceeded" (the request is
// refused as a whole); 406 "connection limit exceeded" for a connection over the account's
// limit (then closed); 400 "invalid syntax" for what is not JSON or has an unknown action; "q"
// and "t" messages, several in one array, for subscribed symbols; GET /v2/stocks/snapshots and
// GET /v2/assets with the APCA-API-KEY-ID / APCA-API-SECRET-KEY headers (401 without them).
// Simplified: prices are a deterministic random walk, every symbol in `universe` trades, the
// test feed is any feed name (FAKEPACA is listed), bars and MessagePack are not served.
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
};

class FakeAlpaca : public FakeProviderLog {
 public:
  explicit FakeAlpaca(FakeAlpacaOptions options);
  ~FakeAlpaca();

  unsigned short port() const { return server_->port(); }
  std::string base_url() const { return "https://127.0.0.1:" + std::to_string(port()); }
  std::string stream_url() const { return "wss://127.0.0.1:" + std::to_string(port()); }

  // Observations (thread-safe), besides FakeProviderLog's.
  std::size_t connections_now() const;
  std::size_t rejected_connection_limit() const;  // 406s sent
  std::size_t symbol_limit_errors() const;        // 405s sent
  std::set<std::string> subscribed_quotes() const;  // union over live sessions

  // Faults.
  void set_credentials(std::string key, std::string secret);
  void send_raw_to_all(const std::string& text);  // to every authenticated session
  void drop_mid_message();
  void drop_all();

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::unique_ptr<FakeProviderServer> server_;
};

}  // namespace tickwire::test
