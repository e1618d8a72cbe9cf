#include "dispatch/upstream/finnhub_adapter.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "dispatch/upstream/provider_rest.hpp"

namespace tickwire::dispatch {

FinnhubAdapter::FinnhubAdapter(boost::asio::any_io_executor ex,
                               std::shared_ptr<boost::asio::ssl::context> tls,
                               ops::Registry& metrics, Configuration config)
    : ex_(ex),
      tls_(std::move(tls)),
      config_(std::move(config)),
      rest_timer_(ex),
      metrics_(metrics, "finnhub"),
      directory_(ex, tls_, metrics_) {
  const auto& s = config_.settings;
  if (s.token.empty()) {
    throw std::invalid_argument("finnhub needs FINNHUB_TOKEN (environment or config file)");
  }
  if (s.symbol_limit == 0) throw std::invalid_argument("FINNHUB_SYMBOL_LIMIT must be above 0");
  std::string why;
  auto stream = net::parse_service_url(s.stream_url, &why);
  if (!stream || !stream->tls) {
    throw std::invalid_argument("FINNHUB_STREAM_URL must be a wss:// URL" +
                                (why.empty() ? std::string() : ": " + why));
  }
  auto api = net::parse_service_url(s.api_url, &why);
  if (!api || !api->tls) {
    throw std::invalid_argument("FINNHUB_API_URL must be an https:// URL" +
                                (why.empty() ? std::string() : ": " + why));
  }
  api_url_ = *api;
  ProviderLink::Configuration lc;
  lc.provider = "finnhub";
  // The stream takes the token only in its URL; str_redacted() hides it in every log line.
  lc.url = net::with_target(*stream, "/?token=" + s.token);
  lc.backoff_max = config_.backoff_max;
  lc.idle_timeout = config_.idle_timeout;
  ProviderLink::Callbacks cb;
  cb.on_open = [this] { on_open(); };
  cb.on_message = [this](std::string_view text) { on_message(text); };
  cb.on_closed = [this](const std::string& reason, unsigned status) { on_closed(reason, status); };
  link_ = std::make_unique<ProviderLink>(ex_, tls_, metrics, std::move(lc), std::move(cb));
}

FinnhubAdapter::~FinnhubAdapter() = default;

void FinnhubAdapter::start(Events events) {
  events_ = std::move(events);
  load_directory();
}

void FinnhubAdapter::stop() {
  stopped_ = true;
  directory_.stop();
  rest_timer_.cancel();
  link_->release();
  wanted_.clear();
  carried_.clear();
  day_queue_.clear();
  candle_queue_.clear();
}

void FinnhubAdapter::subscribe(const std::vector<std::string>& symbols) {
  if (stopped_) return;
  for (const auto& s : symbols) {
    if (!wanted_.insert(s).second) continue;
    carry(s);
  }
  if (!wanted_.empty()) link_->want();
}

void FinnhubAdapter::carry(const std::string& symbol) {
  if (carried_.size() >= config_.settings.symbol_limit) {
    if (refused_.insert(symbol).second && events_.unavailable) {
      events_.unavailable(symbol, "upstream_symbol_limit");
    }
    return;
  }
  carried_.push_back(symbol);
  link_->send(finnhub::subscription_message(true, symbol));  // dropped while not open
  queue_day(symbol);
}

void FinnhubAdapter::unsubscribe(const std::vector<std::string>& symbols) {
  if (stopped_) return;
  for (const auto& s : symbols) {
    if (!wanted_.erase(s)) continue;
    book_.forget(s);
    if (refused_.erase(s)) continue;
    std::erase(carried_, s);
    std::erase(day_queue_, s);
    link_->send(finnhub::subscription_message(false, s));
    make_room();
  }
  if (wanted_.empty()) link_->release();  // nothing to carry: give the connection back
}

void FinnhubAdapter::make_room() {
  if (refused_.empty() || carried_.size() >= config_.settings.symbol_limit) return;
  const auto next = *refused_.begin();
  refused_.erase(refused_.begin());
  carry(next);
}

void FinnhubAdapter::on_open() {
  spdlog::info("finnhub: connected to {}; subscribing {} symbols", link_->where(),
               carried_.size());
  for (const auto& s : carried_) link_->send(finnhub::subscription_message(true, s));
}

void FinnhubAdapter::on_closed(const std::string& why, unsigned status) {
  if (stopped_) return;
  if (status == 401 || status == 403) {
    metrics_.auth_failures.inc();
    spdlog::error("finnhub: the stream refused the token (HTTP {}): check FINNHUB_TOKEN; "
                  "retrying in {:.1f} s",
                  status, config_.refused_hold_off.count() / 1000.0);
    link_->hold_off(config_.refused_hold_off);
    return;
  }
  spdlog::warn("finnhub: stream {} ({}{})", link_->where(), why,
               status ? ", HTTP " + std::to_string(status) : std::string());
}

void FinnhubAdapter::on_message(std::string_view text) {
  auto m = finnhub::parse_stream(text);
  switch (m.kind) {
    case finnhub::Parsed::Kind::trades:
      if (m.bad_trades) metrics_.malformed.inc(m.bad_trades);
      for (const auto& t : m.trades) {
        metrics_.trades.inc();
        if (!wanted_.contains(t.symbol)) continue;
        emit(book_.on_trade(t.symbol, t.price, t.size, t.ts));
      }
      return;
    case finnhub::Parsed::Kind::ping:
      return;  // it kept the idle timer from firing; nothing to answer
    case finnhub::Parsed::Kind::error: {
      metrics_.error("error").inc();
      spdlog::warn("finnhub: provider error: {}", m.error.substr(0, 200));
      std::string lower = m.error;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (lower.find("too many") != std::string::npos && !carried_.empty()) {
        // The plan's limit is below the configured one: the newest symbol goes, and the
        // limit follows what the provider accepts.
        const auto last = carried_.back();
        carried_.pop_back();
        config_.settings.symbol_limit = std::max<std::size_t>(1, carried_.size());
        if (refused_.insert(last).second && events_.unavailable) {
          events_.unavailable(last, "upstream_symbol_limit");
        }
      }
      return;
    }
    case finnhub::Parsed::Kind::unknown:
      metrics_.unknown.inc();
      return;
    case finnhub::Parsed::Kind::malformed:
      metrics_.malformed.inc();
      return;
  }
}

void FinnhubAdapter::queue_day(const std::string& symbol) {
  day_queue_.push_back(symbol);
  if (!rest_busy_) next_rest();
}

void FinnhubAdapter::backfill(const std::vector<std::string>& symbols, BarsFound found) {
  if (!has_candles_ || stopped_) return;
  for (const auto& s : symbols) candle_queue_.emplace_back(s, found);
  if (!rest_busy_) next_rest();
}

void FinnhubAdapter::next_rest() {
  if (stopped_ || (day_queue_.empty() && candle_queue_.empty())) {
    rest_busy_ = false;
    return;
  }
  rest_busy_ = true;
  if (day_queue_.empty()) {
    auto [symbol, found] = std::move(candle_queue_.front());
    candle_queue_.pop_front();
    if (!wanted_.contains(symbol)) return next_rest();  // let go meanwhile
    return request_candles(symbol, std::move(found));
  }
  const auto symbol = day_queue_.front();
  day_queue_.pop_front();
  net::HttpGetRequest r;
  r.url = net::with_target(api_url_, "/quote?symbol=" + symbol);
  r.headers = {{"X-Finnhub-Token", config_.settings.token}};
  fetch_document<ProviderQuoteBook::Day>(
      ex_, tls_, std::move(r), finnhub::parse_quote,
      [this, symbol](std::optional<ProviderQuoteBook::Day> day, const std::string& why) {
        on_day(symbol, day, why);
      });
}

void FinnhubAdapter::emit(const std::optional<Quote>& q) {
  if (q && events_.quote) events_.quote({*q, book_.epoch(q->symbol)});
}

void FinnhubAdapter::on_day(const std::string& symbol,
                            const std::optional<ProviderQuoteBook::Day>& day,
                            const std::string& why) {
  if (stopped_) return;
  if (day && wanted_.contains(symbol)) {
    emit(book_.on_day(symbol, *day));
  } else if (!day) {
    metrics_.day_failures.inc();
    spdlog::warn("finnhub: day statistics of {} not loaded ({})", symbol, why);
  }
  pace();
}

void FinnhubAdapter::pace() {
  // The free plan allows 60 REST calls a minute.
  rest_timer_.expires_after(config_.rest_interval);
  rest_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) next_rest();
  });
}

void FinnhubAdapter::request_candles(const std::string& symbol, BarsFound found) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  net::HttpGetRequest r;
  r.url = net::with_target(api_url_, "/stock/candle?symbol=" + symbol + "&resolution=1&from=" +
                                         std::to_string(now - 24 * 3600) +
                                         "&to=" + std::to_string(now));
  r.headers = {{"X-Finnhub-Token", config_.settings.token}};
  r.body_limit = 4 << 20;
  net::http_get(ex_, tls_, std::move(r), [this, symbol, found = std::move(found)](
                                             net::HttpGetResult res) {
    if (stopped_) return;
    if (res.error.empty() && (res.status == 403 || res.status == 402)) {
      // Candles are premium on Finnhub: a plan without them never will have them.
      spdlog::info("finnhub: this plan has no candles (HTTP {}); charts start at the first "
                   "trade",
                   res.status);
      has_candles_ = false;
      candle_queue_.clear();
      return pace();
    }
    std::string why = res.error;
    if (why.empty() && res.status != 200) why = "HTTP " + std::to_string(res.status);
    std::optional<std::vector<Bar>> bars;
    if (why.empty()) bars = finnhub::parse_candles(res.body, &why);
    if (bars && !bars->empty() && wanted_.contains(symbol)) found(symbol, std::move(*bars));
    if (!bars) {
      metrics_.bar_failures.inc();
      spdlog::warn("finnhub: candles of {} not loaded ({})", symbol, why);
    }
    pace();
  });
}

void FinnhubAdapter::load_directory() {
  net::HttpGetRequest r;
  r.url = net::with_target(api_url_, "/stock/symbol?exchange=US");
  r.headers = {{"X-Finnhub-Token", config_.settings.token}};
  r.body_limit = 64 << 20;
  directory_.load(std::move(r), finnhub::parse_symbols,
                  [this](std::shared_ptr<const SymbolDirectory> d) {
                    if (events_.directory) events_.directory(std::move(d));
                  });
}

}  // namespace tickwire::dispatch
