#include "watchlist_model.hpp"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>
#include <algorithm>

#include "market_hours.hpp"
#include "tickwire/symbol.hpp"

namespace tickwire::desktop {

namespace {
const QStringList kDefaultSymbols = {"AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META",
                                     "TSLA", "JPM",  "V",    "NFLX",  "AMD",   "SPY"};
const QString kKey = QStringLiteral("watchlists");

QString compact(double v) {
  const char* units[] = {"", "K", "M", "B", "T"};
  int u = 0;
  while (std::abs(v) >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  return u == 0 ? QString::number(v, 'f', 0) : QString::number(v, 'f', v < 10 ? 2 : 1) + units[u];
}
}  // namespace

WatchlistModel::WatchlistModel(QuoteBook& book, SettingsStore& store, QObject* parent)
    : QAbstractListModel(parent), book_(book), store_(store) {
  load();
  showCurrent();
  connect(&book_, &QuoteBook::quoteChanged, this, &WatchlistModel::onQuoteChanged);
  connect(&book_, &QuoteBook::namesChanged, this, [this] {
    if (!rows_.isEmpty()) Q_EMIT dataChanged(index(0), index(static_cast<int>(rows_.size()) - 1), {NameRole});
  });
  liveSort_ = store_.document(QStringLiteral("watchlists/liveSort")) == "1";
  staleTimer_.setInterval(1000);
  connect(&staleTimer_, &QTimer::timeout, this, &WatchlistModel::refreshStale);
  // Live sorting: at most one re-sort a second, and only when a quote came.
  connect(&staleTimer_, &QTimer::timeout, this, [this] {
    if (!liveSort_ || sortRole_.isEmpty() || !sortDirty_) return;
    sortDirty_ = false;
    applySort();
  });
  staleTimer_.start();
}

int WatchlistModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QHash<int, QByteArray> WatchlistModel::roleNames() const {
  return {{SymbolRole, "symbol"},     {NameRole, "name"},       {LastRole, "last"},
          {ChangeRole, "change"},     {ChangePctRole, "changePct"}, {BidRole, "bid"},
          {AskRole, "ask"},           {VolumeRole, "volume"},   {VolumeTextRole, "volumeText"},
          {DayLowRole, "dayLow"},     {DayHighRole, "dayHigh"}, {HistoryRole, "history"},
          {DirectionRole, "direction"}, {TicksRole, "ticks"},   {StaleRole, "stale"},
          {HasQuoteRole, "hasQuote"}, {UnavailableRole, "unavailable"},
          {LastTradeRole, "lastTrade"}, {CloseRole, "close"},
          {ExtChangeRole, "extChange"}, {ExtChangePctRole, "extChangePct"},
          {ExtLabelRole, "extLabel"}};
}

QVariant WatchlistModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rows_.size()) return {};
  const QString& symbol = rows_[index.row()];
  if (role == SymbolRole) return symbol;
  if (role == NameRole) return book_.name(symbol);
  if (role == StaleRole) return isStale(symbol);
  if (role == UnavailableRole) return unavailableText(book_.unavailableReason(symbol));
  const auto* e = book_.find(symbol);
  if (role == HasQuoteRole) return e != nullptr;
  if (!e) {
    if (role == LastTradeRole || role == ExtLabelRole) return QString();
    return role == HistoryRole ? QVariant::fromValue(QList<qreal>{}) : QVariant();
  }
  const Quote& q = e->quote;
  if (role == LastTradeRole) {
    if (!outsideRegular_ || q.ts <= 0) return QString();
    static const QTimeZone newYork("America/New_York");
    const auto at = QDateTime::fromMSecsSinceEpoch(q.ts / 1000, QTimeZone::utc());
    return (newYork.isValid() ? at.toTimeZone(newYork) : at).toString(QStringLiteral("HH:mm:ss")) +
           (newYork.isValid() ? QStringLiteral(" ET") : QStringLiteral(" UTC"));
  }
  if (role == CloseRole || role == ExtChangeRole || role == ExtChangePctRole ||
      role == ExtLabelRole) {
    // The latest close: the last regular-session price seen on the latest session that has
    // closed, else the feed's previous close.
    if (!outsideRegular_) return role == ExtLabelRole ? QVariant(QString()) : QVariant();
    double close = 0;
    if (e->regular_last > 0 &&
        e->regular_day == lastClosed_) {
      close = e->regular_last;
    } else if (q.has(Quote::kPrevClose) && q.prev_close > 0) {
      close = q.prev_close;
    }
    if (close <= 0) return role == ExtLabelRole ? QVariant(QString()) : QVariant();
    switch (role) {
      case CloseRole: return close;
      case ExtChangeRole: return q.last - close;
      case ExtChangePctRole: return 100 * (q.last - close) / close;
      default: return extLabel_;
    }
  }
  switch (role) {
    case LastRole: return q.last;
    case ChangeRole: return q.change;
    case ChangePctRole: return q.change_pct;
    case BidRole: return q.bid;
    case AskRole: return q.ask;
    case VolumeRole: return static_cast<qlonglong>(q.volume);
    case VolumeTextRole: return compact(static_cast<double>(q.volume));
    case DayLowRole: return q.low;
    case DayHighRole: return q.high;
    case HistoryRole: return QVariant::fromValue(QList<qreal>(e->history.begin(), e->history.end()));
    case DirectionRole: return q.last > e->previous_last ? 1 : (q.last < e->previous_last ? -1 : 0);
    case TicksRole: return e->ticks;
    default: return {};
  }
}

void WatchlistModel::onQuoteChanged(const QString& symbol) {
  const auto it = rowOf_.constFind(symbol);
  if (it == rowOf_.cend()) return;
  const QModelIndex idx = index(*it);
  const bool stale = isStale(symbol);
  const bool staleChanged = stale_.value(symbol, !stale) != stale;
  stale_[symbol] = stale;
  sortDirty_ = true;
  // The roles a quote can change (not the symbol, not the name); views re-read only those.
  static const QList<int> kQuoteRoles{LastRole,    ChangeRole,   ChangePctRole, BidRole,
                                      AskRole,     VolumeRole,   VolumeTextRole, DayLowRole,
                                      DayHighRole, HistoryRole,  DirectionRole, TicksRole,
                                      HasQuoteRole, UnavailableRole};
  // Outside regular hours a tick also moves the row's close, extended change and last-trade
  // time; during them those roles stay empty, and views are not made to re-read them.
  static const QList<int> kOutside =
      kQuoteRoles + QList<int>{LastTradeRole, CloseRole, ExtChangeRole, ExtChangePctRole, ExtLabelRole};
  QList<int> roles = outsideRegular_ ? kOutside : kQuoteRoles;
  if (staleChanged) roles.append(StaleRole);
  Q_EMIT dataChanged(idx, idx, roles);
}

QString WatchlistModel::unavailableText(const QString& reason) {
  if (reason.isEmpty()) return {};
  if (reason == QLatin1String("upstream_symbol_limit")) return tr("over the data plan's symbol limit");
  if (reason == QLatin1String("upstream_refused")) return tr("refused by the data provider");
  if (reason == QLatin1String("unknown_symbol")) return tr("not listed by the server");
  return tr("not carried (%1)").arg(reason);
}

bool WatchlistModel::isStale(const QString& symbol) const {
  if (!feedLive_) return true;
  const auto* e = book_.find(symbol);
  if (!e) return true;
  return !marketClosed_ && QuoteBook::clockMs() - e->updated_ms > kStaleAfterMs;
}

void WatchlistModel::refreshStale() {
  for (int row = 0; row < rows_.size(); ++row) {
    const bool now = isStale(rows_[row]);
    auto& was = stale_[rows_[row]];
    if (now != was) {
      was = now;
      Q_EMIT dataChanged(index(row), index(row), {StaleRole});
    }
  }
}

void WatchlistModel::setFeedLive(bool live) {
  if (live == feedLive_) return;
  feedLive_ = live;
  refreshStale();
}

void WatchlistModel::setOutsideRegularHours(bool outside, const QString& session,
                                            const QDate& lastClosed) {
  if (outside == outsideRegular_ && session == extLabel_ && lastClosed == lastClosed_) return;
  outsideRegular_ = outside;
  extLabel_ = session;
  lastClosed_ = lastClosed;
  if (!rows_.isEmpty()) {
    Q_EMIT dataChanged(index(0), index(static_cast<int>(rows_.size()) - 1),
                       {LastTradeRole, CloseRole, ExtChangeRole, ExtChangePctRole, ExtLabelRole});
  }
}

void WatchlistModel::setMarketClosed(bool closed) {
  if (closed == marketClosed_) return;
  marketClosed_ = closed;
  refreshStale();
}

QStringList WatchlistModel::listNames() const {
  QStringList names;
  for (const auto& l : lists_) names << l.name;
  return names;
}

void WatchlistModel::setCurrentList(int index) {
  if (index < 0 || index >= lists_.size() || index == current_) return;
  current_ = index;
  showCurrent();
  save();
  Q_EMIT listsChanged();
}

bool WatchlistModel::addSymbol(const QString& raw) {
  const QString symbol = raw.trimmed().toUpper();
  if (!is_valid_symbol(symbol.toStdString()) || rowOf_.contains(symbol)) return false;
  const int row = static_cast<int>(rows_.size());
  beginInsertRows({}, row, row);
  rows_.append(symbol);
  rowOf_[symbol] = row;
  lists_[current_].symbols.append(symbol);
  endInsertRows();
  save();
  Q_EMIT symbolsChanged();
  return true;
}

void WatchlistModel::removeSymbolAt(int row) {
  if (row < 0 || row >= rows_.size()) return;
  const QString symbol = rows_[row];
  beginRemoveRows({}, row, row);
  rows_.removeAt(row);
  lists_[current_].symbols.removeAll(symbol);
  rowOf_.clear();
  for (int i = 0; i < rows_.size(); ++i) rowOf_[rows_[i]] = i;
  endRemoveRows();
  save();
  Q_EMIT symbolsChanged();
}

int WatchlistModel::addList(const QString& name) {
  const QString n = name.trimmed().isEmpty() ? tr("List %1").arg(lists_.size() + 1) : name.trimmed();
  lists_.append({n, {}});
  setCurrentList(static_cast<int>(lists_.size() - 1));
  Q_EMIT listsChanged();
  return current_;
}

void WatchlistModel::removeList(int index) {
  if (index < 0 || index >= lists_.size() || lists_.size() == 1) return;  // keep one list
  lists_.removeAt(index);
  current_ = std::min(current_, static_cast<int>(lists_.size() - 1));
  showCurrent();
  save();
  Q_EMIT listsChanged();
}

void WatchlistModel::renameList(int index, const QString& name) {
  if (index < 0 || index >= lists_.size() || name.trimmed().isEmpty()) return;
  lists_[index].name = name.trimmed();
  save();
  Q_EMIT listsChanged();
}

void WatchlistModel::sortBy(const QString& role) {
  const int roleId = roleNames().key(role.toUtf8(), -1);
  if (roleId < 0) return;
  ascending_ = sortRole_ == role ? !ascending_ : true;
  sortRole_ = role;
  applySort();
  Q_EMIT sortChanged();
}

void WatchlistModel::setLiveSort(bool on) {
  if (on == liveSort_) return;
  liveSort_ = on;
  store_.setDocument(QStringLiteral("watchlists/liveSort"), on ? "1" : "0");
  if (on && !sortRole_.isEmpty()) applySort();
  Q_EMIT sortChanged();
}

bool WatchlistModel::applySort() {
  const int roleId = roleNames().key(sortRole_.toUtf8(), -1);
  if (roleId < 0) return false;
  QHash<QString, QVariant> keys;
  for (int row = 0; row < rows_.size(); ++row) keys[rows_[row]] = data(index(row), roleId);
  QStringList sorted = rows_;
  std::stable_sort(sorted.begin(), sorted.end(), [&](const QString& a, const QString& b) {
    const auto& ka = keys[a];
    const auto& kb = keys[b];
    if (!ka.isValid() || !kb.isValid()) return ka.isValid();  // rows without data last
    const auto order = QVariant::compare(ka, kb);
    return ascending_ ? order == QPartialOrdering::Less : order == QPartialOrdering::Greater;
  });
  if (sorted == rows_) return false;
  Q_EMIT layoutAboutToBeChanged();
  rows_ = std::move(sorted);
  rowOf_.clear();
  for (int i = 0; i < rows_.size(); ++i) rowOf_[rows_[i]] = i;
  // Persistent indexes follow their symbols.
  QModelIndexList from = persistentIndexList(), to;
  for (const auto& idx : from) to << index(rowOf_.value(idx.data(SymbolRole).toString(), idx.row()));
  changePersistentIndexList(from, to);
  Q_EMIT layoutChanged();
  return true;
}

QList<QPair<QString, QStringList>> WatchlistModel::lists() const {
  QList<QPair<QString, QStringList>> out;
  for (const auto& l : lists_) out.append({l.name, l.symbols});
  return out;
}

void WatchlistModel::moveList(int from, int to) {
  if (from < 0 || to < 0 || from >= lists_.size() || to >= lists_.size() || from == to) return;
  const int currentBefore = current_;
  lists_.move(from, to);
  // The list on screen stays on screen.
  if (currentBefore == from) {
    current_ = to;
  } else if (from < currentBefore && to >= currentBefore) {
    --current_;
  } else if (from > currentBefore && to <= currentBefore) {
    ++current_;
  }
  save();
  Q_EMIT listsChanged();
}

void WatchlistModel::moveRow(int from, int to) {
  if (from < 0 || to < 0 || from >= rows_.size() || to >= rows_.size() || from == to) return;
  beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
  rows_.move(from, to);
  endMoveRows();
  rowOf_.clear();
  for (int i = 0; i < rows_.size(); ++i) rowOf_[rows_[i]] = i;
  lists_[current_].symbols = rows_;  // the user's own order is the list's order now
  sortRole_.clear();
  save();
  Q_EMIT sortChanged();
}

bool WatchlistModel::copyRowTo(int row, int list) {
  if (row < 0 || row >= rows_.size() || list < 0 || list >= lists_.size() || list == current_) {
    return false;
  }
  auto& target = lists_[list].symbols;
  if (target.contains(rows_[row])) return false;
  target.append(rows_[row]);
  save();
  return true;
}

bool WatchlistModel::moveRowTo(int row, int list) {
  if (!copyRowTo(row, list)) return false;
  removeSymbolAt(row);
  return true;
}

void WatchlistModel::showCurrent() {
  beginResetModel();  // switching lists replaces every row: a reset is the honest signal here
  rows_ = lists_[current_].symbols;
  rowOf_.clear();
  stale_.clear();
  for (int i = 0; i < rows_.size(); ++i) rowOf_[rows_[i]] = i;
  sortRole_.clear();
  endResetModel();
  Q_EMIT sortChanged();
  Q_EMIT symbolsChanged();
}

void WatchlistModel::load() {
  const auto doc = QJsonDocument::fromJson(store_.document(kKey)).object();
  for (const auto& v : doc.value("lists").toArray()) {
    List l{v.toObject().value("name").toString(), {}};
    for (const auto& s : v.toObject().value("symbols").toArray()) {
      if (is_valid_symbol(s.toString().toStdString()) && !l.symbols.contains(s.toString())) {
        l.symbols << s.toString();
      }
    }
    if (!l.name.isEmpty()) lists_.append(l);
  }
  if (lists_.isEmpty()) lists_.append({tr("My watchlist"), kDefaultSymbols});  // first start
  current_ = std::clamp(doc.value("current").toInt(), 0, static_cast<int>(lists_.size() - 1));
}

void WatchlistModel::save() {
  QJsonArray lists;
  for (const auto& l : lists_) {
    lists.append(QJsonObject{{"name", l.name}, {"symbols", QJsonArray::fromStringList(l.symbols)}});
  }
  store_.setDocument(kKey, QJsonDocument(QJsonObject{{"lists", lists}, {"current", current_}})
                               .toJson(QJsonDocument::Compact));
}

}  // namespace tickwire::desktop
