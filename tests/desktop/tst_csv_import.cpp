// Import and export as CSV: the reader (quoting, line numbers), the formats (Yahoo Finance's
// portfolio export with lots, Tickwire's own exports, plain symbols), bad lines reported by
// number, and the app importing without losing what it had, and reading back what it wrote.
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "app_controller.hpp"
#include "csv_import.hpp"
#include "csv_table.hpp"

using namespace tickwire::desktop;

namespace {
const char* kYahooHeader =
    "Symbol,Current Price,Date,Time,Change,Open,High,Low,Volume,Trade Date,Purchase Price,"
    "Quantity,Commission,High Limit,Low Limit,Comment\r\n";

QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
  const QString path = dir.filePath(name);
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
  f.write(bytes);
  return path;
}
}  // namespace

class TestCsvImport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void theReaderFollowsRfc4180() {
    const auto t = CsvTable::parse("\xEF\xBB\xBF" "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\r\n"
                                   "\"two\nlines\",x\nlast,row");
    QVERIFY(t.error.isEmpty());
    QCOMPARE(t.rows.size(), 3);
    QCOMPARE(t.rows[0].fields, (QStringList{"a", "b,c", "say \"hi\""}));
    QCOMPARE(t.rows[1].line, 3);
    QCOMPARE(t.rows[1].fields, (QStringList{"two\nlines", "x"}));
    QCOMPARE(t.rows[2].line, 5);
    QCOMPARE(t.rows[2].fields, (QStringList{"last", "row"}));
    QVERIFY(CsvTable::parse("a,\"open\nb").error.contains("line 1"));
    QVERIFY(!CsvTable::parse(QByteArray("a\0b", 3)).error.isEmpty());
    QVERIFY(!CsvTable::parse(QByteArray(CsvTable::kMaxBytes + 1, 'a')).error.isEmpty());
    QCOMPARE(CsvTable::quote("plain"), "plain");
    QCOMPARE(CsvTable::quote("a,\"b\""), "\"a,\"\"b\"\"\"");
  }

  void aYahooExportGivesLotsAndWatchedSymbolsAndNamesItsBadLines() {
    QByteArray file = kYahooHeader;
    file += "AAPL,229.4,2026/12/03,16:00 EST,-0.03,229,230,228,47100,20240115,185.5,10,5,,,\r\n";
    file += "AAPL,229.4,2026/12/03,16:00 EST,-0.03,229,230,228,47100,20250302,210,5,,,,second lot\r\n";
    file += "MSFT,414.9,2026/12/03,16:00 EST,-10.39,,,,,,,,,,,watch only\r\n";
    file += "^GSPC,6000,2026/12/03,16:00 EST,1,,,,,,,,,,,an index\r\n";       // line 5
    file += "NVDA,138.5,2026/12/03,16:00 EST,0.3,,,,,20240601,abc,10,,,,\r\n";  // line 6
    file += "TSLA,250,2026/12/03,16:00 EST,1,,,,,20240601,200,-3,,,,\r\n";      // line 7
    const auto in = CsvImport::read(file);
    QVERIFY(in.error.isEmpty());
    QCOMPARE(in.format, CsvImport::Format::Yahoo);
    QCOMPARE(in.lots.size(), 2);
    QCOMPARE(in.lots[0].symbol, "AAPL");
    QCOMPARE(in.lots[0].quantity, 10.0);
    QCOMPARE(in.lots[0].cost, 186.0);  // 185.50 + 5.00 commission over 10 shares
    QCOMPARE(in.lots[0].date, QDate(2024, 1, 15));
    QCOMPARE(in.lots[1].cost, 210.0);
    QCOMPARE(in.symbols.size(), 1);
    QCOMPARE(in.symbols[0].symbol, "MSFT");
    QCOMPARE(in.problems.size(), 3);
    QVERIFY(in.problems[0].startsWith("line 5: \"^GSPC\" is not a symbol"));
    QVERIFY(in.problems[1].startsWith("line 6: the cost \"abc\""));
    QVERIFY(in.problems[2].startsWith("line 7: the quantity \"-3\""));
  }

  void otherFormatsAreRecognisedByTheirHeader() {
    const auto positions = CsvImport::read("Symbol,Quantity,Cost Basis\nIBM,3,150\n");
    QCOMPARE(positions.format, CsvImport::Format::Positions);
    QCOMPARE(positions.lots.size(), 1);
    const auto lists = CsvImport::read("List,Symbol,Name\nTech,AAPL,Apple\n\"Div, yield\",T,AT&T\n");
    QCOMPARE(lists.format, CsvImport::Format::Watchlists);
    QCOMPARE(lists.symbols.size(), 2);
    QCOMPARE(lists.symbols[1].list, "Div, yield");
    const auto bare = CsvImport::read("AAPL\nmsft,anything\n");
    QCOMPARE(bare.format, CsvImport::Format::Symbols);
    QCOMPARE(bare.symbols.size(), 2);
    QCOMPARE(bare.symbols[0].symbol, "AAPL");
    QVERIFY(CsvImport::read("Ticker,Shares\nAAPL,1\n").error.contains("no Symbol column"));
    QVERIFY(!CsvImport::read("").error.isEmpty());
  }

  void theAppImportsWithoutLosingAnythingAndReadsBackItsExports() {
    QTemporaryDir dir;
    // A remote server that is not there: no bundled backend, nothing on the network needed.
    AppController app(dir.filePath("settings.ini"), QUrl("http://127.0.0.1:9"));
    auto* wl = app.watchlist();
    auto* pf = app.portfolio();
    QVERIFY(pf->demo());
    const QStringList listsBefore = wl->listNames();
    const QStringList firstList = wl->symbols();

    QByteArray yahoo = kYahooHeader;
    yahoo += "AAPL,229.4,,,,,,,,20240115,185.5,10,5,,,\n";
    yahoo += "AAPL,229.4,,,,,,,,20250302,210,5,,,,\n";
    yahoo += "MSFT,414.9,,,,,,,,,,,,,,\n";
    yahoo += "BAD$,1,,,,,,,,,,,,,,\n";
    const auto result = app.importCsv(QUrl::fromLocalFile(write(dir, "quotes.csv", yahoo)));
    QVERIFY(result.value("ok").toBool());
    QCOMPARE(result.value("problems").toStringList().size(), 1);
    QVERIFY(result.value("problems").toStringList().front().startsWith("line 5:"));
    QVERIFY(result.value("summary").toString().contains("2 lot(s) of 1 position(s)"));
    // The lists that were there are still there, and the new one holds the watched symbol.
    QCOMPARE(wl->listNames().size(), listsBefore.size() + 1);
    QCOMPARE(wl->listNames().last(), "Imported from quotes");
    QCOMPARE(wl->symbols(), QStringList{"MSFT"});
    wl->setCurrentList(0);
    QCOMPARE(wl->symbols(), firstList);
    // AAPL had a (demo) position: the lots join it; the portfolio is the user's now.
    QVERIFY(!pf->demo());
    int aapl = -1;
    for (int r = 0; r < pf->rowCount(); ++r) {
      if (pf->data(pf->index(r), PortfolioModel::SymbolRole) == "AAPL") aapl = r;
    }
    QVERIFY(aapl >= 0);
    QCOMPARE(pf->data(pf->index(aapl), PortfolioModel::LotsRole).toInt(), 3);
    QCOMPARE(pf->data(pf->index(aapl), PortfolioModel::QuantityRole).toDouble(), 65.0);

    // Export both, then import them into a fresh app: the same lists and lots come back.
    const QString lists = dir.filePath("lists.csv"), lots = dir.filePath("lots.csv");
    QVERIFY(app.exportCsv(QUrl::fromLocalFile(lists), "watchlists").value("ok").toBool());
    QVERIFY(app.exportCsv(QUrl::fromLocalFile(lots), "positions").value("ok").toBool());
    QVERIFY(!app.exportCsv(QUrl::fromLocalFile(lots), "everything").value("ok").toBool());
    QTemporaryDir other;
    AppController fresh(other.filePath("settings.ini"), QUrl("http://127.0.0.1:9"));
    while (fresh.portfolio()->rowCount() > 0) fresh.portfolio()->removeAt(0);
    QVERIFY(fresh.importCsv(QUrl::fromLocalFile(lots)).value("ok").toBool());
    QCOMPARE(fresh.portfolio()->lots().size(), pf->lots().size());
    QCOMPARE(fresh.portfolio()->totalCost(), pf->totalCost());
    QVERIFY(fresh.importCsv(QUrl::fromLocalFile(lists)).value("ok").toBool());
    QVERIFY(fresh.watchlist()->listNames().contains("Imported from quotes"));
    // A file that is not there says so.
    const auto missing = fresh.importCsv(QUrl::fromLocalFile(other.filePath("none.csv")));
    QVERIFY(!missing.value("ok").toBool());
    QVERIFY(missing.value("summary").toString().startsWith("Cannot read"));
  }
};

QTEST_GUILESS_MAIN(TestCsvImport)
#include "tst_csv_import.moc"
