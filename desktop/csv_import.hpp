// What a CSV file holds for the app, read without touching the app: watchlist symbols (one per
// row, optionally with the list they belong to), or positions as lots (symbol, quantity, cost
// per share, date). Recognised by the header row:
//   - Yahoo Finance's portfolio export: Symbol,Current Price,Date,Time,Change,Open,High,Low,
//     Volume,Trade Date,Purchase Price,Quantity,Commission,High Limit,Low Limit,Comment. A row
//     with a quantity is a lot (its commission added to its cost); one without is a watched
//     symbol.
//   - Tickwire's own exports: List,Symbol[,Name] (watchlists) and Symbol,Quantity,Cost[,Date]
//     (positions, one row per lot); Cost may also be called "Cost Basis" or "Purchase Price".
//   - A file of symbols: a Symbol column, or no header and a symbol first on each row (in upper
//     case, as symbols are written: a first row such as "Ticker,Shares" is a header).
// A bad row is skipped and reported by its line number; the others are read.
#pragma once

#include <QByteArray>
#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>

namespace tickwire::desktop {

struct ImportedLot {
  int line = 0;
  QString symbol;
  double quantity = 0;
  double cost = 0;  // per share, commission included
  QDate date;       // when bought, if the file says
};

struct ImportedSymbol {
  int line = 0;
  QString list;  // the list it belongs to; empty: none named
  QString symbol;
};

struct CsvImport {
  enum class Format { Yahoo, Positions, Watchlists, Symbols };
  Format format = Format::Symbols;
  QList<ImportedSymbol> symbols;
  QList<ImportedLot> lots;
  QStringList problems;  // "line 4: ..." for each row skipped
  QString error;         // the whole file refused

  static CsvImport read(const QByteArray& bytes);
  static QString formatName(Format f);
};

}  // namespace tickwire::desktop
