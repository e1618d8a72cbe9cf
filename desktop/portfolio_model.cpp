#include "portfolio_model.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>

#include "tickwire/symbol.hpp"

namespace tickwire::desktop {

namespace {
const QString kKey = QStringLiteral("positions");
}

PortfolioModel::PortfolioModel(QuoteBook& book, SettingsStore& store, QObject* parent)
    : QAbstractListModel(parent), book_(book), store_(store) {
  load();
  connect(&book_, &QuoteBook::quoteChanged, this, &PortfolioModel::onQuoteChanged);
  connect(&book_, &QuoteBook::namesChanged, this, [this] {
    if (!positions_.isEmpty()) {
      Q_EMIT dataChanged(index(0), index(static_cast<int>(positions_.size()) - 1), {NameRole});
    }
  });
}

int PortfolioModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(positions_.size());
}

QHash<int, QByteArray> PortfolioModel::roleNames() const {
  return {{SymbolRole, "symbol"},         {NameRole, "name"},
          {QuantityRole, "quantity"},     {CostBasisRole, "costBasis"},
          {LastRole, "last"},             {MarketValueRole, "marketValue"},
          {DayGainRole, "dayGain"},       {TotalGainRole, "totalGain"},
          {TotalGainPctRole, "totalGainPct"}, {HasQuoteRole, "hasQuote"}};
}

double PortfolioModel::last(const Position& p) const {
  const auto* e = book_.find(p.symbol);
  return e ? e->quote.last : p.cost;  // no quote yet: valued at cost, gains show 0
}

QVariant PortfolioModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= positions_.size()) return {};
  const auto& p = positions_[index.row()];
  const auto* e = book_.find(p.symbol);
  const double price = last(p);
  switch (role) {
    case SymbolRole: return p.symbol;
    case NameRole: return book_.name(p.symbol);
    case QuantityRole: return p.quantity;
    case CostBasisRole: return p.cost;
    case LastRole: return price;
    case MarketValueRole: return p.quantity * price;
    case DayGainRole: return e ? p.quantity * e->quote.change : 0.0;
    case TotalGainRole: return p.quantity * (price - p.cost);
    case TotalGainPctRole: return p.cost > 0 ? 100.0 * (price - p.cost) / p.cost : 0.0;
    case HasQuoteRole: return e != nullptr;
    default: return {};
  }
}

double PortfolioModel::totalValue() const {
  double v = 0;
  for (const auto& p : positions_) v += p.quantity * last(p);
  return v;
}

double PortfolioModel::totalCost() const {
  double v = 0;
  for (const auto& p : positions_) v += p.quantity * p.cost;
  return v;
}

double PortfolioModel::totalDayGain() const {
  double v = 0;
  for (const auto& p : positions_) {
    if (const auto* e = book_.find(p.symbol)) v += p.quantity * e->quote.change;
  }
  return v;
}

double PortfolioModel::totalGainPct() const {
  const double cost = totalCost();
  return cost > 0 ? 100.0 * totalGain() / cost : 0.0;
}

QStringList PortfolioModel::symbols() const {
  QStringList out;
  for (const auto& p : positions_) out << p.symbol;
  return out;
}

bool PortfolioModel::setPosition(const QString& raw, double quantity, double costBasis) {
  const QString symbol = raw.trimmed().toUpper();
  if (!is_valid_symbol(symbol.toStdString()) || !(quantity > 0) || !(costBasis > 0) ||
      !std::isfinite(quantity) || !std::isfinite(costBasis)) {
    return false;
  }
  for (int row = 0; row < positions_.size(); ++row) {
    if (positions_[row].symbol == symbol) {
      positions_[row] = {symbol, quantity, costBasis};
      Q_EMIT dataChanged(index(row), index(row));
      save();
      Q_EMIT totalsChanged();
      return true;
    }
  }
  const int row = static_cast<int>(positions_.size());
  beginInsertRows({}, row, row);
  positions_.append({symbol, quantity, costBasis});
  endInsertRows();
  save();
  Q_EMIT totalsChanged();
  Q_EMIT symbolsChanged();
  return true;
}

void PortfolioModel::removeAt(int row) {
  if (row < 0 || row >= positions_.size()) return;
  beginRemoveRows({}, row, row);
  positions_.removeAt(row);
  endRemoveRows();
  save();
  Q_EMIT totalsChanged();
  Q_EMIT symbolsChanged();
}

void PortfolioModel::onQuoteChanged(const QString& symbol) {
  bool any = false;
  for (int row = 0; row < positions_.size(); ++row) {
    if (positions_[row].symbol != symbol) continue;
    Q_EMIT dataChanged(index(row), index(row),
                     {LastRole, MarketValueRole, DayGainRole, TotalGainRole, TotalGainPctRole,
                      HasQuoteRole});
    any = true;
  }
  if (any) Q_EMIT totalsChanged();
}

void PortfolioModel::load() {
  const auto doc = QJsonDocument::fromJson(store_.document(kKey));
  if (doc.isNull()) {
    // First start: a small example portfolio, so the screen is not empty.
    positions_ = {{"AAPL", 50, 182.40}, {"MSFT", 20, 391.10}, {"NVDA", 100, 96.25}};
    return;
  }
  for (const auto& v : doc.array()) {
    const auto o = v.toObject();
    const QString symbol = o.value("symbol").toString();
    const double q = o.value("quantity").toDouble(), c = o.value("cost").toDouble();
    if (is_valid_symbol(symbol.toStdString()) && q > 0 && c > 0) positions_.append({symbol, q, c});
  }
}

void PortfolioModel::save() {
  QJsonArray arr;
  for (const auto& p : positions_) {
    arr.append(QJsonObject{{"symbol", p.symbol}, {"quantity", p.quantity}, {"cost", p.cost}});
  }
  store_.setDocument(kKey, QJsonDocument(arr).toJson(QJsonDocument::Compact));
}

}  // namespace tickwire::desktop
