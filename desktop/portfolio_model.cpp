#include "portfolio_model.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>

#include "tickwire/symbol.hpp"

namespace tickwire::desktop {

namespace {
const QString kKey = QStringLiteral("positions");
const QString kDemoKey = QStringLiteral("positionsDemo");
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
          {TotalGainPctRole, "totalGainPct"}, {HasQuoteRole, "hasQuote"},
          {LotsRole, "lots"}};
}

double PortfolioModel::Position::quantity() const {
  double q = 0;
  for (const auto& l : lots) q += l.quantity;
  return q;
}

double PortfolioModel::Position::cost() const {
  double q = 0, paid = 0;
  for (const auto& l : lots) {
    q += l.quantity;
    paid += l.quantity * l.cost;
  }
  return q > 0 ? paid / q : 0;
}

double PortfolioModel::last(const Position& p) const {
  const auto* e = book_.find(p.symbol);
  return e ? e->quote.last : p.cost();  // no quote yet: valued at cost, gains show 0
}

QVariant PortfolioModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= positions_.size()) return {};
  const auto& p = positions_[index.row()];
  const auto* e = book_.find(p.symbol);
  const double price = last(p);
  const double quantity = p.quantity(), cost = p.cost();
  switch (role) {
    case SymbolRole: return p.symbol;
    case NameRole: return book_.name(p.symbol);
    case QuantityRole: return quantity;
    case CostBasisRole: return cost;
    case LastRole: return price;
    case MarketValueRole: return quantity * price;
    case DayGainRole: return e ? quantity * e->quote.change : 0.0;
    case TotalGainRole: return quantity * (price - cost);
    case TotalGainPctRole: return cost > 0 ? 100.0 * (price - cost) / cost : 0.0;
    case HasQuoteRole: return e != nullptr;
    case LotsRole: return static_cast<int>(p.lots.size());
    default: return {};
  }
}

double PortfolioModel::totalValue() const {
  double v = 0;
  for (const auto& p : positions_) v += p.quantity() * last(p);
  return v;
}

double PortfolioModel::totalCost() const {
  double v = 0;
  for (const auto& p : positions_) v += p.quantity() * p.cost();
  return v;
}

double PortfolioModel::totalDayGain() const {
  double v = 0;
  for (const auto& p : positions_) {
    if (const auto* e = book_.find(p.symbol)) v += p.quantity() * e->quote.change;
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

QList<QPair<QString, PortfolioModel::Lot>> PortfolioModel::lots() const {
  QList<QPair<QString, Lot>> out;
  for (const auto& p : positions_) {
    for (const auto& l : p.lots) out.append({p.symbol, l});
  }
  return out;
}

namespace {
bool validLot(const QString& symbol, double quantity, double cost) {
  return is_valid_symbol(symbol.toStdString()) && quantity > 0 && cost > 0 &&
         std::isfinite(quantity) && std::isfinite(cost);
}
}  // namespace

bool PortfolioModel::setPosition(const QString& raw, double quantity, double costBasis) {
  const QString symbol = raw.trimmed().toUpper();
  if (!validLot(symbol, quantity, costBasis)) return false;
  leaveDemo();
  for (int row = 0; row < positions_.size(); ++row) {
    if (positions_[row].symbol == symbol) {
      positions_[row].lots = {{quantity, costBasis, {}}};
      changed(row, false);
      return true;
    }
  }
  const int row = static_cast<int>(positions_.size());
  beginInsertRows({}, row, row);
  positions_.append({symbol, {{quantity, costBasis, {}}}});
  endInsertRows();
  changed(-1, true);
  return true;
}

bool PortfolioModel::addLot(const QString& raw, double quantity, double cost, const QDate& date) {
  const QString symbol = raw.trimmed().toUpper();
  if (!validLot(symbol, quantity, cost)) return false;
  leaveDemo();
  for (int row = 0; row < positions_.size(); ++row) {
    if (positions_[row].symbol == symbol) {
      positions_[row].lots.append({quantity, cost, date});
      changed(row, false);
      return true;
    }
  }
  const int row = static_cast<int>(positions_.size());
  beginInsertRows({}, row, row);
  positions_.append({symbol, {{quantity, cost, date}}});
  endInsertRows();
  changed(-1, true);
  return true;
}

void PortfolioModel::removeAt(int row) {
  if (row < 0 || row >= positions_.size()) return;
  leaveDemo();
  beginRemoveRows({}, row, row);
  positions_.removeAt(row);
  endRemoveRows();
  changed(-1, true);
}

void PortfolioModel::changed(int row, bool symbolsToo) {
  if (row >= 0) Q_EMIT dataChanged(index(row), index(row));
  save();
  Q_EMIT totalsChanged();
  if (symbolsToo) Q_EMIT symbolsChanged();
}

void PortfolioModel::leaveDemo() {
  if (!demo_) return;
  demo_ = false;
  Q_EMIT demoChanged();
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
    // First start: a few demo positions, so that the screen shows what it does; the screen
    // says they are a demo until the user changes the portfolio.
    positions_ = {{"AAPL", {{50, 182.40, {}}}}, {"MSFT", {{20, 391.10, {}}}},
                  {"NVDA", {{100, 96.25, {}}}}};
    demo_ = true;
    return;
  }
  demo_ = store_.document(kDemoKey) == "1";
  for (const auto& v : doc.array()) {
    const auto o = v.toObject();
    const QString symbol = o.value("symbol").toString();
    Position p{symbol, {}};
    if (o.contains("lots")) {
      for (const auto& lv : o.value("lots").toArray()) {
        const auto l = lv.toObject();
        const double q = l.value("quantity").toDouble(), c = l.value("cost").toDouble();
        if (validLot(symbol, q, c)) {
          p.lots.append({q, c, QDate::fromString(l.value("date").toString(), Qt::ISODate)});
        }
      }
    } else {  // written before lots: one position, one lot
      const double q = o.value("quantity").toDouble(), c = o.value("cost").toDouble();
      if (validLot(symbol, q, c)) p.lots.append({q, c, {}});
    }
    if (!p.lots.isEmpty()) positions_.append(p);
  }
}

void PortfolioModel::save() {
  QJsonArray arr;
  for (const auto& p : positions_) {
    QJsonArray lots;
    for (const auto& l : p.lots) {
      QJsonObject lot{{"quantity", l.quantity}, {"cost", l.cost}};
      if (l.date.isValid()) lot["date"] = l.date.toString(Qt::ISODate);
      lots.append(lot);
    }
    arr.append(QJsonObject{{"symbol", p.symbol}, {"lots", lots}});
  }
  store_.setDocument(kKey, QJsonDocument(arr).toJson(QJsonDocument::Compact));
  store_.setDocument(kDemoKey, demo_ ? "1" : "0");
}

}  // namespace tickwire::desktop
