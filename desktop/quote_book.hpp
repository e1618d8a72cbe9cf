// The desktop's state of the market: the latest quote per symbol, its intraday price history
// (for sparklines and the detail chart) and when it last ticked. Models read from it and are
// told which symbol changed; it knows nothing of the network.
#pragma once

#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QVector>
#include <QtQml/qqmlregistration.h>

#include "tickwire/quote.hpp"

namespace tickwire::desktop {

class QuoteBook : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
 public:
  struct Entry {
    Quote quote;
    QVector<double> history;       // last prices, oldest first, at most kHistory points
    double previous_last = 0;      // the price before the latest tick (flash direction)
    qint64 updated_ms = 0;         // steady time of the last tick, for staleness
    int ticks = 0;                 // updates received
    // The last price traded in a regular session, and that session's New York date: the
    // close, once the session is over (outside regular hours the row shows it beside the
    // extended-hours change).
    double regular_last = 0;
    QDate regular_day;
  };
  static constexpr int kHistory = 600;

  explicit QuoteBook(QObject* parent = nullptr) : QObject(parent) {}

  // Applies a quote unless an equal or newer seq is held. Returns whether it changed the book.
  bool apply(const Quote& q);
  const Entry* find(const QString& symbol) const;
  // The server says the upstream does not carry `symbol` (`reason`, a short code), or carries
  // it again (empty). A quote of the symbol means it is carried.
  void setUnavailable(const QString& symbol, const QString& reason);
  QString unavailableReason(const QString& symbol) const { return unavailable_.value(symbol); }
  // Forgets every quote (another source numbers its quotes its own way: its seq 1 must not be
  // refused as older than what the last source sent). Each symbol that had one is signalled.
  void clear();
  // Company names from the server's symbol list (they arrive after the first quotes may have).
  void setNames(QHash<QString, QString> names);
  QString name(const QString& symbol) const { return names_.value(symbol); }
  // Whether the server's symbol list has arrived, and whether it holds `symbol`.
  bool hasNames() const { return !names_.isEmpty(); }
  bool isListed(const QString& symbol) const { return names_.contains(symbol); }
  int updates() const { return updates_; }
  // The monotonic clock `updated_ms` is read on.
  static qint64 clockMs();

 Q_SIGNALS:
  void quoteChanged(const QString& symbol);
  void namesChanged();

 private:
  QHash<QString, Entry> entries_;
  QHash<QString, QString> names_;
  QHash<QString, QString> unavailable_;  // symbol -> reason code
  int updates_ = 0;
};

}  // namespace tickwire::desktop
