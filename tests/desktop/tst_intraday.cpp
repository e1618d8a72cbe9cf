// The quote detail's chart model against a real backend on loopback: bars loaded from
// GET /v1/bars and kept current by the ticks the feed client receives, a refused symbol that
// says why, the 1D/5D ranges in New York time (DST edges included), and the chart's gaps.
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>
#include <boost/asio/ip/tcp.hpp>

#include "app/all_in_one.hpp"
#include "connection_badge.hpp"
#include "feed_client.hpp"
#include "intraday_bars.hpp"
#include "intraday_chart.hpp"
#include "quote_book.hpp"

using tickwire::Bar;
using tickwire::desktop::FeedClient;
using tickwire::desktop::IntradayBars;
using tickwire::desktop::IntradayChart;
using tickwire::desktop::QuoteBook;
using tickwire::desktop::ServerAccess;

namespace {

qint64 newYork(int y, int m, int d, int h, int min) {
  return QDateTime(QDate(y, m, d), QTime(h, min), QTimeZone("America/New_York"))
      .toSecsSinceEpoch();
}

// The whole backend on a free loopback port (its URL in `url`), with the simulator's history.
std::unique_ptr<tickwire::app::AllInOne> start_backend(QUrl& url) {
  const auto port = tickwire::desktop::test::free_port();
  tickwire::app::AllInOne::Configuration c;
  c.frontend.bind = {boost::asio::ip::make_address("127.0.0.1"), port};
  c.frontend.threads = 1;
  c.dispatch.bar_flush = std::chrono::milliseconds(200);
  auto backend = std::make_unique<tickwire::app::AllInOne>(c);
  backend->start();
  url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
  return backend;
}

std::deque<Bar> bars_at(std::initializer_list<qint64> times) {
  std::deque<Bar> out;
  for (const auto t : times) out.push_back(Bar{t, 10, 11, 9, 10.5, 100});
  return out;
}

}  // namespace

class TestIntraday : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void loadsTheServersBarsAndFollowsTicks() {
    QUrl url;
    const auto backend = start_backend(url);

    QuoteBook book;
    FeedClient feed(book);  // follows AAPL: the fleet subscribes it and builds its bars
    feed.setServer(url);
    feed.setSymbols({"AAPL"});
    QTRY_VERIFY_WITH_TIMEOUT(book.find("AAPL") && book.find("AAPL")->ticks >= 3, 10000);

    IntradayBars bars(book);
    bars.setSymbol(QStringLiteral("AAPL"));
    QCOMPARE(bars.count(), 1);  // the book's latest quote, before anything loaded
    bars.setServer(ServerAccess(url));
    // The server's bars arrive (they are written once a second): reload until they have.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
          if (!bars.loading() && bars.series().bars().front().volume == 0) bars.reload();
          return !bars.loading() && bars.problem().isEmpty() &&
                 bars.series().bars().front().volume > 0;
        }(),
        8000);
    QVERIFY(bars.prevClose() > 0);

    // A quote two minutes after the newest bar is a new bar at once, shown within 250 ms.
    QSignalSpy changed(&bars, &IntradayBars::changed);
    const auto count = bars.count();
    tickwire::Quote q = book.find("AAPL")->quote;
    q.seq += 1'000'000;
    q.ts = (bars.series().bars().back().t + 120) * 1'000'000;
    book.apply(q);
    QCOMPARE(bars.count(), count + 1);
    QCOMPARE(bars.series().bars().back().close, q.last);
    QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty(), 1000);
  }

  void aSymbolTheServerRefusesSaysWhy() {
    QUrl url;
    const auto backend = start_backend(url);
    QuoteBook book;
    IntradayBars bars(book);
    bars.setServer(ServerAccess(url));
    bars.setSymbol(QStringLiteral("ZZZZZZ"));
    QTRY_VERIFY_WITH_TIMEOUT(!bars.loading() && bars.problem().contains("does not list"), 8000);
    QCOMPARE(bars.count(), 0);
  }

  void oneDayIsTheNewestTradingDayFromFourAmNewYorkTime() {
    // Summer (EDT, UTC-4) and winter (EST, UTC-5), and the nights DST starts and ends.
    for (const auto& [y, m, d] : {std::tuple{2026, 7, 15}, {2026, 12, 4}, {2026, 3, 9},
                                  {2026, 11, 2}}) {
      const QDate day(y, m, d);
      const QDate before = day.addDays(-1);
      const auto bars = bars_at({newYork(before.year(), before.month(), before.day(), 15, 59),
                                 newYork(y, m, d, 3, 59),  // still the previous trading day
                                 newYork(y, m, d, 4, 0), newYork(y, m, d, 9, 30)});
      QCOMPARE(IntradayBars::tradingDayStart(newYork(y, m, d, 9, 30)), newYork(y, m, d, 4, 0));
      QCOMPARE(IntradayBars::tradingDayStart(newYork(y, m, d, 3, 59)),
               newYork(before.year(), before.month(), before.day(), 4, 0));
      const auto [first, last] = IntradayBars::shown(bars, false);
      QCOMPARE(first, 2u);
      QCOMPARE(last, 4u);
      const auto [all, end] = IntradayBars::shown(bars, true);
      QCOMPARE(all, 0u);
      QCOMPARE(end, 4u);
    }
  }

  void fiveDaysAreOfferedOnlyWithBarsOfSeveralTradingDays() {
    QuoteBook book;
    IntradayBars bars(book);
    bars.setSymbol(QStringLiteral("AAPL"));
    tickwire::Quote q;
    q.symbol = "AAPL";
    q.last = 10;
    q.seq = 1;
    q.ts = newYork(2026, 12, 3, 15, 0) * 1'000'000;
    book.apply(q);
    QVERIFY(!bars.multiDay());
    q.seq = 2;
    q.ts = newYork(2026, 12, 4, 9, 31) * 1'000'000;
    book.apply(q);
    QVERIFY(bars.multiDay());

    IntradayChart chart;
    chart.setBars(&bars);
    QCOMPARE(chart.shownBars(), 1);  // 1D: today's bar
    chart.setProperty("fiveDays", true);
    QCOMPARE(chart.shownBars(), 2);
    QCOMPARE(chart.segments(), 2);  // a night apart: two lines, not one across the gap
  }

  void minutesWithoutTradesAreAGapInTheLine() {
    QuoteBook book;
    IntradayBars bars(book);
    bars.setSymbol(QStringLiteral("MSFT"));
    const qint64 open = newYork(2026, 12, 4, 9, 30);
    std::uint64_t seq = 0;
    for (const qint64 minute : {0, 1, 2, 3, 9, 10, 30}) {
      tickwire::Quote q;
      q.symbol = "MSFT";
      q.seq = ++seq;
      q.last = 400 + static_cast<double>(minute);
      q.ts = (open + minute * 60) * 1'000'000;
      book.apply(q);
    }
    IntradayChart chart;
    chart.setBars(&bars);
    QCOMPARE(chart.shownBars(), 7);
    QCOMPARE(chart.segments(), 3);  // 3 -> 9 and 10 -> 30 are over 5 minutes apart: gaps
  }
};

QTEST_MAIN(TestIntraday)
#include "tst_intraday.moc"
