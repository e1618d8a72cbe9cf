// Positions valued live: market value, day gain and total gain per row, and totals. A position
// is one or more lots (purchases: quantity, cost per share, date); its row shows the summed
// quantity and the average cost. A tick updates its rows and the totals, nothing else. On first
// start the portfolio holds three demo positions, flagged as such until the user changes it.
#pragma once

#include <QAbstractListModel>
#include <QDate>
#include <QPair>
#include <QtQml/qqmlregistration.h>

#include "quote_book.hpp"
#include "settings_store.hpp"

namespace tickwire::desktop {

class PortfolioModel : public QAbstractListModel {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
  Q_PROPERTY(double totalValue READ totalValue NOTIFY totalsChanged)
  Q_PROPERTY(double totalCost READ totalCost NOTIFY totalsChanged)
  Q_PROPERTY(double totalDayGain READ totalDayGain NOTIFY totalsChanged)
  Q_PROPERTY(double totalGain READ totalGain NOTIFY totalsChanged)
  Q_PROPERTY(double totalGainPct READ totalGainPct NOTIFY totalsChanged)
  // The example positions of a first start, until the user adds, edits or removes one.
  Q_PROPERTY(bool demo READ demo NOTIFY demoChanged)

 public:
  enum Role {
    SymbolRole = Qt::UserRole + 1,
    NameRole,
    QuantityRole,
    CostBasisRole,
    LastRole,
    MarketValueRole,
    DayGainRole,
    TotalGainRole,
    TotalGainPctRole,
    HasQuoteRole,
    LotsRole,  // how many purchases make the position
  };
  Q_ENUM(Role)

  PortfolioModel(QuoteBook& book, SettingsStore& store, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  double totalValue() const;
  double totalCost() const;
  double totalDayGain() const;
  double totalGain() const { return totalValue() - totalCost(); }
  double totalGainPct() const;
  QStringList symbols() const;

  // Quantity and cost must be positive; an existing symbol's position (all its lots) is
  // replaced by this one lot.
  Q_INVOKABLE bool setPosition(const QString& symbol, double quantity, double costBasis);
  // One more purchase of `symbol` (a new position, or a lot added to its position).
  bool addLot(const QString& symbol, double quantity, double costPerShare, const QDate& date);
  Q_INVOKABLE void removeAt(int row);
  bool demo() const { return demo_; }
  // Every lot, for the CSV export: symbol, quantity, cost per share, date (may be invalid).
  struct Lot {
    double quantity;
    double cost;  // per share
    QDate date;
  };
  QList<QPair<QString, Lot>> lots() const;

 Q_SIGNALS:
  void totalsChanged();
  void symbolsChanged();
  void demoChanged();

 private:
  struct Position {
    QString symbol;
    QList<Lot> lots;
    double quantity() const;
    double cost() const;  // average per share
  };
  void changed(int row, bool symbolsToo);
  void leaveDemo();
  void onQuoteChanged(const QString& symbol);
  double last(const Position& p) const;
  void load();
  void save();

  QuoteBook& book_;
  SettingsStore& store_;
  QList<Position> positions_;
  bool demo_ = false;
};

}  // namespace tickwire::desktop
