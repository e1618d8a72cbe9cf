#include "dispatch/upstream/provider_quote_book.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace tickwire::dispatch {

namespace {
constexpr std::uint16_t kNothingYet = Quote::kBid | Quote::kAsk | Quote::kBidSize |
                                      Quote::kAskSize | Quote::kVolume | Quote::kOpen |
                                      Quote::kHigh | Quote::kLow | Quote::kPrevClose |
                                      Quote::kChange;

std::int64_t wall_clock_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

ProviderQuoteBook::ProviderQuoteBook() : ProviderQuoteBook(wall_clock_us) {}
ProviderQuoteBook::ProviderQuoteBook(Clock clock) : clock_(std::move(clock)) {}

void ProviderQuoteBook::forget(const std::string& symbol) { book_.erase(symbol); }

std::uint64_t ProviderQuoteBook::epoch(const std::string& symbol) const {
  const auto it = book_.find(symbol);
  return it == book_.end() ? 0 : it->second.epoch;
}

std::optional<Quote> ProviderQuoteBook::on_quote(const std::string& symbol, double bid,
                                                 double ask, std::uint32_t bid_size,
                                                 std::uint32_t ask_size, std::int64_t ts) {
  auto& e = entry(symbol);
  e.q.bid = bid;
  e.q.ask = ask;
  e.q.bid_size = bid_size;
  e.q.ask_size = ask_size;
  e.q.absent &= static_cast<std::uint16_t>(~(Quote::kBid | Quote::kAsk | Quote::kBidSize |
                                             Quote::kAskSize));
  return emit(e, ts);
}

std::optional<Quote> ProviderQuoteBook::on_trade(const std::string& symbol, double price,
                                                 std::uint64_t size, std::int64_t ts) {
  auto& e = entry(symbol);
  e.q.last = price;
  e.has_last = true;
  if (e.q.has(Quote::kVolume) && ts > e.volume_as_of) e.q.volume += size;
  if (e.q.has(Quote::kHigh)) e.q.high = std::max(e.q.high, price);
  if (e.q.has(Quote::kLow)) e.q.low = std::min(e.q.low, price);
  return emit(e, ts);
}

std::optional<Quote> ProviderQuoteBook::on_day(const std::string& symbol, const Day& day) {
  auto& e = entry(symbol);
  auto set = [&](const std::optional<double>& v, double& field, Quote::Field bit) {
    if (!v) return;
    field = *v;
    e.q.absent &= static_cast<std::uint16_t>(~bit);
  };
  set(day.open, e.q.open, Quote::kOpen);
  set(day.high, e.q.high, Quote::kHigh);
  set(day.low, e.q.low, Quote::kLow);
  set(day.prev_close, e.q.prev_close, Quote::kPrevClose);
  if (day.volume) {
    e.q.volume = *day.volume;
    e.volume_as_of = day.as_of;
    e.q.absent &= static_cast<std::uint16_t>(~Quote::kVolume);
  }
  // A trade already seen is newer than the snapshot's; only fill a gap.
  if (!e.has_last && day.last) {
    e.q.last = *day.last;
    e.has_last = true;
  }
  if (e.has_last) {
    if (e.q.has(Quote::kHigh)) e.q.high = std::max(e.q.high, e.q.last);
    if (e.q.has(Quote::kLow)) e.q.low = std::min(e.q.low, e.q.last);
  }
  return emit(e, std::max(day.as_of, e.q.ts));
}

ProviderQuoteBook::Entry& ProviderQuoteBook::entry(const std::string& symbol) {
  auto [it, added] = book_.try_emplace(symbol);
  if (added) {
    it->second.q.symbol = symbol;
    it->second.q.absent = kNothingYet;
    it->second.epoch = static_cast<std::uint64_t>(std::max<std::int64_t>(clock_(), 1));
  }
  return it->second;
}

std::optional<Quote> ProviderQuoteBook::emit(Entry& e, std::int64_t ts) {
  if (!e.has_last) return std::nullopt;
  if (e.q.has(Quote::kPrevClose) && e.q.prev_close > 0) {
    e.q.change = e.q.last - e.q.prev_close;
    e.q.change_pct = std::round(10000.0 * e.q.change / e.q.prev_close) / 100.0;
    e.q.absent &= static_cast<std::uint16_t>(~Quote::kChange);
  }
  e.q.ts = std::max(e.q.ts, ts);  // event times from two streams may interleave out of order
  ++e.q.seq;
  return e.q;
}

}  // namespace tickwire::dispatch
