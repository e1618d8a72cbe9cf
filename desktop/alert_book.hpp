// The user's price alerts (AlertRule), as a list model for the Alerts screen: evaluated in C++
// on every quote the QuoteBook takes, whatever screen is shown or whether the window is visible
// at all, and kept in the settings file (their states too: a fired alert stays fired across a
// restart). The feed follows every alerted symbol, as it follows the lists' symbols.
//
// A firing emits fired() (the app turns it into a desktop notification, see Notifier) and marks
// the symbol as alerted (its watchlist row is highlighted) until the user re-arms or removes
// the alert, or acknowledges it.
#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <QtQml/qqmlregistration.h>

#include "alert_rule.hpp"
#include "quote_book.hpp"
#include "settings_store.hpp"

namespace tickwire::desktop {

class AlertBook : public QAbstractListModel {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
  Q_PROPERTY(int firedCount READ firedCount NOTIFY alertedChanged)
  // Bumped whenever the set of alerted symbols changes, for bindings on alerted().
  Q_PROPERTY(int revision READ revision NOTIFY alertedChanged)

 public:
  enum Role {
    IdRole = Qt::UserRole + 1,
    SymbolRole,
    KindRole,         // "above", "below", "dayChange", "move"
    LevelRole,
    MinutesRole,
    AutoRearmRole,
    StateRole,        // "armed" (waiting for the value to cross), "watching" (primed), "fired"
    DescriptionRole,  // "AAPL above 230.00"
    FiredAtRole,      // Unix ms of the last firing, 0 if never
    FiredValueRole,
  };

  AlertBook(QuoteBook& book, SettingsStore& store, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  // Adds an alert; returns why it cannot be made (empty when added). `kind` as KindRole names
  // it; `minutes` only for "move". The symbol must be well formed; whether the server lists it
  // is the caller's check (SymbolSearch::problemWith), as for a watchlist row.
  Q_INVOKABLE QString add(const QString& symbol, const QString& kind, double level, int minutes,
                          bool autoRearm);
  Q_INVOKABLE void removeAt(int row);
  Q_INVOKABLE void rearmAt(int row);
  // Whether `symbol` has a fired alert the user has not dealt with (re-armed, removed or
  // acknowledged).
  Q_INVOKABLE bool alerted(const QString& symbol) const { return alerted_.contains(symbol); }
  Q_INVOKABLE void acknowledge(const QString& symbol);
  // The symbols alerts follow (the feed subscribes to them).
  QStringList symbols() const;
  int firedCount() const;
  int revision() const { return revision_; }
  // For tests: evaluate `symbol`'s alerts as if its latest quote came at Unix ms `nowMs`.
  void evaluateAt(const QString& symbol, qint64 nowMs);

 Q_SIGNALS:
  void fired(const QString& symbol, const QString& title, const QString& body);
  void alertedChanged();
  void symbolsChanged();

 private:
  void onQuote(const QString& symbol);
  void load();
  void save() const;
  void setAlerted(const QString& symbol, bool on);

  QuoteBook& book_;
  SettingsStore& store_;
  QList<AlertRule> rules_;
  QHash<QString, PriceWindow> windows_;  // symbols with a "move" alert
  // Symbols with any alert: a quote of another symbol (most of them) costs one lookup.
  QSet<QString> watched_;
  void rewatch();
  QSet<QString> alerted_;
  qint64 nextId_ = 1;
  int revision_ = 0;
};

}  // namespace tickwire::desktop
