// What the app tells the user about a refusal (AccessProblem), and what every request to a
// frontend carries (ServerAccess): the bearer token in the header and never in the URL, the
// system's CAs plus the CA file, peer verification on. No server: the end-to-end behaviour
// against a real TLS and JWT frontend is in tst_secure_feed.
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include "access_problem.hpp"
#include "server_access.hpp"
#include "test_pki.hpp"

using namespace tickwire::desktop;
using Kind = AccessProblem::Kind;

class TestAccess : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void tokenRefusalsSayWhatToDo() {
    const auto expired = AccessProblem::fromHttp(
        401, R"({"error":"token_expired","detail":"exp 1700000000 is past"})");
    QCOMPARE(expired.kind, Kind::Unauthorized);
    QVERIFY2(expired.message.contains("expired") && expired.message.contains("Settings"),
             qPrintable(expired.message));
    const auto missing = AccessProblem::fromHttp(401, R"({"error":"token_missing","detail":""})");
    QVERIFY2(missing.message.contains("requires a token"), qPrintable(missing.message));
    const auto invalid =
        AccessProblem::fromHttp(401, R"({"error":"token_invalid","detail":"bad signature"})");
    QVERIFY2(invalid.message.contains("not valid (bad signature)"), qPrintable(invalid.message));
    const auto admin = AccessProblem::fromHttp(401, R"({"error":"admin_token_required"})");
    QVERIFY2(admin.message.contains("admin token"), qPrintable(admin.message));
  }

  void aRefusalFromSomethingElseStillStops() {
    // A proxy's HTML 401 is a refusal all the same; other statuses are not refusals.
    const auto p = AccessProblem::fromHttp(401, "<html>Unauthorized</html>");
    QCOMPARE(p.kind, Kind::Unauthorized);
    QVERIFY(p.message.contains("HTTP 401"));
    QVERIFY(!AccessProblem::fromHttp(503, R"({"error":"transport_disabled"})"));
    QVERIFY(!AccessProblem::fromHttp(200, {}));
    QVERIFY(!AccessProblem::fromHttp(0, {}));
  }

  void aRequestTheServerRefusesStopsInsteadOfFallingBack() {
    // Another transport would be told the same: a refusal, cured by another symbol set.
    const auto bad = AccessProblem::fromHttp(
        400, R"({"error":"bad_symbol","detail":"invalid symbol 'AA$PL'"})");
    QCOMPARE(bad.kind, Kind::BadRequest);
    QVERIFY2(bad.message.contains("AA$PL"), qPrintable(bad.message));
    QCOMPARE(AccessProblem::fromHttp(413, R"({"error":"too_many_symbols"})").kind, Kind::BadRequest);
    // A 400 that is not the frontend's answer about the request is not one (a proxy's, say).
    QVERIFY(!AccessProblem::fromHttp(400, "<html>Bad Request</html>"));
    QVERIFY(!AccessProblem::fromHttp(400, R"({"error":"something_else"})"));
  }

  void forbiddenNamesTheRefusedSymbols() {
    const auto p = AccessProblem::fromHttp(
        403, R"({"error":"forbidden","detail":"not entitled","symbols":["TSLA","NVDA"]})");
    QCOMPARE(p.kind, Kind::Forbidden);
    QCOMPARE(p.message, QStringLiteral("Not entitled to: TSLA, NVDA"));
    QCOMPARE(p.symbols, (QStringList{"TSLA", "NVDA"}));
    // The same as a WebSocket error message.
    const auto ws = AccessProblem::fromError(
        R"({"type":"error","error":"forbidden","detail":"not entitled","symbols":["TSLA"]})");
    QCOMPARE(ws.kind, Kind::Forbidden);
    QCOMPARE(ws.message, QStringLiteral("Not entitled to: TSLA"));
    // Other WebSocket errors are not about access.
    QVERIFY(!AccessProblem::fromError(R"({"type":"error","error":"bad_request","detail":"x"})"));
  }

  void anUntrustedCertificateNamesTheCaFile() {
    const auto p = AccessProblem::fromTls({QSslError(QSslError::SelfSignedCertificateInChain)});
    QCOMPARE(p.kind, Kind::Untrusted);
    QVERIFY2(p.message.contains("not trusted") && p.message.contains("CA file"),
             qPrintable(p.message));
    const auto name = AccessProblem::fromTls({QSslError(QSslError::HostNameMismatch)});
    QVERIFY2(name.message.contains("host name"), qPrintable(name.message));
    QVERIFY(!AccessProblem::fromTls({}));
  }

  void requestsCarryTheTokenInTheHeaderOnly() {
    const ServerAccess server(QUrl("http://10.0.0.5:8080/base"), {}, " client-token ", "adm");
    const auto req = server.request("/v1/stream", QUrlQuery{{"symbols", "AAPL"}});
    QCOMPARE(req.url(), QUrl("http://10.0.0.5:8080/base/v1/stream?symbols=AAPL"));
    QCOMPARE(req.rawHeader("Authorization"), QByteArray("Bearer client-token"));
    QVERIFY(!req.url().toString().contains("token"));
    const auto admin = server.request("/v1/admin/metrics/stream", {},
                                      ServerAccess::Credential::Admin);
    QCOMPARE(admin.rawHeader("Authorization"), QByteArray("Bearer adm"));
    const auto ws = server.webSocketRequest("/v1/ws");
    QCOMPARE(ws.url(), QUrl("ws://10.0.0.5:8080/base/v1/ws"));
    QCOMPARE(ws.rawHeader("Authorization"), QByteArray("Bearer client-token"));
    // No token, no header.
    QVERIFY(!ServerAccess(QUrl("http://h:1")).request("/healthz").hasRawHeader("Authorization"));
  }

  void httpsTrustsTheSystemAndTheCaFile() {
    tickwire::desktop::test::TestPki pki;
    QVERIFY2(pki.ok(), qPrintable(pki.error()));
    const ServerAccess server(QUrl("https://127.0.0.1:8443"), pki.caFile(), "t");
    QVERIFY(server.secure());
    QVERIFY(server.caProblem().isEmpty());
    const auto ssl = server.request("/v1/stream").sslConfiguration();
    QCOMPARE(ssl.peerVerifyMode(), QSslSocket::VerifyPeer);
    const auto ca = QSslCertificate::fromPath(pki.caFile());
    QCOMPARE(ca.size(), 1);
    QVERIFY(ssl.caCertificates().contains(ca.first()));
    // The system's store stays: the CA file adds to it.
    const auto system = QSslConfiguration::defaultConfiguration().caCertificates();
    QCOMPARE(ssl.caCertificates().size(), system.size() + 1);
    QCOMPARE(server.webSocketRequest("/v1/ws").url().scheme(), QStringLiteral("wss"));
    QWebSocket socket;
    server.prepare(socket);
    QVERIFY(socket.sslConfiguration().caCertificates().contains(ca.first()));
    QCOMPARE(socket.sslConfiguration().peerVerifyMode(), QSslSocket::VerifyPeer);
  }

  void anUnusableCaFileIsReported() {
    QTemporaryDir dir;
    QVERIFY(!ServerAccess(QUrl("https://h:1"), dir.filePath("missing.pem")).caProblem().isEmpty());
    QFile junk(dir.filePath("junk.pem"));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("not a certificate\n");
    junk.close();
    const ServerAccess server(QUrl("https://h:1"), junk.fileName());
    QVERIFY2(server.caProblem().contains("no PEM certificate"), qPrintable(server.caProblem()));
    QVERIFY(ServerAccess(QUrl("https://h:1")).caProblem().isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestAccess)
#include "tst_access.moc"
