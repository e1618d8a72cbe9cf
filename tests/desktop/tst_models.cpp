// The models' contract with the views: one row signalled per tick, never a reset for a tick;
// staleness; sorting; portfolio arithmetic; invalid input refused.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include "market_hours.hpp"
#include "operator_model.hpp"
#include "portfolio_model.hpp"
#include "quote_book.hpp"
#include "settings_store.hpp"
#include "symbol_search.hpp"
#include "time_chart.hpp"
#include "watchlist_model.hpp"

using namespace tickwire::desktop;

namespace {
tickwire::Quote quote(const char* symbol, std::uint64_t seq, double last, double change = 0) {
  tickwire::Quote q;
  q.symbol = symbol;
  q.seq = seq;
  q.last = last;
  q.change = change;
  q.prev_close = last - change;
  q.volume = 1'234'567;
  return q;
}
}  // namespace

class TestModels : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { dir_ = std::make_unique<QTemporaryDir>(); }

  void aTickSignalsExactlyItsRow() {
    SettingsStore store(dir_->filePath("s.ini"));
    QuoteBook book;
    WatchlistModel model(book, store);
    QCOMPARE(model.rowCount(), 12);  // the default list on first start
    const int row = static_cast<int>(model.symbols().indexOf("NVDA"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
    for (std::uint64_t seq = 1; seq <= 50; ++seq) book.apply(quote("NVDA", seq, 100 + seq));
    QCOMPARE(changed.count(), 50);
    for (const auto& args : changed) {
      QCOMPARE(args.at(0).toModelIndex().row(), row);
      QCOMPARE(args.at(1).toModelIndex().row(), row);
      // Exact roles: the quote's, never the symbol's or the name's (a view re-reads only them).
      const auto roles = args.at(2).value<QList<int>>();
      QVERIFY(roles.contains(WatchlistModel::LastRole));
      QVERIFY(roles.contains(WatchlistModel::TicksRole));
      QVERIFY(!roles.contains(WatchlistModel::SymbolRole));
      QVERIFY(!roles.contains(WatchlistModel::NameRole));
    }
    QCOMPARE(reset.count(), 0);
    QCOMPARE(layout.count(), 0);
    QCOMPARE(model.data(model.index(row), WatchlistModel::LastRole).toDouble(), 150.0);
    QCOMPARE(model.data(model.index(row), WatchlistModel::TicksRole).toInt(), 50);
    QCOMPARE(model.data(model.index(row), WatchlistModel::DirectionRole).toInt(), 1);
    QCOMPARE(model.data(model.index(row), WatchlistModel::VolumeTextRole).toString(), "1.23M");
    QCOMPARE(model.data(model.index(row), WatchlistModel::HistoryRole).value<QList<qreal>>().size(), 50);
    // A quote for a symbol not on the list signals nothing.
    changed.clear();
    book.apply(quote("ZZZ", 1, 1));
    QCOMPARE(changed.count(), 0);
  }

  void olderQuotesNeverReplaceNewerOnes() {
    QuoteBook book;
    QVERIFY(book.apply(quote("AAPL", 10, 200)));
    QVERIFY(!book.apply(quote("AAPL", 9, 100)));
    QVERIFY(!book.apply(quote("AAPL", 10, 100)));
    QCOMPARE(book.find("AAPL")->quote.last, 200.0);
  }

  void rowsAreStaleWhileTheFeedIsDown() {
    SettingsStore store(dir_->filePath("s.ini"));
    QuoteBook book;
    WatchlistModel model(book, store);
    book.apply(quote("AAPL", 1, 200));
    const auto aapl = model.index(static_cast<int>(model.symbols().indexOf("AAPL")));
    QVERIFY(model.data(aapl, WatchlistModel::StaleRole).toBool());  // feed not live yet
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setFeedLive(true);
    QVERIFY(!model.data(aapl, WatchlistModel::StaleRole).toBool());
    QVERIFY(changed.count() >= 1);
    model.setFeedLive(false);
    QVERIFY(model.data(aapl, WatchlistModel::StaleRole).toBool());
  }

  void aSymbolTheDataSourceRefusesSaysWhyUntilAQuoteComes() {
    SettingsStore store(dir_->filePath("s.ini"));
    QuoteBook book;
    WatchlistModel model(book, store);
    const auto nvda = model.index(static_cast<int>(model.symbols().indexOf("NVDA")));
    QCOMPARE(model.data(nvda, WatchlistModel::UnavailableRole).toString(), QString());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    book.setUnavailable("NVDA", "upstream_symbol_limit");
    book.setUnavailable("NVDA", "upstream_symbol_limit");  // no change, no signal
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.data(nvda, WatchlistModel::UnavailableRole).toString(),
             QStringLiteral("over the data plan's symbol limit"));
    book.setUnavailable("NVDA", "something_new");
    QCOMPARE(model.data(nvda, WatchlistModel::UnavailableRole).toString(),
             QStringLiteral("not carried (something_new)"));
    // A quote means the source carries it after all; so does an explicit "available".
    book.apply(quote("NVDA", 1, 100));
    QCOMPARE(model.data(nvda, WatchlistModel::UnavailableRole).toString(), QString());
    book.setUnavailable("NVDA", "upstream_refused");
    QCOMPARE(model.data(nvda, WatchlistModel::UnavailableRole).toString(),
             QStringLiteral("refused by the data provider"));
    book.setUnavailable("NVDA", QString());
    QCOMPARE(book.unavailableReason("NVDA"), QString());
    book.setUnavailable("NVDA", "unknown_symbol");  // the server does not list it
    QCOMPARE(model.data(nvda, WatchlistModel::UnavailableRole).toString(),
             QStringLiteral("not listed by the server"));
  }

  void editsListsAndRefusesBadSymbols() {
    SettingsStore store(dir_->filePath("s.ini"));
    QuoteBook book;
    WatchlistModel model(book, store);
    QVERIFY(!model.addSymbol("aapl"));  // already there (case-insensitive)
    QVERIFY(!model.addSymbol("not a symbol"));
    QVERIFY(model.addSymbol("brk.b"));
    QCOMPARE(model.symbols().last(), QStringLiteral("BRK.B"));
    model.removeSymbolAt(0);
    QVERIFY(!model.symbols().contains("AAPL"));
    QCOMPARE(model.addList("Tech"), 1);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.listNames(), (QStringList{"My watchlist", "Tech"}));
    model.removeList(1);
    QCOMPARE(model.listNames().size(), 1);
    model.removeList(0);  // the last list stays
    QCOMPARE(model.listNames().size(), 1);
  }

  void listsAreRenamedMovedAndRowsMovedOrCopiedBetweenThem() {
    SettingsStore store(dir_->filePath("s.ini"));
    QuoteBook book;
    WatchlistModel model(book, store);
    while (model.rowCount() > 0) model.removeSymbolAt(0);
    QVERIFY(model.addSymbol("AAPL"));
    QVERIFY(model.addSymbol("MSFT"));
    QVERIFY(model.addSymbol("NVDA"));
    const int first = model.currentList();
    const int second = model.addList("Tech");
    QCOMPARE(model.currentList(), second);
    model.renameList(second, "  Semis ");
    QCOMPARE(model.listNames().at(second), "Semis");
    model.setCurrentList(first);
    // Row order is the user's: Ctrl+Down moves AAPL below MSFT, and the list keeps it.
    model.moveRow(0, 1);
    QCOMPARE(model.symbols(), (QStringList{"MSFT", "AAPL", "NVDA"}));
    // Copy NVDA to Semis (once), then move MSFT there.
    QVERIFY(model.copyRowTo(2, second));
    QVERIFY(!model.copyRowTo(2, second));
    QVERIFY(model.moveRowTo(0, second));
    QCOMPARE(model.symbols(), (QStringList{"AAPL", "NVDA"}));
    // Lists move; the one on screen stays on screen.
    model.moveList(second, 0);
    QCOMPARE(model.listNames().at(0), "Semis");
    QCOMPARE(model.currentList(), first + 1);
    QCOMPARE(model.symbols(), (QStringList{"AAPL", "NVDA"}));
    model.setCurrentList(0);
    QCOMPARE(model.symbols(), (QStringList{"NVDA", "MSFT"}));
    // All of it survives a restart.
    WatchlistModel again(book, store);
    QCOMPARE(again.listNames().at(0), "Semis");
    QCOMPARE(again.listNames().size(), 2);
  }

  void aLiveSortKeepsTheOrderAsPricesMove() {
    SettingsStore store(dir_->filePath("s.ini"));
    QuoteBook book;
    WatchlistModel model(book, store);
    while (model.rowCount() > 0) model.removeSymbolAt(0);
    for (const char* s : {"AAA", "BBB", "CCC"}) QVERIFY(model.addSymbol(s));
    book.apply(quote("AAA", 1, 10));
    book.apply(quote("BBB", 1, 20));
    book.apply(quote("CCC", 1, 30));
    model.sortBy("last");
    QCOMPARE(model.symbols(), (QStringList{"AAA", "BBB", "CCC"}));
    // Without live sorting a tick leaves the rows where they are...
    book.apply(quote("AAA", 2, 40));
    QTest::qWait(1100);
    QCOMPARE(model.symbols(), (QStringList{"AAA", "BBB", "CCC"}));
    // ...with it, within a second the row moves to its place.
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
    model.setLiveSort(true);
    QCOMPARE(model.symbols(), (QStringList{"BBB", "CCC", "AAA"}));
    book.apply(quote("BBB", 2, 50));
    QTRY_COMPARE_WITH_TIMEOUT(model.symbols(), (QStringList{"CCC", "AAA", "BBB"}), 2500);
    const int moves = layout.count();
    // Ticks that change nothing in the order change no layout.
    book.apply(quote("CCC", 2, 31));
    QTest::qWait(1100);
    QCOMPARE(layout.count(), moves);
  }

  void outsideRegularHoursARowSaysWhenItLastTraded() {
    SettingsStore store(dir_->filePath("s.ini"));
    QuoteBook book;
    WatchlistModel model(book, store);
    const int row = static_cast<int>(model.symbols().indexOf("NVDA"));
    auto q = quote("NVDA", 1, 140);
    // 21:00:02 UTC on 2026-12-03 is 16:00:02 in New York (EST).
    q.ts = QDateTime(QDate(2026, 12, 3), QTime(21, 0, 2), QTimeZone::utc()).toMSecsSinceEpoch() * 1000;
    book.apply(q);
    QCOMPARE(model.data(model.index(row), WatchlistModel::LastTradeRole).toString(), QString());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setOutsideRegularHours(true);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.data(model.index(row), WatchlistModel::LastTradeRole).toString(), "16:00:02 ET");
  }

  void outsideRegularHoursARowShowsTheCloseAndTheExtendedChangeApart() {
    SettingsStore store(dir_->filePath("s.ini"));
    QuoteBook book;
    WatchlistModel model(book, store);
    const int row = static_cast<int>(model.symbols().indexOf("NVDA"));
    const auto at = [](const QDate& day, int h, int m) {
      return QDateTime(day, QTime(h, m), QTimeZone("America/New_York")).toMSecsSinceEpoch() * 1000;
    };
    // The latest session that has closed: its last regular trade is the close, and an
    // after-hours trade moves against it.
    const QDate day(2026, 12, 3);  // a Thursday
    auto q = quote("NVDA", 1, 140);  // prevClose 140 - change
    q.ts = at(day, 15, 59);
    book.apply(q);
    q = quote("NVDA", 2, 141.5);
    q.ts = at(day, 16, 30);
    book.apply(q);
    const auto data = [&](int role) { return model.data(model.index(row), role); };
    QVERIFY(!data(WatchlistModel::CloseRole).isValid());  // during regular hours: nothing
    QCOMPARE(data(WatchlistModel::ExtLabelRole).toString(), QString());
    model.setOutsideRegularHours(true, "After hours", day);
    QCOMPARE(data(WatchlistModel::CloseRole).toDouble(), 140.0);
    QCOMPARE(data(WatchlistModel::ExtChangeRole).toDouble(), 1.5);
    QVERIFY(qAbs(data(WatchlistModel::ExtChangePctRole).toDouble() - 100 * 1.5 / 140) < 1e-9);
    QCOMPARE(data(WatchlistModel::ExtLabelRole).toString(), "After hours");

    // Never seen trading in that session: the feed's previous close stands in.
    const int other = static_cast<int>(model.symbols().indexOf("AAPL"));
    auto a = quote("AAPL", 1, 230);
    a.prev_close = 228;
    a.ts = at(day, 17, 0);
    book.apply(a);
    QCOMPARE(model.data(model.index(other), WatchlistModel::CloseRole).toDouble(), 228.0);
    QCOMPARE(model.data(model.index(other), WatchlistModel::ExtChangeRole).toDouble(), 2.0);
  }

  void sortsByAnyColumn() {
    SettingsStore store(dir_->filePath("s.ini"));
    QuoteBook book;
    WatchlistModel model(book, store);
    std::uint64_t seq = 1;
    for (const auto& s : model.symbols()) {
      ++seq;
      book.apply(quote(s.toUtf8().constData(), seq, 10.0 * static_cast<double>(seq)));
    }
    model.sortBy("last");
    QVERIFY(model.sortAscending());
    for (int r = 1; r < model.rowCount(); ++r) {
      QVERIFY(model.data(model.index(r - 1), WatchlistModel::LastRole).toDouble() <=
              model.data(model.index(r), WatchlistModel::LastRole).toDouble());
    }
    model.sortBy("last");
    QVERIFY(!model.sortAscending());
    QVERIFY(model.data(model.index(0), WatchlistModel::LastRole).toDouble() >=
            model.data(model.index(1), WatchlistModel::LastRole).toDouble());
    // Ticks after sorting still land on the right row.
    const QString top = model.data(model.index(0), WatchlistModel::SymbolRole).toString();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    book.apply(quote(top.toUtf8().constData(), 1000, 1));
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
  }

  void portfolioValuesPositionsLive() {
    SettingsStore store(dir_->filePath("s.ini"));
    QuoteBook book;
    PortfolioModel model(book, store);
    while (model.rowCount()) model.removeAt(0);
    QVERIFY(model.setPosition("AAPL", 10, 100));
    QVERIFY(model.setPosition("MSFT", 2, 300));
    QVERIFY(!model.setPosition("AAPL", -1, 100));
    QVERIFY(!model.setPosition("AAPL", 1, 0));
    QVERIFY(!model.setPosition("bad symbol", 1, 1));
    QCOMPARE(model.totalValue(), 1600.0);  // no quotes yet: valued at cost
    QSignalSpy totals(&model, &PortfolioModel::totalsChanged);
    book.apply(quote("AAPL", 1, 110, 5));  // +5 today
    QCOMPARE(totals.count(), 1);
    QCOMPARE(model.data(model.index(0), PortfolioModel::MarketValueRole).toDouble(), 1100.0);
    QCOMPARE(model.data(model.index(0), PortfolioModel::DayGainRole).toDouble(), 50.0);
    QCOMPARE(model.data(model.index(0), PortfolioModel::TotalGainRole).toDouble(), 100.0);
    QCOMPARE(model.data(model.index(0), PortfolioModel::TotalGainPctRole).toDouble(), 10.0);
    QCOMPARE(model.totalValue(), 1700.0);
    QCOMPARE(model.totalGain(), 100.0);
    QCOMPARE(model.totalDayGain(), 50.0);
    QVERIFY(model.setPosition("AAPL", 20, 100));  // edit replaces
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.totalValue(), 2800.0);
  }

  void operatorViewComputesRatesPerTier() {
    OperatorModel model;
    const auto doc = [](qint64 ts, int ticks, int sent) {
      return QStringLiteral(R"({"nodes":[{"id":"n1","role":"all","ts":%1,"metrics":{)"
                            R"("tickwire_exchange_ticks_total":%2,"tickwire_exchange_subscriptions":3,)"
                            R"("tickwire_frontend_quotes_sent_total":%3,)"
                            R"("tickwire_dispatch_upstream_symbols":3,"tickwire_cache_demanded_symbols":3}}]})")
          .arg(ts).arg(ticks).arg(sent).toUtf8();
    };
    model.apply(doc(1'000'000, 0, 0), 1'700'000'000'000);
    model.apply(doc(2'000'000, 2000, 500), 1'700'000'001'250);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.data(model.index(0), OperatorModel::TierRole).toString(), "exchange");
    QCOMPARE(model.data(model.index(3), OperatorModel::TierRole).toString(), "frontend");
    // One point per document after the first, at the local time it came.
    const auto values = model.data(model.index(0), OperatorModel::RateValuesRole).value<QList<qreal>>();
    const auto times = model.data(model.index(0), OperatorModel::RateTimesRole).value<QList<qreal>>();
    QCOMPARE(values, QList<qreal>{2000.0});
    QCOMPARE(times, QList<qreal>{1'700'000'001.25});
    const auto items = model.data(model.index(1), OperatorModel::ItemsRole).toList();
    bool efficiency = false;
    for (const auto& i : items) {
      if (i.toMap().value("label").toString().startsWith("Feed efficiency")) {
        efficiency = i.toMap().value("value").toString() == "1.00";
      }
    }
    QVERIFY(efficiency);
  }

  void operatorViewShowsAKafkaFrontendsConsumerLag() {
    OperatorModel model;
    const auto doc = [](qint64 ts, int fanout, int lag, int ready) {
      return QStringLiteral(R"({"nodes":[{"id":"fe-k","role":"frontend","ts":%1,"metrics":{)"
                            R"("tickwire_cache_fanout_total":%2,"tickwire_cache_kafka_consumer_lag":%3,)"
                            R"("tickwire_kafka_ready":%4,"tickwire_cache_demanded_symbols":7}}]})")
          .arg(ts).arg(fanout).arg(lag).arg(ready).toUtf8();
    };
    model.apply(doc(1'000'000, 0, 0, 1));
    model.apply(doc(2'000'000, 300, 42, 0));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.data(model.index(0), OperatorModel::TierRole).toString(), "cache");
    QMap<QString, QString> shown;
    for (const auto& i : model.data(model.index(0), OperatorModel::ItemsRole).toList()) {
      shown.insert(i.toMap().value("label").toString(), i.toMap().value("value").toString());
    }
    QCOMPARE(shown.value("Kafka"), "unreachable");
    QCOMPARE(shown.value("Consumer lag (records)"), "42");
    QCOMPARE(shown.value("Demanded symbols"), "7");
    QCOMPARE(shown.value("Fan-out/s"), "300");
    QVERIFY(!shown.contains("Lingering"));  // the embedded cache's figures only
  }

  void operatorViewDropsNodesTheServerNoLongerLists() {
    OperatorModel model;
    const auto node = [](const char* id, qint64 ts, int sent) {
      return QStringLiteral(R"({"id":"%1","role":"frontend","ts":%2,"metrics":{)"
                            R"("tickwire_frontend_quotes_sent_total":%3}})")
          .arg(QLatin1String(id)).arg(ts).arg(sent);
    };
    const auto doc = [](const QStringList& nodes) {
      return QStringLiteral(R"({"nodes":[%1]})").arg(nodes.join(',')).toUtf8();
    };
    model.apply(doc({node("fe-1", 1'000'000, 0), node("fe-2", 1'000'000, 0)}));
    QCOMPARE(model.nodeCount(), 2);
    QCOMPARE(model.rowCount(), 2);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    // fe-1's lease ran out: the server lists fe-2 alone.
    model.apply(doc({node("fe-2", 2'000'000, 100)}));
    QCOMPARE(model.nodeCount(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.data(model.index(0), OperatorModel::NodeRole).toString(), "fe-2");
    QCOMPARE(removed.count(), 1);
    // It comes back as a new node: no rate against counters from its earlier life.
    model.apply(doc({node("fe-1", 3'000'000, 5), node("fe-2", 3'000'000, 200)}));
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(model.data(model.index(0), OperatorModel::RateValuesRole).value<QList<qreal>>().isEmpty());
  }

  void aChartSplitsItsLineAtEveryGap() {
    // Points every second, a 10 s pause, then two more, then one alone after another pause.
    const QList<qreal> times{100, 101, 102, 112, 113, 120};
    const auto runs = TimeChart::runs(times, 90, 130, 2.5);
    QCOMPARE(runs.size(), 3);
    QCOMPARE(runs[0].first, 0);
    QCOMPARE(runs[0].last, 2);
    QCOMPARE(runs[1].first, 3);
    QCOMPARE(runs[1].last, 4);
    QCOMPARE(runs[2].first, 5);
    QCOMPARE(runs[2].last, 5);
    // Points before the window are left out, and do not join the first one inside it.
    const auto late = TimeChart::runs(times, 101.5, 130, 2.5);
    QCOMPARE(late.size(), 3);
    QCOMPARE(late[0].first, 2);
    QCOMPARE(late[0].last, 2);
    QVERIFY(TimeChart::runs({}, 0, 10, 2.5).isEmpty());
    QCOMPARE(TimeChart::niceCeiling(0), 1.0);
    QCOMPARE(TimeChart::niceCeiling(1800), 2000.0);
    QCOMPARE(TimeChart::niceCeiling(2000), 2000.0);
    QCOMPARE(TimeChart::niceCeiling(2001), 5000.0);
    QCOMPARE(TimeChart::niceCeiling(0.3), 0.5);
  }

  void anUnlistedSymbolIsRefusedOnceTheServersListHasCome() {
    QuoteBook book;
    SymbolSearch search(book);
    // Before the list comes, a well-formed symbol is taken (the server names it if unknown).
    QCOMPARE(search.problemWith("micro"), QString());
    QVERIFY(search.problemWith("AA$PL").contains("not a symbol"));
    QVERIFY(!search.problemWith("  ").isEmpty());
    book.setNames({{"AAPL", "Apple Inc."}, {"MSFT", "Microsoft Corporation"}});
    QCOMPARE(search.problemWith(" aapl "), QString());
    QCOMPARE(search.problemWith("micro"), QStringLiteral("MICRO is not listed by the server; pick a suggestion"));
  }

 private:
  std::unique_ptr<QTemporaryDir> dir_;
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
