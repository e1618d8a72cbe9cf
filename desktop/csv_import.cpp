#include "csv_import.hpp"

#include <QCoreApplication>
#include <cmath>
#include <optional>

#include "csv_table.hpp"
#include "tickwire/symbol.hpp"

namespace tickwire::desktop {

namespace {

QString tr(const char* s) { return QCoreApplication::translate("CsvImport", s); }

// Column positions by (case-insensitive) header name; -1 when absent.
struct Columns {
  QStringList names;
  int of(const QString& name) const {
    for (int i = 0; i < names.size(); ++i) {
      if (names[i].trimmed().compare(name, Qt::CaseInsensitive) == 0) return i;
    }
    return -1;
  }
  int ofAny(std::initializer_list<const char*> candidates) const {
    for (const char* c : candidates) {
      if (const int i = of(QLatin1String(c)); i >= 0) return i;
    }
    return -1;
  }
};

QString field(const CsvRow& row, int column) {
  return column >= 0 && column < row.fields.size() ? row.fields[column].trimmed() : QString();
}

// A number as these files write it: "1,234.50" is not possible unquoted, but "$1234.50" is.
std::optional<double> number(QString text) {
  text.remove(u'$').remove(u',').remove(u' ');
  if (text.isEmpty()) return std::nullopt;
  bool ok = false;
  const double v = text.toDouble(&ok);
  if (!ok || !std::isfinite(v)) return std::nullopt;
  return v;
}

QDate dateOf(const QString& text) {
  for (const char* format : {"yyyyMMdd", "yyyy-MM-dd", "yyyy/MM/dd", "M/d/yyyy"}) {
    const QDate d = QDate::fromString(text, QLatin1String(format));
    if (d.isValid()) return d;
  }
  return {};
}

}  // namespace

QString CsvImport::formatName(Format f) {
  switch (f) {
    case Format::Yahoo: return tr("Yahoo Finance portfolio");
    case Format::Positions: return tr("positions");
    case Format::Watchlists: return tr("watchlists");
    case Format::Symbols: break;
  }
  return tr("symbols");
}

CsvImport CsvImport::read(const QByteArray& bytes) {
  CsvImport out;
  const CsvTable table = CsvTable::parse(bytes);
  if (!table.error.isEmpty()) {
    out.error = table.error;
    return out;
  }
  if (table.rows.isEmpty()) {
    out.error = tr("the file is empty");
    return out;
  }
  const Columns header{table.rows.front().fields};
  const int symbolCol = header.of(QStringLiteral("Symbol"));
  const int quantityCol = header.of(QStringLiteral("Quantity"));
  const int costCol = header.ofAny({"Purchase Price", "Cost", "Cost Basis"});
  const int listCol = header.of(QStringLiteral("List"));
  bool hasHeader = symbolCol >= 0;
  if (symbolCol >= 0 && header.of(QStringLiteral("Current Price")) >= 0 &&
      header.of(QStringLiteral("Purchase Price")) >= 0 && quantityCol >= 0) {
    out.format = Format::Yahoo;
  } else if (symbolCol >= 0 && quantityCol >= 0 && costCol >= 0) {
    out.format = Format::Positions;
  } else if (symbolCol >= 0 && listCol >= 0) {
    out.format = Format::Watchlists;
  } else if (symbolCol < 0) {
    // No header: symbols first on each row, written as symbols are (upper case). A first row
    // that is no symbol ("Ticker") is a header we do not know.
    const QString first = field(table.rows.front(), 0);
    if (!is_valid_symbol(first.toStdString())) {
      out.error = tr("line 1: no Symbol column (the header names %1)")
                      .arg(table.rows.front().fields.join(QStringLiteral(", ")));
      return out;
    }
  }
  const int sym = symbolCol >= 0 ? symbolCol : 0;
  const int commissionCol = header.of(QStringLiteral("Commission"));
  const int dateCol = header.ofAny({"Trade Date", "Date"});
  for (qsizetype i = hasHeader ? 1 : 0; i < table.rows.size(); ++i) {
    const CsvRow& row = table.rows[i];
    const QString symbol = field(row, sym).toUpper();
    const auto skip = [&](const QString& why) {
      out.problems.append(tr("line %1: %2").arg(row.line).arg(why));
    };
    if (!is_valid_symbol(symbol.toStdString())) {
      skip(symbol.isEmpty() ? tr("no symbol") : tr("\"%1\" is not a symbol").arg(field(row, sym)));
      continue;
    }
    const bool lot = out.format == Format::Positions ||
                     (out.format == Format::Yahoo && !field(row, quantityCol).isEmpty());
    if (!lot) {
      out.symbols.append({row.line, field(row, listCol), symbol});
      continue;
    }
    const auto quantity = number(field(row, quantityCol));
    const auto cost = number(field(row, costCol));
    if (!quantity || *quantity <= 0) {
      skip(tr("the quantity \"%1\" is not a number above zero").arg(field(row, quantityCol)));
      continue;
    }
    if (!cost || *cost <= 0) {
      skip(tr("the cost \"%1\" is not a price above zero").arg(field(row, costCol)));
      continue;
    }
    double perShare = *cost;
    if (const auto commission = number(field(row, commissionCol)); commission && *commission > 0) {
      perShare += *commission / *quantity;
    }
    out.lots.append({row.line, symbol, *quantity, perShare, dateOf(field(row, dateCol))});
  }
  return out;
}

}  // namespace tickwire::desktop
