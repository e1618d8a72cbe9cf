#include "fake_alpaca.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "fake_provider_data.hpp"
#include "fake_provider_log.hpp"

namespace tickwire::test {

namespace json = boost::json;

namespace {
constexpr const char* kTestSymbol = "FAKEPACA";  // the only symbol of the test stream

std::string error_message(int code, const char* msg) {
  return json::serialize(json::array{json::object{{"T", "error"}, {"code", code}, {"msg", msg}}});
}
json::array list(const std::set<std::string>& s) {
  json::array a;
  for (const auto& x : s) a.emplace_back(x);
  return a;
}
std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }
std::string query_param(const std::string& target, const std::string& name) {
  const auto u = boost::urls::parse_origin_form(target);
  if (!u) return {};
  const auto params = u->params();
  const auto it = params.find(name);
  return it == params.end() ? std::string() : std::string((*it).value);
}
bool served_feed(const std::string& target) {
  const auto path = path_of(target);
  return path == "/v2/iex" || path == "/v2/sip" || path == "/v2/delayed_sip" || path == "/v2/test";
}
// Bars start at a whole minute or, for days, at midnight New York time (05:00Z in winter; the
// fake does not follow daylight saving).
std::string day_start(int days_back) {
  using namespace std::chrono;
  const auto day = floor<days>(system_clock::now()) - days(days_back);
  return rfc3339(day + hours(5));
}
std::string asset_id(std::size_t n) {  // a UUID, as Alpaca's asset ids are
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012zx", n);
  return buf;
}
std::string minute_start() {
  using namespace std::chrono;
  return rfc3339(floor<minutes>(system_clock::now()));
}
}  // namespace

struct FakeAlpaca::State {
  struct Conn {
    FakeProviderServer::Session* session = nullptr;  // valid until on_close erases the Conn
    bool test_feed = false;
    bool authenticated = false;
    std::chrono::steady_clock::time_point auth_by = std::chrono::steady_clock::time_point::max();
    std::set<std::string> quotes, trades, bars;
  };
  explicit State(FakeAlpaca& o) : owner(o), mu(o.mu_) {}
  FakeAlpaca& owner;
  std::mutex& mu;
  FakeAlpacaOptions options;
  std::map<std::uint64_t, Conn> conns;
  std::size_t limit_errors = 0;
  std::uint64_t next_trade_id = 1;
  std::set<std::string> universe;
  FakePrices prices;

  std::size_t authenticated() const {
    std::size_t n = 0;
    for (const auto& [id, c] : conns) n += c.authenticated ? 1 : 0;
    return n;
  }
  // What a session's stream carries: the test stream FAKEPACA alone, the others real tickers.
  bool streams(const Conn& c, const std::string& symbol) const {
    return c.test_feed ? symbol == kTestSymbol
                       : symbol != kTestSymbol && universe.contains(symbol);
  }

  bool keys_ok(const FakeProviderServer::Request& r) const {
    const auto k = r.headers.find("apca-api-key-id");
    const auto s = r.headers.find("apca-api-secret-key");
    return k != r.headers.end() && s != r.headers.end() && k->second == options.key &&
           s->second == options.secret;
  }

  FakeProviderServer::Reply rest(const FakeProviderServer::Request& r) {
    std::lock_guard lock(mu);
    const auto path = path_of(r.target);
    owner.note_rest(r.target);
    if (path == "/v2/assets") {
      if (!keys_ok(r)) return {401, R"({"code":40110000,"message":"request is not authorized"})"};
      return {200, assets(query_param(r.target, "status"))};
    }
    if (path == "/v2/stocks/bars") {
      if (!keys_ok(r)) return {403, R"({"message":"forbidden"})"};
      if (query_param(r.target, "timeframe") != "1Min") {
        return {422, R"({"message":"invalid timeframe"})"};
      }
      return {200, bars(query_param(r.target, "symbols"), query_param(r.target, "page_token"))};
    }
    if (path == "/v2/stocks/snapshots") {
      if (!keys_ok(r)) return {403, R"({"message":"forbidden"})"};
      return {200, snapshots(query_param(r.target, "symbols"))};
    }
    return {404, R"({"code":40410000,"message":"endpoint not found"})"};
  }

  std::string assets(const std::string& status) const {
    json::array out;
    std::size_t n = 0;
    for (const auto& symbol : universe) {
      ++n;
      if (symbol == kTestSymbol) continue;  // not a real asset
      if (!status.empty() && status != "active") continue;
      out.push_back(json::object{{"id", asset_id(n)},
                                 {"class", "us_equity"}, {"exchange", "NASDAQ"},
                                 {"symbol", symbol}, {"name", fake_company_name(symbol)},
                                 {"status", "active"},
                                 {"tradable", true}, {"marginable", true}, {"shortable", true},
                                 {"easy_to_borrow", true}, {"fractionable", true}});
    }
    if (status.empty() || status == "inactive") {
      out.push_back(json::object{{"id", asset_id(0)},
                                 {"class", "us_equity"}, {"exchange", "NYSE"},
                                 {"symbol", "GONE"}, {"name", "Delisted Corp"},
                                 {"status", "inactive"}, {"tradable", false}});
    }
    return json::serialize(out);
  }

  // The last kHistoryMinutes whole minutes before this one of each known symbol, around its
  // current price, sorted by symbol then time as Alpaca sorts them, in pages of
  // kBarsPerPage bars (smaller than Alpaca's 10,000, so that paging is exercised). The page
  // token needs percent-encoding, as Alpaca's base64 tokens do.
  static constexpr int kHistoryMinutes = 30;
  static constexpr std::size_t kBarsPerPage = 25;
  std::string bars(const std::string& symbols, const std::string& page_token) {
    using namespace std::chrono;
    std::vector<std::pair<std::string, json::object>> all;
    std::set<std::string> asked;
    for (std::size_t at = 0; at <= symbols.size();) {
      const auto comma = std::min(symbols.find(',', at), symbols.size());
      asked.insert(symbols.substr(at, comma - at));
      at = comma + 1;
    }
    const auto now = floor<minutes>(system_clock::now());
    for (const auto& s : asked) {
      if (!universe.contains(s) || s == kTestSymbol) continue;
      const double p = prices.last(s);
      for (int k = 0; k < kHistoryMinutes; ++k) {
        const double o = p * (1 + 0.001 * std::sin(k)), c = p * (1 + 0.001 * std::sin(k + 1));
        all.emplace_back(s, json::object{{"t", rfc3339(now - minutes(kHistoryMinutes - k))},
                                         {"o", o}, {"h", std::max(o, c) + 0.01},
                                         {"l", std::min(o, c) - 0.01}, {"c", c},
                                         {"v", 100 * (k + 1)}, {"n", k + 1}, {"vw", (o + c) / 2}});
      }
    }
    std::size_t from = 0;
    if (page_token.rfind("p=", 0) == 0) from = std::stoul(page_token.substr(2));
    const auto to = std::min(all.size(), from + kBarsPerPage);
    json::object by_symbol;
    for (auto i = from; i < to; ++i) {
      auto& list = by_symbol[all[i].first];
      if (!list.is_array()) list = json::array();
      list.as_array().push_back(all[i].second);
    }
    json::object out{{"bars", std::move(by_symbol)}};
    if (to < all.size()) {
      out["next_page_token"] = "p=" + std::to_string(to) + "/+";
    } else {
      out["next_page_token"] = nullptr;
    }
    return json::serialize(out);
  }

  std::string snapshots(const std::string& symbols) {
    json::object out;
    const auto t = rfc3339_now();
    for (std::size_t at = 0; at <= symbols.size();) {
      const auto comma = std::min(symbols.find(',', at), symbols.size());
      const auto s = symbols.substr(at, comma - at);
      at = comma + 1;
      if (!universe.contains(s) || s == kTestSymbol) continue;  // unknown symbols are left out
      const double p = prices.last(s);
      out[s] = json::object{
          {"latestTrade",
           {{"t", t}, {"x", "V"}, {"p", p}, {"s", 100}, {"c", {"@"}}, {"i", next_trade_id++},
            {"z", "C"}}},
          {"latestQuote",
           {{"t", t}, {"ax", "V"}, {"ap", p + 0.01}, {"as", 3}, {"bx", "V"}, {"bp", p - 0.01},
            {"bs", 2}, {"c", {"R"}}, {"z", "C"}}},
          {"minuteBar",
           {{"t", minute_start()}, {"o", p}, {"h", p}, {"l", p}, {"c", p}, {"v", 100},
            {"n", 3}, {"vw", p}}},
          {"dailyBar",
           {{"t", day_start(0)}, {"o", p * 0.99}, {"h", p * 1.01}, {"l", p * 0.98}, {"c", p},
            {"v", 1'000'000}, {"n", 5000}, {"vw", p}}},
          {"prevDailyBar",
           {{"t", day_start(1)}, {"o", p * 0.985}, {"h", p * 1.005}, {"l", p * 0.975},
            {"c", p * 0.995}, {"v", 900'000}, {"n", 4500}, {"vw", p * 0.99}}}};
    }
    return json::serialize(out);
  }

  void on_message(FakeProviderServer::Session& s, const std::string& text) {
    std::lock_guard lock(mu);
    owner.received_.push_back(text);
    auto& c = conns[s.id()];
    boost::system::error_code ec;
    const auto v = json::parse(text, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto* action = o ? o->if_contains("action") : nullptr;
    if (!action || !action->is_string()) return s.send(error_message(400, "invalid syntax"));
    const std::string a(action->get_string());
    if (a == "auth") return auth(s, c, *o);
    if (a != "subscribe" && a != "unsubscribe") return s.send(error_message(400, "invalid syntax"));
    if (!c.authenticated) return s.send(error_message(401, "not authenticated"));
    auto quotes = c.quotes, trades = c.trades, bars = c.bars;
    for (auto [key, set] : {std::pair{"quotes", &quotes}, {"trades", &trades}, {"bars", &bars}}) {
      const auto* l = o->if_contains(key);
      if (!l) continue;
      if (!l->is_array()) return s.send(error_message(400, "invalid syntax"));
      for (const auto& x : l->get_array()) {
        if (!x.is_string()) return s.send(error_message(400, "invalid syntax"));
        const std::string sym(x.get_string());
        if (a == "subscribe") {
          set->insert(sym);
        } else {
          set->erase(sym);
        }
      }
    }
    std::set<std::string> distinct = quotes;  // bars do not count against the limit
    distinct.insert(trades.begin(), trades.end());
    if (distinct.size() > options.symbol_limit) {
      ++limit_errors;
      return s.send(error_message(405, "symbol limit exceeded"));
    }
    c.quotes = std::move(quotes);
    c.trades = std::move(trades);
    c.bars = std::move(bars);
    s.send(json::serialize(json::array{json::object{
        {"T", "subscription"}, {"trades", list(c.trades)}, {"quotes", list(c.quotes)},
        {"bars", list(c.bars)}, {"updatedBars", json::array{}}, {"dailyBars", json::array{}},
        {"statuses", json::array{}}, {"lulds", json::array{}}, {"corrections", list(c.trades)},
        {"cancelErrors", list(c.trades)}}}));
  }

  void auth(FakeProviderServer::Session& s, Conn& c, const json::object& o) {
    if (c.authenticated) return s.send(error_message(403, "already authenticated"));
    const auto* k = o.if_contains("key");
    const auto* sec = o.if_contains("secret");
    if (!k || !sec || !k->is_string() || !sec->is_string() || k->get_string() != options.key ||
        sec->get_string() != options.secret) {
      ++owner.auth_failures_;
      s.send(error_message(402, "auth failed"));
      return s.close();
    }
    if (authenticated() >= options.connection_limit) {
      ++owner.rejected_;
      s.send(error_message(406, "connection limit exceeded"));
      return s.close();
    }
    c.authenticated = true;
    owner.note_live(authenticated());
    s.send(R"([{"T":"success","msg":"authenticated"}])");
  }

  void tick() {
    std::lock_guard lock(mu);
    const auto now = std::chrono::steady_clock::now();
    const auto t = rfc3339_now();
    std::map<std::string, double> moved;  // one step per symbol per tick, shared by sessions
    const auto price = [&](const std::string& s) {
      auto [it, added] = moved.try_emplace(s, 0.0);
      if (added) it->second = prices.next(s);
      return it->second;
    };
    for (auto& [id, c] : conns) {
      if (!c.authenticated) {
        if (now >= c.auth_by) {
          c.auth_by = std::chrono::steady_clock::time_point::max();  // once: the close is async
          c.session->send(error_message(404, "auth timeout"));
          c.session->close();
        }
        continue;
      }
      json::array batch;
      for (const auto& s : c.quotes) {
        if (!streams(c, s)) continue;
        const double p = price(s);
        batch.push_back(json::object{{"T", "q"}, {"S", s}, {"bx", "V"}, {"bp", p - 0.01},
                                     {"bs", 2}, {"ax", "V"}, {"ap", p + 0.01}, {"as", 3},
                                     {"c", {"R"}}, {"z", "C"}, {"t", t}});
      }
      for (const auto& s : c.trades) {
        if (!streams(c, s)) continue;
        batch.push_back(json::object{{"T", "t"}, {"S", s}, {"i", next_trade_id++}, {"x", "V"},
                                     {"p", price(s)}, {"s", 100}, {"c", {"@"}}, {"z", "C"},
                                     {"t", t}});
      }
      if (!batch.empty()) c.session->send(json::serialize(batch));
    }
  }
};

FakeAlpaca::FakeAlpaca(FakeAlpacaOptions options) : state_(std::make_unique<State>(*this)) {
  state_->options = std::move(options);
  if (state_->options.universe.empty()) {
    for (const auto& [symbol, name] : fake_provider_universe()) state_->universe.insert(symbol);
  } else {
    state_->universe.insert(state_->options.universe.begin(), state_->options.universe.end());
  }
  auto* st = state_.get();
  FakeProviderServer::Handlers h;
  h.rest = [st](const FakeProviderServer::Request& r) { return st->rest(r); };
  h.accept_upgrade = [](const FakeProviderServer::Request& r) -> unsigned {
    return served_feed(r.target) ? 0 : 404;
  };
  h.on_open = [st](FakeProviderServer::Session& s) {
    std::lock_guard lock(st->mu);
    auto& c = st->conns[s.id()];
    c.session = &s;
    c.test_feed = path_of(s.request().target) == "/v2/test";
    if (st->options.auth_timeout.count() > 0) {
      c.auth_by = std::chrono::steady_clock::now() + st->options.auth_timeout;
    }
    ++st->owner.total_;
    s.send(R"([{"T":"success","msg":"connected"}])");
  };
  h.on_message = [st](FakeProviderServer::Session& s, const std::string& text) {
    st->on_message(s, text);
  };
  h.on_close = [st](FakeProviderServer::Session& s) {
    std::lock_guard lock(st->mu);
    st->conns.erase(s.id());
  };
  h.on_tick = [st] { st->tick(); };
  server_ = std::make_unique<FakeProviderServer>(state_->options.cert_file,
                                                 state_->options.key_file,
                                                 state_->options.tick_interval, std::move(h));
}

FakeAlpaca::~FakeAlpaca() { server_.reset(); }

std::size_t FakeAlpaca::connections_now() const {
  std::lock_guard lock(state_->mu);
  return state_->conns.size();
}
std::size_t FakeAlpaca::symbol_limit_errors() const {
  std::lock_guard lock(state_->mu);
  return state_->limit_errors;
}
std::set<std::string> FakeAlpaca::subscribed_quotes() const {
  std::lock_guard lock(state_->mu);
  std::set<std::string> out;
  for (const auto& [id, c] : state_->conns) out.insert(c.quotes.begin(), c.quotes.end());
  return out;
}
std::set<std::string> FakeAlpaca::subscribed_trades() const {
  std::lock_guard lock(state_->mu);
  std::set<std::string> out;
  for (const auto& [id, c] : state_->conns) out.insert(c.trades.begin(), c.trades.end());
  return out;
}

void FakeAlpaca::set_credentials(std::string key, std::string secret) {
  std::lock_guard lock(state_->mu);
  state_->options.key = std::move(key);
  state_->options.secret = std::move(secret);
}

void FakeAlpaca::send_raw_to_all(const std::string& text) {
  server_->run([&] {
    std::lock_guard lock(state_->mu);
    for (auto& [id, c] : state_->conns) {
      if (c.authenticated) c.session->send(text);
    }
  });
}

void FakeAlpaca::drop_mid_message() {
  server_->run([&] {
    std::vector<FakeProviderServer::Session*> sessions;
    {
      std::lock_guard lock(state_->mu);
      for (auto& [id, c] : state_->conns) sessions.push_back(c.session);
    }
    // Outside the lock: dropping a session runs on_close, which takes it.
    for (auto* s : sessions) {
      s->send_partial_and_drop(R"([{"T":"t","S":"AAPL","i":1,"x":"V","p":1)");
    }
  });
}

void FakeAlpaca::drop_all() { server_->drop_all(); }

}  // namespace tickwire::test
