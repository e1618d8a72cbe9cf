// The desktop app against a frontend with edge security, on loopback with real sockets: HTTPS
// and WSS with a certificate made at test time, HS256 tokens from a secret file, an admin token
// for the operator view. A good token and the CA file bring quotes; a certificate not trusted,
// a token refused or symbols not entitled stop the client in a state that says why, without a
// reconnect loop and without falling back to another transport.
#include <QSignalSpy>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/all_in_one.hpp"
#include "auth/token_minter.hpp"
#include "connection_badge.hpp"
#include "feed_client.hpp"
#include "operator_model.hpp"
#include "poll_transport.hpp"
#include "quote_book.hpp"
#include "server_access.hpp"
#include "symbol_search.hpp"
#include "test_pki.hpp"
#include "ws_transport.hpp"


using namespace tickwire::desktop;
using tickwire::desktop::test::Badge;
using tickwire::desktop::test::free_port;
using tickwire::desktop::test::TestPki;

Q_IMPORT_QML_PLUGIN(Tickwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Tickwire_UiPlugin)

namespace {

constexpr char kSecret[] = "desktop-test-secret-0123456789abcdef";

constexpr char kAdminToken[] = "desktop-test-admin-token";
// Long enough to connect on a busy machine, short enough to see the server end the stream.
constexpr std::int64_t kShortTtl = 5;

std::int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

class TestSecureFeed : public QObject {
  Q_OBJECT

  // A token signed with the server's secret: valid for `ttl` seconds from `issued`, for
  // `symbols` only when given.
  static QString token(std::int64_t ttl, std::optional<std::vector<std::string>> symbols = {},
                       std::int64_t issued = now_unix()) {
    return QString::fromStdString(
        tickwire::auth::mint_hs256(kSecret, "desktop-test", issued, ttl, std::move(symbols)));
  }

  std::unique_ptr<tickwire::app::AllInOne> startBackend(bool sse = true) {
    tickwire::app::AllInOne::Configuration c;
    c.frontend.bind = {boost::asio::ip::make_address("127.0.0.1"), 0};
    c.frontend.threads = 1;
    c.frontend.sse = sse;
    c.frontend.tls.cert_file = pki_->certFile().toStdString();
    c.frontend.tls.key_file = pki_->keyFile().toStdString();
    c.frontend.tokens = tickwire::auth::TokenVerifier::from_secret_file(secretFile_.toStdString());
    c.frontend.admin_token = kAdminToken;
    c.dispatch.id = "dispatch-secure-test";
    auto node = std::make_unique<tickwire::app::AllInOne>(c);
    node->start();
    base_ = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(node->frontend_endpoint().port()));
    return node;
  }

  ServerAccess access(const QString& clientToken, bool withCa = true,
                      const QString& adminToken = {}) const {
    return ServerAccess(base_, withCa ? pki_->caFile() : QString(), clientToken, adminToken);
  }

  // Over a few seconds a refused client must not keep trying: one attempt, perhaps a second
  // that was already under way, never the dozen a backoff loop makes in that time.
  static void verifyNoLoop(const FeedClient& feed) {
    const int attempts = feed.connectionAttempts();
    QTest::qWait(3000);
    QVERIFY2(feed.connectionAttempts() - attempts <= 1,
             qPrintable(QStringLiteral("%1 attempts in 3 s")
                            .arg(feed.connectionAttempts() - attempts)));
    QVERIFY(feed.connectionAttempts() <= 3);
  }

 private Q_SLOTS:
  void initTestCase() {
    pki_ = std::make_unique<TestPki>();
    QVERIFY2(pki_->ok(), qPrintable(pki_->error()));
    secretFile_ = pki_->path(QStringLiteral("jwt.secret"));
    QFile secret(secretFile_);
    QVERIFY(secret.open(QIODevice::WriteOnly));
    secret.write(kSecret);
    secret.close();
    secret.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
  }

  void receivesQuotesOverHttpsWithTheCaFileAndAToken() {
    auto backend = startBackend();
    QuoteBook book;
    FeedClient feed(book);
    Badge badge(feed);
    feed.setServer(access(token(300)));
    feed.setSymbols({"AAPL", "MSFT"});
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("connected"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(book.find("AAPL") && book.find("AAPL")->ticks >= 3, 10000);
    QVERIFY(book.find("MSFT"));
    QCOMPARE(feed.transport(), QStringLiteral("SSE"));
    QTRY_VERIFY_WITH_TIMEOUT(badge.text().startsWith(QStringLiteral("Live · SSE")), 2000);
    QVERIFY2(badge.text().endsWith(QStringLiteral("remote 127.0.0.1:%1").arg(base_.port())),
             qPrintable(badge.text()));
  }

  void symbolSearchCarriesTheTokenAndTheCa() {
    auto backend = startBackend();
    QuoteBook book;
    SymbolSearch search(book);
    search.setServer(access(token(300)));
    QTRY_VERIFY_WITH_TIMEOUT(!book.name(QStringLiteral("AAPL")).isEmpty(), 10000);
    search.search(QStringLiteral("MSF"));
    QTRY_VERIFY_WITH_TIMEOUT(!search.results().isEmpty(), 5000);
  }

  void anUntrustedCertificateStopsWithoutALoop() {
    auto backend = startBackend();
    QuoteBook book;
    FeedClient feed(book);
    Badge badge(feed);
    feed.setServer(access(token(300), /*withCa=*/false));
    feed.setSymbols({"AAPL"});
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("untrusted"), 10000);
    QVERIFY2(feed.lastError().contains(QStringLiteral("not trusted")) &&
                 feed.lastError().contains(QStringLiteral("CA file")),
             qPrintable(feed.lastError()));
    QTRY_VERIFY_WITH_TIMEOUT(badge.text().startsWith(QStringLiteral("Untrusted server · The "
                                                                    "server's certificate")),
                             2000);
    verifyNoLoop(feed);
    QCOMPARE(feed.state(), QStringLiteral("untrusted"));
    QCOMPARE(feed.transport(), QStringLiteral("SSE"));  // no fallback: every one would fail so

    // Adding the CA file in Settings (the controller sets the server again) retries.
    feed.setServer(access(token(300)));
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("connected"), 10000);
  }

  void anExpiredTokenIsUnauthorizedUntilItIsReplaced() {
    auto backend = startBackend();
    QuoteBook book;
    FeedClient feed(book);
    Badge badge(feed);
    feed.setServer(access(token(60, std::nullopt, now_unix() - 3600)));
    feed.setSymbols({"AAPL"});
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("unauthorized"), 10000);
    QVERIFY2(feed.lastError().contains(QStringLiteral("expired")), qPrintable(feed.lastError()));
    QTRY_VERIFY_WITH_TIMEOUT(badge.text().startsWith(QStringLiteral("Not authorized · The server "
                                                                    "refused the token")),
                             2000);
    verifyNoLoop(feed);
    QCOMPARE(feed.transport(), QStringLiteral("SSE"));
    // A new symbol set does not retry a refused token...
    feed.setSymbols({"AAPL", "MSFT"});
    QTest::qWait(500);
    QCOMPARE(feed.state(), QStringLiteral("unauthorized"));
    // ...a new token does.
    feed.setServer(access(token(300)));
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("connected"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(book.find("MSFT"), 10000);
  }

  void aMissingOrForgedTokenIsUnauthorized() {
    auto backend = startBackend();
    QuoteBook book;
    FeedClient feed(book);
    feed.setServer(access(QString()));
    feed.setSymbols({"AAPL"});
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("unauthorized"), 10000);
    QVERIFY2(feed.lastError().contains(QStringLiteral("token")), qPrintable(feed.lastError()));

    QString forged = token(300);
    forged[forged.size() - 2] = forged[forged.size() - 2] == u'A' ? u'B' : u'A';
    feed.setServer(access(forged));
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("unauthorized"), 10000);
    QVERIFY2(feed.lastError().contains(QStringLiteral("token")), qPrintable(feed.lastError()));
    QVERIFY(!feed.lastError().contains(forged));  // the token itself is never shown
    verifyNoLoop(feed);
  }

  void symbolsNotEntitledAreNamedAndTheRestResumes() {
    auto backend = startBackend();
    QuoteBook book;
    FeedClient feed(book);
    feed.setServer(access(token(300, std::vector<std::string>{"AAPL", "MSFT"})));
    feed.setSymbols({"AAPL", "TSLA", "NVDA"});
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("unauthorized"), 10000);
    QVERIFY2(feed.lastError().startsWith(QStringLiteral("Not entitled to: ")),
             qPrintable(feed.lastError()));
    QVERIFY(feed.lastError().contains(QStringLiteral("TSLA")));
    QVERIFY(feed.lastError().contains(QStringLiteral("NVDA")));
    QVERIFY(!feed.lastError().contains(QStringLiteral("AAPL")));
    verifyNoLoop(feed);
    // Taking the refused symbols off the screen retries with the rest.
    feed.setSymbols({"AAPL", "MSFT"});
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("connected"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(book.find("AAPL") && book.find("MSFT"), 10000);
  }

  void aStreamThatOutlivesItsTokenEnds() {
    auto backend = startBackend();
    QuoteBook book;
    FeedClient feed(book);
    feed.setServer(access(token(kShortTtl)));
    feed.setSymbols({"AAPL"});
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("connected"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("unauthorized"), 15000);
    QVERIFY2(feed.lastError().contains(QStringLiteral("expired")), qPrintable(feed.lastError()));
    verifyNoLoop(feed);
  }

  // The WebSocket transport on its own: the token goes in the upgrade request, and what the
  // server says on the open connection (forbidden, expired) stops it.
  void webSocketCarriesTheTokenAndStopsOnARefusal() {
    auto backend = startBackend();
    WsTransport ws;
    QSignalSpy quotes(&ws, &QuoteTransport::quotes);
    ws.open(access(token(300, std::vector<std::string>{"AAPL"})), {"AAPL"});
    QTRY_COMPARE_WITH_TIMEOUT(ws.state(), QuoteTransport::State::Connected, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(quotes.count() >= 2, 10000);
    ws.setSymbols({"AAPL", "TSLA"});  // subscribes TSLA on the open connection
    QTRY_COMPARE_WITH_TIMEOUT(ws.state(), QuoteTransport::State::Refused, 10000);
    QCOMPARE(ws.problem().kind, AccessProblem::Kind::Forbidden);
    QCOMPARE(ws.problem().message, QStringLiteral("Not entitled to: TSLA"));

    ws.open(access(token(60, std::nullopt, now_unix() - 3600)), {"AAPL"});  // refused upgrade
    QTRY_COMPARE_WITH_TIMEOUT(ws.state(), QuoteTransport::State::Refused, 10000);
    QCOMPARE(ws.problem().kind, AccessProblem::Kind::Unauthorized);
    QVERIFY2(ws.lastError().contains(QStringLiteral("token")), qPrintable(ws.lastError()));

    ws.open(access(token(300), /*withCa=*/false), {"AAPL"});
    QTRY_COMPARE_WITH_TIMEOUT(ws.state(), QuoteTransport::State::Refused, 10000);
    QCOMPARE(ws.problem().kind, AccessProblem::Kind::Untrusted);

    ws.open(access(token(kShortTtl)), {"AAPL"});
    QTRY_COMPARE_WITH_TIMEOUT(ws.state(), QuoteTransport::State::Connected, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(ws.state(), QuoteTransport::State::Refused, 15000);
    QVERIFY2(ws.lastError().contains(QStringLiteral("expired")), qPrintable(ws.lastError()));
  }

  void pollingStopsOnARefusal() {
    auto backend = startBackend();
    PollTransport poll;
    poll.open(access(token(300, std::vector<std::string>{"AAPL"})), {"AAPL", "NVDA"});
    QTRY_COMPARE_WITH_TIMEOUT(poll.state(), QuoteTransport::State::Refused, 10000);
    QCOMPARE(poll.problem().message, QStringLiteral("Not entitled to: NVDA"));
    poll.open(access(token(300)), {"AAPL"});
    QTRY_COMPARE_WITH_TIMEOUT(poll.state(), QuoteTransport::State::Connected, 10000);
    poll.open(access(QString()), {"AAPL"});
    QTRY_COMPARE_WITH_TIMEOUT(poll.state(), QuoteTransport::State::Refused, 10000);
    QCOMPARE(poll.problem().kind, AccessProblem::Kind::Unauthorized);
  }

  void theOperatorViewNeedsTheAdminToken() {
    auto backend = startBackend();
    OperatorModel withToken;
    withToken.setServer(access(token(300), true, kAdminToken));
    QTRY_VERIFY_WITH_TIMEOUT(withToken.live(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(withToken.rowCount() > 0, 10000);
    QVERIFY(withToken.problem().isEmpty());

    OperatorModel without;
    without.setServer(access(token(300)));  // no admin token (the client's is not sent there)
    QTRY_VERIFY_WITH_TIMEOUT(!without.problem().isEmpty(), 10000);
    QVERIFY2(without.problem().contains(QStringLiteral("admin token")),
             qPrintable(without.problem()));
    QVERIFY(!without.live());

    OperatorModel wrong;
    wrong.setServer(access({}, true, QStringLiteral("not-the-admin-token")));
    QTRY_VERIFY_WITH_TIMEOUT(!wrong.problem().isEmpty(), 10000);
    QVERIFY2(wrong.problem().contains(QStringLiteral("refused the admin token")),
             qPrintable(wrong.problem()));
    QCOMPARE(wrong.rowCount(), 0);
  }

 private:
  std::unique_ptr<TestPki> pki_;
  QString secretFile_;
  QUrl base_;
};

QTEST_MAIN(TestSecureFeed)
#include "tst_secure_feed.moc"
