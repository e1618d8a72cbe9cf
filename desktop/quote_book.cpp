#include "quote_book.hpp"

#include "market_hours.hpp"

#include <QElapsedTimer>

namespace tickwire::desktop {

qint64 QuoteBook::clockMs() {
  static const QElapsedTimer clock = [] {
    QElapsedTimer t;
    t.start();
    return t;
  }();
  return clock.elapsed();
}

bool QuoteBook::apply(const Quote& q) {
  const QString symbol = QString::fromStdString(q.symbol);
  auto it = entries_.find(symbol);
  if (it == entries_.end()) {
    it = entries_.insert(symbol, Entry{});
  } else if (it->quote.seq >= q.seq) {
    return false;  // a replay or an older quote: state never goes backwards
  }
  unavailable_.remove(symbol);
  Entry& e = *it;
  e.previous_last = e.ticks == 0 ? q.last : e.quote.last;
  e.quote = q;
  e.history.push_back(q.last);
  if (e.history.size() > kHistory) e.history.remove(0, e.history.size() - kHistory);
  e.updated_ms = clockMs();
  if (QDate day; q.ts > 0 && MarketHours::inRegularSession(q.ts, &day)) {
    e.regular_last = q.last;
    e.regular_day = day;
  }
  ++e.ticks;
  ++updates_;
  Q_EMIT quoteChanged(symbol);
  return true;
}

void QuoteBook::clear() {
  QStringList had = entries_.keys();
  for (auto it = unavailable_.cbegin(); it != unavailable_.cend(); ++it) {
    if (!entries_.contains(it.key())) had << it.key();
  }
  entries_.clear();
  unavailable_.clear();
  for (const auto& symbol : had) Q_EMIT quoteChanged(symbol);
}

void QuoteBook::setUnavailable(const QString& symbol, const QString& reason) {
  if (unavailable_.value(symbol) == reason) return;
  if (reason.isEmpty()) {
    unavailable_.remove(symbol);
  } else {
    unavailable_.insert(symbol, reason);
  }
  Q_EMIT quoteChanged(symbol);
}

void QuoteBook::setNames(QHash<QString, QString> names) {
  names_ = std::move(names);
  Q_EMIT namesChanged();
}

const QuoteBook::Entry* QuoteBook::find(const QString& symbol) const {
  const auto it = entries_.constFind(symbol);
  return it == entries_.cend() ? nullptr : &*it;
}

}  // namespace tickwire::desktop
