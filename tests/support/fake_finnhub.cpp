#include "fake_finnhub.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <algorithm>
#include <cmath>
#include <map>

#include "fake_provider_data.hpp"

namespace tickwire::test {

namespace json = boost::json;

namespace {
std::string query_param(const std::string& target, const std::string& name) {
  const auto u = boost::urls::parse_origin_form(target);
  if (!u) return {};
  const auto params = u->params();
  const auto it = params.find(name);
  return it == params.end() ? std::string() : std::string((*it).value);
}
}  // namespace

struct FakeFinnhub::State {
  struct Conn {
    FakeProviderServer::Session* session = nullptr;  // valid until on_close erases the Conn
    std::set<std::string> symbols;
  };
  explicit State(FakeFinnhub& o) : owner(o), mu(o.mu_) {}
  FakeFinnhub& owner;
  std::mutex& mu;
  FakeFinnhubOptions options;
  std::map<std::uint64_t, Conn> conns;
  std::size_t limit_errors = 0;
  std::set<std::string> universe;
  FakePrices prices;
  std::chrono::steady_clock::time_point last_ping = std::chrono::steady_clock::now();

  bool token_ok(const FakeProviderServer::Request& r) const {
    const auto h = r.headers.find("x-finnhub-token");
    if (h != r.headers.end()) return h->second == options.token;
    return query_param(r.target, "token") == options.token;
  }

  FakeProviderServer::Reply rest(const FakeProviderServer::Request& r) {
    std::lock_guard lock(mu);
    const auto path = r.target.substr(0, r.target.find('?'));
    owner.note_rest(r.target);
    if (!token_ok(r)) return {401, R"({"error":"Invalid API key"})"};
    if (path == "/api/v1/stock/symbol") {
      json::array out;
      if (query_param(r.target, "exchange") != "US") return {200, "[]"};
      for (const auto& symbol : universe) {
        out.push_back(json::object{{"currency", "USD"},
                                   {"description", fake_company_name(symbol)},
                                   {"displaySymbol", symbol}, {"figi", "BBG000000000"},
                                   {"mic", "XNAS"}, {"symbol", symbol}, {"type", "Common Stock"}});
      }
      return {200, json::serialize(out)};
    }
    if (path == "/api/v1/quote") {
      const auto s = query_param(r.target, "symbol");
      if (!universe.contains(s)) {
        return {200, R"({"c":0,"d":null,"dp":null,"h":0,"l":0,"o":0,"pc":0,"t":0})"};
      }
      const double p = prices.last(s);
      const double pc = p * 0.995;  // the previous close
      return {200, json::serialize(json::object{
                       {"c", p}, {"d", p - pc}, {"dp", (p - pc) / pc * 100}, {"h", p * 1.01},
                       {"l", p * 0.98}, {"o", p * 0.99}, {"pc", pc},
                       {"t", epoch_ms_now() / 1000}})};
    }
    if (path == "/api/v1/stock/candle") {
      if (!options.candles) return {403, R"({"error":"You don't have access to this resource."})"};
      const auto s = query_param(r.target, "symbol");
      if (!universe.contains(s) || query_param(r.target, "resolution") != "1") {
        return {200, R"({"s":"no_data"})"};
      }
      // The last 30 whole minutes before this one, around the current price.
      const std::int64_t now = epoch_ms_now() / 1000 / 60 * 60;
      const double p = prices.last(s);
      json::array t, o, h, l, c, v;
      for (int k = 0; k < 30; ++k) {
        const double open = p * (1 + 0.001 * std::sin(k)), close = p * (1 + 0.001 * std::sin(k + 1));
        t.push_back(now - (30 - k) * 60);
        o.push_back(open);
        h.push_back(std::max(open, close) + 0.01);
        l.push_back(std::min(open, close) - 0.01);
        c.push_back(close);
        v.push_back(100 * (k + 1));
      }
      return {200, json::serialize(json::object{{"c", c}, {"h", h}, {"l", l}, {"o", o},
                                                {"s", "ok"}, {"t", t}, {"v", v}})};
    }
    return {404, R"({"error":"not found"})"};
  }

  unsigned accept(const FakeProviderServer::Request& r) {
    std::lock_guard lock(mu);
    if (query_param(r.target, "token") != options.token) {
      ++owner.auth_failures_;
      return 401;
    }
    return 0;
  }

  void on_open(FakeProviderServer::Session& s) {
    std::lock_guard lock(mu);
    ++owner.total_;
    if (conns.size() >= options.connection_limit) {
      ++owner.rejected_;
      s.send(R"({"type":"error","msg":"Too many connections for this API key"})");
      return s.close();
    }
    conns[s.id()].session = &s;
    owner.note_live(conns.size());
  }

  void on_message(FakeProviderServer::Session& s, const std::string& text) {
    std::lock_guard lock(mu);
    owner.received_.push_back(text);
    const auto it = conns.find(s.id());
    if (it == conns.end()) return;
    boost::system::error_code ec;
    const auto v = json::parse(text, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto* type = o ? o->if_contains("type") : nullptr;
    const auto* symbol = o ? o->if_contains("symbol") : nullptr;
    if (!type || !type->is_string() || !symbol || !symbol->is_string()) {
      return s.send(R"({"type":"error","msg":"Invalid message"})");
    }
    const std::string sym(symbol->get_string());
    if (type->get_string() == "subscribe") {
      if (!it->second.symbols.contains(sym) &&
          it->second.symbols.size() >= options.symbol_limit) {
        ++limit_errors;
        return s.send(R"({"type":"error","msg":"Subscribing to too many symbols"})");
      }
      it->second.symbols.insert(sym);
    } else if (type->get_string() == "unsubscribe") {
      it->second.symbols.erase(sym);
    }
  }

  void tick() {
    std::lock_guard lock(mu);
    const auto now = std::chrono::steady_clock::now();
    const bool ping = now - last_ping >= options.ping_interval;
    if (ping) last_ping = now;
    for (auto& [id, c] : conns) {
      if (ping) c.session->send(R"({"type":"ping"})");
      json::array data;
      const auto t = epoch_ms_now();
      for (const auto& s : c.symbols) {
        if (!universe.contains(s)) continue;
        data.push_back(json::object{{"s", s}, {"p", prices.next(s)}, {"t", t}, {"v", 100},
                                    {"c", nullptr}});
      }
      if (!data.empty()) {
        c.session->send(json::serialize(json::object{{"type", "trade"}, {"data", data}}));
      }
    }
  }
};

FakeFinnhub::FakeFinnhub(FakeFinnhubOptions options) : state_(std::make_unique<State>(*this)) {
  state_->options = std::move(options);
  if (state_->options.universe.empty()) {
    for (const auto& [symbol, name] : fake_provider_universe()) {
      if (symbol != "FAKEPACA") state_->universe.insert(symbol);  // Alpaca's test symbol
    }
  } else {
    state_->universe.insert(state_->options.universe.begin(), state_->options.universe.end());
  }
  auto* st = state_.get();
  FakeProviderServer::Handlers h;
  h.rest = [st](const FakeProviderServer::Request& r) { return st->rest(r); };
  h.accept_upgrade = [st](const FakeProviderServer::Request& r) { return st->accept(r); };
  h.on_open = [st](FakeProviderServer::Session& s) { st->on_open(s); };
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

FakeFinnhub::~FakeFinnhub() { server_.reset(); }

std::size_t FakeFinnhub::connections_now() const {
  std::lock_guard lock(state_->mu);
  return state_->conns.size();
}
std::size_t FakeFinnhub::limit_errors() const {
  std::lock_guard lock(state_->mu);
  return state_->limit_errors;
}
std::set<std::string> FakeFinnhub::subscribed() const {
  std::lock_guard lock(state_->mu);
  std::set<std::string> out;
  for (const auto& [id, c] : state_->conns) out.insert(c.symbols.begin(), c.symbols.end());
  return out;
}
void FakeFinnhub::set_token(std::string token) {
  std::lock_guard lock(state_->mu);
  state_->options.token = std::move(token);
}
void FakeFinnhub::send_raw_to_all(const std::string& text) {
  server_->run([&] {
    std::lock_guard lock(state_->mu);
    for (auto& [id, c] : state_->conns) c.session->send(text);
  });
}
void FakeFinnhub::drop_mid_message() {
  server_->run([&] {
    std::vector<FakeProviderServer::Session*> sessions;
    {
      std::lock_guard lock(state_->mu);
      for (auto& [id, c] : state_->conns) sessions.push_back(c.session);
    }
    // Outside the lock: dropping a session runs on_close, which takes it.
    for (auto* s : sessions) {
      s->send_partial_and_drop(R"({"type":"trade","data":[{"s":"AAPL","p":1)");
    }
  });
}
void FakeFinnhub::drop_all() { server_->drop_all(); }

}  // namespace tickwire::test
