// Positions (symbol, quantity, cost basis per share) valued live: market value, day gain and
// total gain per row, and totals. A tick updates its rows and the totals, nothing else.
#pragma once

#include <QAbstractListModel>
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

  // Quantity and cost must be positive; an existing symbol's position is replaced.
  Q_INVOKABLE bool setPosition(const QString& symbol, double quantity, double costBasis);
  Q_INVOKABLE void removeAt(int row);

 Q_SIGNALS:
  void totalsChanged();
  void symbolsChanged();

 private:
  struct Position {
    QString symbol;
    double quantity;
    double cost;  // per share
  };
  void onQuoteChanged(const QString& symbol);
  double last(const Position& p) const;
  void load();
  void save();

  QuoteBook& book_;
  SettingsStore& store_;
  QList<Position> positions_;
};

}  // namespace tickwire::desktop
