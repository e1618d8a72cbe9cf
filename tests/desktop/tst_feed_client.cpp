// The feed client against a real backend on loopback: quotes arrive, latency is measured, the
// subscription follows the symbol set, and a stopped and restarted server is survived.
#include <QSignalSpy>
#include <QTest>
#include <boost/asio/ip/tcp.hpp>

#include "app/all_in_one.hpp"
#include "feed_client.hpp"
#include "quote_book.hpp"

using tickwire::desktop::FeedClient;
using tickwire::desktop::QuoteBook;

namespace {

unsigned short free_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

std::unique_ptr<tickwire::app::AllInOne> start_backend(unsigned short port) {
  tickwire::app::AllInOne::Configuration c;
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
    QVERIFY(status.count() > 3);
  }
};

QTEST_GUILESS_MAIN(TestFeedClient)
#include "tst_feed_client.moc"
