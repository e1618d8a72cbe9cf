// The watchlists: several named lists of symbols, the current one shown as rows with live
// quotes. Each tick updates exactly its row (dataChanged on that index); there is no model reset
// per update. A row is stale when its symbol has not ticked for a minute or the feed is down.
#pragma once

#include <QAbstractListModel>
#include <QStringList>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include "quote_book.hpp"
#include "settings_store.hpp"

namespace tickwire::desktop {

class WatchlistModel : public QAbstractListModel {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
  Q_PROPERTY(QStringList listNames READ listNames NOTIFY listsChanged)
  Q_PROPERTY(int currentList READ currentList WRITE setCurrentList NOTIFY listsChanged)
  Q_PROPERTY(QString sortRole READ sortRole NOTIFY sortChanged)
  Q_PROPERTY(bool sortAscending READ sortAscending NOTIFY sortChanged)
  // Sorted by a column, keep the rows in that order as prices move (re-sorted at most once a
  // second); off, a sort is done once and rows then keep their places.
  Q_PROPERTY(bool liveSort READ liveSort WRITE setLiveSort NOTIFY sortChanged)

 public:
  enum Role {
    SymbolRole = Qt::UserRole + 1,
    NameRole,
    LastRole,
    ChangeRole,
    ChangePctRole,
    BidRole,
    AskRole,
    VolumeRole,
    VolumeTextRole,
    DayLowRole,
    DayHighRole,
    HistoryRole,
    DirectionRole,  // +1 up, -1 down, 0 unchanged: the last tick's move
    TicksRole,      // how many updates this row has had (a flash starts when it grows)
    StaleRole,
    HasQuoteRole,
    UnavailableRole,  // why the upstream does not carry it, for people; empty when it does
    // Outside the regular session: when the last trade was, New York time ("16:00:02 ET");
    // empty during it (a live price needs no time).
    LastTradeRole,
    // Outside the regular session, when the last close is known: that close (today's after the
    // session, else the previous one), the extended-hours change against it and its label
    // ("Pre", "After"); undefined / empty otherwise.
    CloseRole,
    ExtChangeRole,
    ExtChangePctRole,
    ExtLabelRole,
  };
  Q_ENUM(Role)

  static constexpr qint64 kStaleAfterMs = 60'000;

  WatchlistModel(QuoteBook& book, SettingsStore& store, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  QStringList listNames() const;
  int currentList() const { return current_; }
  void setCurrentList(int index);
  QString sortRole() const { return sortRole_; }
  bool sortAscending() const { return ascending_; }
  // The current list's symbols: what the feed must follow.
  QStringList symbols() const { return rows_; }
  // Every list by name, in the user's order (the CSV export).
  QList<QPair<QString, QStringList>> lists() const;

  Q_INVOKABLE bool addSymbol(const QString& symbol);
  Q_INVOKABLE void removeSymbolAt(int row);
  Q_INVOKABLE int addList(const QString& name);
  Q_INVOKABLE void removeList(int index);
  Q_INVOKABLE void renameList(int index, const QString& name);
  // Moves a list to another place in the list of lists.
  Q_INVOKABLE void moveList(int from, int to);
  // Moves a row within the current list (the list's own order; any sort is dropped).
  Q_INVOKABLE void moveRow(int from, int to);
  // Copies or moves a row's symbol to another list; false when it is there already.
  Q_INVOKABLE bool copyRowTo(int row, int list);
  Q_INVOKABLE bool moveRowTo(int row, int list);
  // Sorts the rows by a role name ("symbol", "last", "changePct", ...), again to reverse. Rows
  // then keep their places while prices tick, so the row under the cursor does not jump away,
  // unless liveSort is on.
  Q_INVOKABLE void sortBy(const QString& role);
  bool liveSort() const { return liveSort_; }
  void setLiveSort(bool on);
  // The feed's link state: when it drops, every row is stale at once.
  void setFeedLive(bool live);
  // Outside market hours a provider sends nothing: rows are not stale for want of ticks.
  void setMarketClosed(bool closed);
  // Outside the US regular session (pre-market, after hours, closed): rows show when their
  // last trade was.
  // `session` labels the extended-hours change ("Pre", "After", "Ext."); `lastClosed` is the
  // New York date of the latest regular session that has closed (its last price is the close).
  void setOutsideRegularHours(bool outside, const QString& session = {},
                              const QDate& lastClosed = {});

 Q_SIGNALS:
  void listsChanged();
  void sortChanged();
  void symbolsChanged();

 private:
  struct List {
    QString name;
    QStringList symbols;
  };
  void onQuoteChanged(const QString& symbol);
  void refreshStale();
  bool isStale(const QString& symbol) const;
  // A reason code from the server (QuoteBook::unavailableReason) in words; empty for none.
  static QString unavailableText(const QString& reason);
  void load();
  void save();
  void showCurrent();
  // Puts the rows in sortRole_ order; false when they were in it already.
  bool applySort();

  QuoteBook& book_;
  SettingsStore& store_;
  QList<List> lists_;
  int current_ = 0;
  QStringList rows_;             // the current list in display order
  QHash<QString, int> rowOf_;    // symbol -> row
  QHash<QString, bool> stale_;   // last stale state reported per row
  QString sortRole_;
  bool ascending_ = true;
  bool liveSort_ = false;
  bool sortDirty_ = false;  // a quote changed since the last live re-sort
  bool feedLive_ = false;
  bool marketClosed_ = false;  // a real provider outside market hours: silence is normal
  bool outsideRegular_ = false;
  QString extLabel_;
  QDate lastClosed_;
  QTimer staleTimer_;
};

}  // namespace tickwire::desktop
