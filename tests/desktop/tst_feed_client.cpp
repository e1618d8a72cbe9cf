// The feed client against a real backend on loopback: quotes arrive, latency is measured, the
// subscription follows the symbol set, and a stopped and restarted server is survived.
#include <QSignalSpy>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>
#include <boost/asio/ip/tcp.hpp>

#include <csignal>

#include "app/all_in_one.hpp"
#include "app/node.hpp"
#include "connection_badge.hpp"
#include "redis_server.hpp"
#include "feed_client.hpp"
#include "quote_book.hpp"

using tickwire::desktop::FeedClient;
using tickwire::desktop::QuoteBook;

Q_IMPORT_QML_PLUGIN(Tickwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Tickwire_UiPlugin)

namespace {

using tickwire::desktop::test::Badge;
using tickwire::desktop::test::free_port;

std::unique_ptr<tickwire::app::AllInOne> start_backend(unsigned short port, bool sse = true,
                                                       bool websocket = true) {
  tickwire::app::AllInOne::Configuration c;
  c.frontend.sse = sse;
  c.frontend.websocket = websocket;
  c.frontend.bind = {boost::asio::ip::make_address("127.0.0.1"), port};
  c.frontend.threads = 1;
  c.dispatch.id = "dispatch-test";
  auto node = std::make_unique<tickwire::app::AllInOne>(c);
  node->start();
  return node;
}

}  // namespace

class TestFeedClient : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void receivesQuotesAndMeasuresLatency() {
    const auto port = free_port();
    auto backend = start_backend(port);
    QuoteBook book;
    FeedClient feed(book);
    feed.setServer(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    feed.setSymbols({"AAPL", "MSFT"});
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("connected"), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(book.find("AAPL") && book.find("AAPL")->ticks >= 5, 10000);
    QVERIFY(book.find("MSFT"));
    QVERIFY(!book.find("NVDA"));
    QTRY_VERIFY_WITH_TIMEOUT(feed.latencyP50() > 0, 5000);
    QVERIFY(feed.latencyP99() >= feed.latencyP50());
    QCOMPARE(feed.transport(), QStringLiteral("SSE"));
  }

  // One symbol the server does not list (typed by hand, say) must not stop the others nor make
  // the client fall back to another transport; its row says it is not listed.
  void anUnlistedSymbolKeepsTheOthersTickingOnTheSameTransport() {
    const auto port = free_port();
    auto backend = start_backend(port);
    QuoteBook book;
    FeedClient feed(book);
    feed.setServer(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    feed.setSymbols({"AAPL", "MICRO", "MSFT"});
    QTRY_VERIFY_WITH_TIMEOUT(book.find("AAPL") && book.find("AAPL")->ticks >= 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(book.unavailableReason("MICRO"), QStringLiteral("unknown_symbol"), 5000);
    QCOMPARE(feed.transport(), QStringLiteral("SSE"));
    QCOMPARE(feed.state(), QStringLiteral("connected"));
    // A malformed symbol is refused as a whole: the client stops and says so, no fallback.
    feed.setSymbols({"AAPL", "AA$PL"});
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("refused"), 5000);
    QVERIFY2(feed.lastError().contains("AA$PL"), qPrintable(feed.lastError()));
    QCOMPARE(feed.transport(), QStringLiteral("SSE"));
    // Fixing the list resumes.
    feed.setSymbols({"AAPL"});
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("connected"), 5000);
  }

  void fallsBackToWebSocketWhenSseIsRefused() {
    const auto port = free_port();
    auto backend = start_backend(port, /*sse=*/false);
    QuoteBook book;
    FeedClient feed(book);
    QCOMPARE(feed.transport(), QStringLiteral("SSE"));
    feed.setServer(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    feed.setSymbols({"AAPL", "MSFT"});
    Badge badge(feed);
    QTRY_COMPARE_WITH_TIMEOUT(feed.transport(), QStringLiteral("WebSocket"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("connected"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(badge.text().startsWith(QStringLiteral("Live · WebSocket")), 2000);
    QTRY_VERIFY_WITH_TIMEOUT(book.find("AAPL") && book.find("AAPL")->ticks >= 3, 10000);
    // Symbol changes go over the open WebSocket.
    feed.setSymbols({"AAPL", "NVDA"});
    QTRY_VERIFY_WITH_TIMEOUT(book.find("NVDA") && book.find("NVDA")->ticks >= 2, 10000);
    QCOMPARE(feed.transport(), QStringLiteral("WebSocket"));
  }

  void fallsBackToPollingWhenSseAndWebSocketAreRefused() {
    const auto port = free_port();
    auto backend = start_backend(port, /*sse=*/false, /*websocket=*/false);
    QuoteBook book;
    FeedClient feed(book);
    feed.setServer(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    feed.setSymbols({"AAPL"});
    Badge badge(feed);
    QTRY_COMPARE_WITH_TIMEOUT(feed.transport(), QStringLiteral("Polling"), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("connected"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(badge.text().startsWith(QStringLiteral("Live · Polling")), 2000);
    QTRY_VERIFY_WITH_TIMEOUT(book.find("AAPL") && book.find("AAPL")->ticks >= 3, 15000);
  }

  void showsStaleWhileTheServersCacheTierIsAway() {
    // A whole node over a real Redis (the scale-out cache tier); Redis crashes and returns.
    tickwire::test::RedisServer redis("desktop-stale-redis");
    const auto port = free_port();
    tickwire::app::Node::Configuration c;
    c.role = tickwire::app::Role::all;
    c.id = "desktop-stale";
    c.redis = tickwire::cache::redis::RedisUrl{"127.0.0.1", redis.port()};
    c.parts.frontend.bind = {boost::asio::ip::make_address("127.0.0.1"), port};
    tickwire::app::Node node(c);
    node.start();
    QuoteBook book;
    FeedClient feed(book);
    feed.setServer(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    feed.setSymbols({"AAPL", "MSFT"});
    Badge badge(feed);
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("connected"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(book.find("AAPL") && book.find("AAPL")->ticks >= 2, 10000);
    QVERIFY(!feed.stale());
    QVERIFY(badge.text().startsWith(QStringLiteral("Live · SSE")));

    redis.stop(SIGKILL);
    QTRY_VERIFY_WITH_TIMEOUT(feed.stale(), 5000);
    QCOMPARE(feed.state(), QStringLiteral("connected"));  // the stream stays open
    QTRY_VERIFY_WITH_TIMEOUT(badge.text().startsWith(QStringLiteral("Stale · SSE")), 2000);

    redis.start();
    QTRY_VERIFY_WITH_TIMEOUT(!feed.stale(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(badge.text().startsWith(QStringLiteral("Live · SSE")), 2000);
    const int ticks = book.find("AAPL")->ticks;
    QTRY_VERIFY_WITH_TIMEOUT(book.find("AAPL")->ticks > ticks, 10000);
    node.shutdown(std::chrono::milliseconds(1000));
  }

  void aServerThatIsDownKeepsThePreferredTransport() {
    const auto port = free_port();  // nothing listens there yet
    QuoteBook book;
    FeedClient feed(book);
    feed.setServer(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    feed.setSymbols({"AAPL"});
    QTest::qWait(1500);  // several refused attempts
    QCOMPARE(feed.transport(), QStringLiteral("SSE"));
    auto backend = start_backend(port);
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("connected"), 15000);
    QCOMPARE(feed.transport(), QStringLiteral("SSE"));
  }

  void resubscribesWhenSymbolsChange() {
    const auto port = free_port();
    auto backend = start_backend(port);
    QuoteBook book;
    FeedClient feed(book);
    feed.setServer(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    feed.setSymbols({"AAPL"});
    QTRY_VERIFY_WITH_TIMEOUT(book.find("AAPL"), 5000);
    feed.setSymbols({"AAPL", "NVDA"});
    QTRY_VERIFY_WITH_TIMEOUT(book.find("NVDA") && book.find("NVDA")->ticks >= 2, 10000);
  }

  void reconnectsAfterTheServerIsStoppedAndRestarted() {
    const auto port = free_port();
    auto backend = start_backend(port);
    QuoteBook book;
    FeedClient feed(book);
    QSignalSpy status(&feed, &FeedClient::statusChanged);
    feed.setServer(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    feed.setSymbols({"AAPL"});
    QTRY_VERIFY_WITH_TIMEOUT(book.find("AAPL") && book.find("AAPL")->ticks >= 3, 10000);

    QElapsedTimer down;
    backend.reset();  // the server goes away (streams end, port closed)
    down.start();
    QTRY_VERIFY_WITH_TIMEOUT(feed.state() != QStringLiteral("connected"), 3000);
    QVERIFY2(down.elapsed() < 3000, "the badge must say so within 3 s");
    QTest::qWait(600);  // a few refused attempts while it is down
    QVERIFY(feed.state() == QStringLiteral("reconnecting") ||
            feed.state() == QStringLiteral("connecting") ||
            feed.state() == QStringLiteral("offline"));
    QVERIFY(!feed.lastError().isEmpty());

    const int before = book.find("AAPL")->ticks;
    const auto seq_before = book.find("AAPL")->quote.seq;
    backend = start_backend(port);  // a new server life on the same port
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("connected"), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(book.find("AAPL")->ticks >= before + 3, 10000);
    QVERIFY(book.find("AAPL")->quote.seq > seq_before);  // state moved on, never backwards
    QCOMPARE(feed.transport(), QStringLiteral("SSE"));  // a restart is not a refusal
    QVERIFY(status.count() > 3);
  }
};

QTEST_MAIN(TestFeedClient)
#include "tst_feed_client.moc"
