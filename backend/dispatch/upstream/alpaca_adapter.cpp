#include "dispatch/upstream/alpaca_adapter.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include <stdexcept>

#include "dispatch/upstream/provider_rest.hpp"

namespace tickwire::dispatch {

namespace {

net::ServiceUrl must_parse(const std::string& url, const char* what) {
  std::string why;
  auto u = net::parse_service_url(url, &why);
  if (!u) throw std::invalid_argument(std::string(what) + ": " + why);
  return *u;
}

// Codes Alpaca documents; anything else is counted as "other" so that a provider cannot grow
// the metric's label set without bound.
std::string code_label(int code) {
  switch (code) {
    case 400: case 401: case 402: case 403: case 404: case 405: case 406: case 407: case 409:
    case 410: case 411: case 412: case 413: case 500:
      return std::to_string(code);
    default:
      return "other";
  }
}

}  // namespace

AlpacaAdapter::AlpacaAdapter(boost::asio::any_io_executor ex,
                             std::shared_ptr<boost::asio::ssl::context> tls,
                             ops::Registry& metrics, Configuration config)
    : ex_(ex),
      tls_(std::move(tls)),
      config_(std::move(config)),
      metrics_(metrics, "alpaca"),
      directory_(ex, tls_, metrics_) {
  const auto& s = config_.settings;
  if (s.feed != "iex" && s.feed != "sip" && s.feed != "delayed_sip" && s.feed != "test") {
    throw std::invalid_argument("alpaca feed '" + s.feed +
                                "' is not one of iex, sip, delayed_sip, test");
  }
  if (s.key_id.empty() || s.secret_key.empty()) {
    throw std::invalid_argument(
        "alpaca needs APCA_API_KEY_ID and APCA_API_SECRET_KEY (environment or config file)");
  }
  auto stream = must_parse(s.stream_url, "APCA_API_STREAM_URL");
  if (!stream.tls) throw std::invalid_argument("APCA_API_STREAM_URL must be wss://");
  data_url_ = must_parse(s.data_url, "APCA_API_DATA_URL");
  trading_url_ = must_parse(s.trading_url, "APCA_API_BASE_URL");
  if (!data_url_.tls || !trading_url_.tls) {
    throw std::invalid_argument("APCA_API_DATA_URL and APCA_API_BASE_URL must be https://");
  }
  ProviderLink::Configuration lc;
  lc.provider = "alpaca";
  lc.url = net::with_target(stream, "/v2/" + s.feed);
  lc.backoff_max = config_.backoff_max;
  lc.idle_timeout = config_.idle_timeout;
  ProviderLink::Callbacks cb;
  cb.on_open = [this] { on_open(); };
  cb.on_message = [this](std::string_view text) { on_message(text); };
  cb.on_closed = [this](const std::string& why, unsigned status) { on_closed(why, status); };
  link_ = std::make_unique<ProviderLink>(ex_, tls_, metrics, std::move(lc), std::move(cb));
}

AlpacaAdapter::~AlpacaAdapter() = default;

std::string AlpacaAdapter::describe() const {
  return "alpaca " + config_.settings.feed + " at " + link_->where();
}

void AlpacaAdapter::start(Events events) {
  events_ = std::move(events);
  load_directory();
}

void AlpacaAdapter::stop() {
  stopped_ = true;
  directory_.stop();
  link_->release();
  wanted_.clear();
}

std::vector<std::pair<std::string, std::string>> AlpacaAdapter::key_headers() const {
  return {{"APCA-API-KEY-ID", config_.settings.key_id},
          {"APCA-API-SECRET-KEY", config_.settings.secret_key}};
}

void AlpacaAdapter::subscribe(const std::vector<std::string>& symbols) {
  if (stopped_ || symbols.empty()) return;
  wanted_.insert(symbols.begin(), symbols.end());
  if (authenticated_) {
    send_request(true, symbols);
    request_snapshots(symbols);
  }
  link_->want();
}

void AlpacaAdapter::unsubscribe(const std::vector<std::string>& symbols) {
  if (stopped_) return;
  std::vector<std::string> held;
  for (const auto& s : symbols) {
    wanted_.erase(s);
    book_.forget(s);
    if (!refused_.erase(s)) held.push_back(s);
  }
  if (wanted_.empty()) {
    // Nothing to carry: give the account's one connection back.
    link_->release();
    authenticated_ = false;
    in_flight_.clear();
    refused_.clear();
    return;
  }
  if (authenticated_ && !held.empty()) {
    send_request(false, std::move(held));
    retry_refused();
  }
}

void AlpacaAdapter::send_request(bool subscribe, std::vector<std::string> symbols) {
  link_->send(alpaca::subscription_message(subscribe, symbols));
  in_flight_.push_back({subscribe, std::move(symbols)});
}

void AlpacaAdapter::retry_refused() {
  if (refused_.empty()) return;
  // Room may have been made: ask again (a 405 puts them back).
  std::vector<std::string> again(refused_.begin(), refused_.end());
  refused_.clear();
  send_request(true, again);
  request_snapshots(std::move(again));
}

void AlpacaAdapter::on_open() {
  authenticated_ = false;
  in_flight_.clear();
}

void AlpacaAdapter::on_closed(const std::string& why, unsigned status) {
  authenticated_ = false;
  in_flight_.clear();
  if (stopped_) return;
  spdlog::warn("alpaca: stream {} ({}{})", link_->where(), why,
               status ? ", HTTP " + std::to_string(status) : std::string());
}

void AlpacaAdapter::on_message(std::string_view text) {
  auto parsed = alpaca::parse_stream(text);
  if (parsed.malformed) {
    metrics_.malformed.inc(parsed.malformed);
    spdlog::debug("alpaca: {} malformed message(s) ignored", parsed.malformed);
  }
  if (parsed.unknown) metrics_.unknown.inc(parsed.unknown);
  for (auto& m : parsed.messages) {
    if (stopped_) return;
    if (const auto* q = std::get_if<alpaca::QuoteMessage>(&m)) {
      metrics_.quotes.inc();
      if (wanted_.contains(q->symbol)) {
        emit(book_.on_quote(q->symbol, q->bid, q->ask, q->bid_size, q->ask_size, q->ts));
      }
    } else if (const auto* t = std::get_if<alpaca::TradeMessage>(&m)) {
      metrics_.trades.inc();
      if (wanted_.contains(t->symbol)) emit(book_.on_trade(t->symbol, t->price, t->size, t->ts));
    } else if (const auto* ok = std::get_if<alpaca::Success>(&m)) {
      if (ok->msg == "connected") {
        link_->send(alpaca::auth_message(config_.settings.key_id, config_.settings.secret_key));
      } else if (ok->msg == "authenticated") {
        authenticated_ = true;
        spdlog::info("alpaca: authenticated on {}; subscribing {} symbols", link_->where(),
                     wanted_.size());
        refused_.clear();
        if (!wanted_.empty()) {
          std::vector<std::string> all(wanted_.begin(), wanted_.end());
          send_request(true, all);
          request_snapshots(std::move(all));
        }
      }
    } else if (const auto* sub = std::get_if<alpaca::Subscription>(&m)) {
      if (in_flight_.empty()) continue;  // not ours to match (the server may confirm on its own)
      const auto request = std::move(in_flight_.front());
      in_flight_.pop_front();
      if (!request.subscribe) continue;
      const std::set<std::string> now(sub->quotes.begin(), sub->quotes.end());
      for (const auto& s : request.symbols) {
        if (now.contains(s) || !wanted_.contains(s) || refused_.contains(s)) continue;
        refused_.insert(s);
        if (events_.unavailable) events_.unavailable(s, "upstream_refused");
      }
    } else if (const auto* e = std::get_if<alpaca::Error>(&m)) {
      on_error(*e);
    }
  }
}

void AlpacaAdapter::on_error(const alpaca::Error& e) {
  metrics_.error(code_label(e.code)).inc();
  switch (e.code) {
    case 402:  // auth failed
    case 409:  // the feed is not in the account's plan
      if (e.code == 402) metrics_.auth_failures.inc();
      spdlog::error("alpaca: {} ({}): {}; retrying in {:.1f} s", e.code, e.msg,
                    e.code == 402 ? "check APCA_API_KEY_ID and APCA_API_SECRET_KEY"
                                  : "the account's plan does not include feed '" +
                                        config_.settings.feed + "'",
                    config_.refused_hold_off.count() / 1000.0);
      link_->hold_off(config_.refused_hold_off);
      link_->drop("refused by the provider");
      return;
    case 406:  // connection limit exceeded
      spdlog::error("alpaca: 406 ({}): another connection uses this key (only one is allowed per "
                    "account; is another tickwired fleet or program running with it?); retrying "
                    "in {} s",
                    e.msg, config_.refused_hold_off.count() / 1000.0);
      link_->hold_off(config_.refused_hold_off);
      link_->drop("connection limit exceeded");
      return;
    case 405: {  // symbol limit exceeded: the request at the front is refused as a whole
      if (in_flight_.empty()) return;
      const auto request = std::move(in_flight_.front());
      in_flight_.pop_front();
      if (!request.subscribe) return;
      if (request.symbols.size() > 1) {
        // Refused as a whole: ask one by one, so that as many as the plan allows are carried.
        for (const auto& s : request.symbols) {
          if (wanted_.contains(s)) send_request(true, {s});
        }
        return;
      }
      spdlog::warn("alpaca: 405 ({}): {} is over the plan's symbol limit; unavailable until "
                   "another symbol leaves",
                   e.msg, request.symbols.front());
      for (const auto& s : request.symbols) {
        if (!wanted_.contains(s) || !refused_.insert(s).second) continue;
        if (events_.unavailable) events_.unavailable(s, "upstream_symbol_limit");
      }
      return;
    }
    case 400:  // invalid syntax: a request of ours was not understood
      if (!in_flight_.empty()) in_flight_.pop_front();
      spdlog::error("alpaca: 400 ({}) for a request of ours", e.msg);
      return;
    default:  // 401 not authenticated, 403, 404 auth timeout, 407 slow client, 500, ...
      spdlog::warn("alpaca: error {} ({}); reconnecting", e.code, e.msg);
      link_->drop("provider error " + std::to_string(e.code));
  }
}

void AlpacaAdapter::emit(const std::optional<Quote>& q) {
  if (q && events_.quote) events_.quote({*q, book_.epoch(q->symbol)});
}

void AlpacaAdapter::request_snapshots(std::vector<std::string> symbols) {
  // The test stream's FAKEPACA has no snapshot; its quotes and trades still flow.
  if (config_.settings.feed == "test" || symbols.empty()) return;
  for (std::size_t at = 0; at < symbols.size(); at += config_.snapshot_batch) {
    std::string list;
    for (std::size_t i = at; i < std::min(symbols.size(), at + config_.snapshot_batch); ++i) {
      if (!list.empty()) list += ',';
      list += symbols[i];  // [A-Z0-9.-] only: nothing to percent-encode
    }
    net::HttpGetRequest r;
    r.url = net::with_target(data_url_, "/v2/stocks/snapshots?symbols=" + list +
                                            "&feed=" + config_.settings.feed);
    r.headers = key_headers();
    using Days = std::map<std::string, ProviderQuoteBook::Day>;
    fetch_document<Days>(ex_, tls_, std::move(r), alpaca::parse_snapshots,
                         [this](std::optional<Days> days, const std::string& why) {
                           on_snapshots(std::move(days), why);
                         });
  }
}

void AlpacaAdapter::backfill(const std::vector<std::string>& symbols, BarsFound found) {
  // The test stream's FAKEPACA has no history.
  if (config_.settings.feed == "test" || symbols.empty() || stopped_) return;
  for (std::size_t at = 0; at < symbols.size(); at += config_.snapshot_batch) {
    std::string list;
    for (std::size_t i = at; i < std::min(symbols.size(), at + config_.snapshot_batch); ++i) {
      if (!list.empty()) list += ',';
      list += symbols[i];
    }
    request_bars(std::move(list), "", 0, std::make_shared<BarsBySymbol>(), found);
  }
}

void AlpacaAdapter::request_bars(std::string symbols, std::string page_token, int page,
                                 std::shared_ptr<BarsBySymbol> got, BarsFound found) {
  const std::time_t since = std::chrono::system_clock::to_time_t(
      std::chrono::system_clock::now() - std::chrono::hours(24));
  std::tm utc{};
  gmtime_r(&since, &utc);
  char start[32];
  std::strftime(start, sizeof start, "%Y-%m-%dT%H:%M:%SZ", &utc);
  std::string target = "/v2/stocks/bars?symbols=" + symbols + "&timeframe=1Min&start=" + start +
                       "&limit=10000&sort=asc&feed=" + config_.settings.feed;
  if (!page_token.empty()) {
    target += "&page_token=" + boost::urls::encode(page_token, boost::urls::unreserved_chars);
  }
  net::HttpGetRequest r;
  r.url = net::with_target(data_url_, target);
  r.headers = key_headers();
  r.body_limit = 32 << 20;
  fetch_document<alpaca::BarsPage>(
      ex_, tls_, std::move(r), alpaca::parse_bars,
      [this, symbols = std::move(symbols), page, got = std::move(got),
       found = std::move(found)](std::optional<alpaca::BarsPage> bars, const std::string& why) {
        if (stopped_) return;
        if (!bars) {
          metrics_.bar_failures.inc();
          spdlog::warn("alpaca: bars not loaded ({}); those charts start at the first quote",
                       why);
        } else {
          for (auto& [symbol, list] : bars->bars) {
            auto& into = (*got)[symbol];
            into.insert(into.end(), list.begin(), list.end());
          }
          if (!bars->next_page_token.empty()) {
            if (page + 1 < kMaxBarPages) {
              return request_bars(symbols, bars->next_page_token, page + 1, got, found);
            }
            spdlog::warn("alpaca: bars cut at {} pages; the oldest minutes stay empty",
                         kMaxBarPages);
          }
        }
        for (auto& [symbol, list] : *got) {
          if (!list.empty() && wanted_.contains(symbol)) found(symbol, std::move(list));
        }
      });
}

void AlpacaAdapter::on_snapshots(std::optional<std::map<std::string, ProviderQuoteBook::Day>> days,
                                 const std::string& why) {
  if (stopped_) return;
  if (!days) {
    metrics_.day_failures.inc();
    spdlog::warn("alpaca: day statistics not loaded ({}); those fields stay absent", why);
    return;
  }
  for (const auto& [symbol, day] : *days) {
    if (wanted_.contains(symbol)) emit(book_.on_day(symbol, day));
  }
}

void AlpacaAdapter::load_directory() {
  net::HttpGetRequest r;
  r.url = net::with_target(trading_url_, "/v2/assets?status=active&asset_class=us_equity");
  r.headers = key_headers();
  r.body_limit = 64 << 20;
  std::vector<SymbolInfo> extra;
  if (config_.settings.feed == "test") extra.push_back({"FAKEPACA", "Alpaca test stream symbol"});
  directory_.load(std::move(r), alpaca::parse_assets,
                  [this](std::shared_ptr<const SymbolDirectory> d) {
                    if (events_.directory) events_.directory(std::move(d));
                  },
                  std::move(extra));
}

}  // namespace tickwire::dispatch
