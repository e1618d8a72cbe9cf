// The app's data source choice, end to end without a display: the AppController with its
// settings in a temporary folder, the keys in the secret store's owner-only file (no session
// bus here), and the bundled backend following a fake Finnhub over TLS on loopback (the
// provider's endpoints from the environment, as for tickwired).
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cstdlib>
#include <unistd.h>

#include "app_controller.hpp"
#include "fake_finnhub.hpp"
#include "test_certificates.hpp"

using tickwire::desktop::AppController;

namespace {

QByteArray contents(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestDataSource : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY2(qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "run without a session bus");
    certs_ = tickwire::test::make_test_certificates(dir_.filePath("certs").toStdString(), "finnhub");
    tickwire::test::FakeFinnhubOptions o;
    o.cert_file = certs_.cert;
    o.key_file = certs_.key;
    // The app's default watchlist, all listed (SPY is an ETF, outside the fake's stock list).
    o.universe = {"AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META",
                  "TSLA", "JPM",  "V",    "NFLX",  "AMD",   "SPY"};
    fake_ = std::make_unique<tickwire::test::FakeFinnhub>(o);
    ::setenv("SSL_CERT_FILE", certs_.ca.c_str(), 1);
    ::setenv("FINNHUB_STREAM_URL", fake_->stream_url().c_str(), 1);
    ::setenv("FINNHUB_API_URL", fake_->base_url().c_str(), 1);
  }

  void theSimulatorIsTheDefault() {
    AppController app(dir_.filePath("default/settings.ini"), QUrl());
    QCOMPARE(app.backendMode(), QStringLiteral("simulator"));
    QTRY_VERIFY_WITH_TIMEOUT(app.book().find("AAPL"), 10000);
    QVERIFY(!app.marketClosed());  // the simulator trades around the clock
  }

  void finnhubWithAStoredTokenShowsItsQuotes() {
    const QString settings = dir_.filePath("finnhub/settings.ini");
    {
      AppController app(settings, QUrl());
      QSignalSpy server(&app, &AppController::serverChanged);
      app.applyDataSource("finnhub", QString(), QString(), QString(), "test-token");
      QTRY_COMPARE_WITH_TIMEOUT(app.backendMode(), QStringLiteral("Finnhub"), 5000);
      QCOMPARE(app.sourceError(), QString());
      QTRY_VERIFY_WITH_TIMEOUT(app.book().find("AAPL") && app.book().find("AAPL")->ticks >= 3,
                               15000);
      QCOMPARE(app.storedKeys(), QStringList{"finnhub"});
      QVERIFY(!app.secrets()->inKeyring());
      // The token is in the secrets file, never in the settings file.
      QVERIFY(contents(app.secrets()->fallbackPath()).contains("test-token"));
      QVERIFY(!contents(settings).contains("test-token"));
      QVERIFY(fake_->connections_now() >= 1);
    }
    // The next start follows Finnhub again, with the stored token, on its own.
    AppController again(settings, QUrl());
    QTRY_COMPARE_WITH_TIMEOUT(again.backendMode(), QStringLiteral("Finnhub"), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(again.book().find("MSFT") && again.book().find("MSFT")->ticks >= 2,
                             15000);
    // Back to the simulator: the provider's connection is given up.
    again.applyDataSource("simulator", QString(), QString(), QString(), QString());
    QTRY_COMPARE_WITH_TIMEOUT(again.backendMode(), QStringLiteral("simulator"), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(fake_->connections_now(), 0u, 5000);
  }

  void aProviderWithoutKeysSaysSoInsteadOfShowingSimulatedPrices() {
    AppController app(dir_.filePath("nokeys/settings.ini"), QUrl());
    app.applyDataSource("alpaca", "iex", QString(), QString(), QString());
    QTRY_VERIFY_WITH_TIMEOUT(!app.sourceError().isEmpty(), 5000);
    QVERIFY2(app.sourceError().contains("key"), qPrintable(app.sourceError()));
    QCOMPARE(app.backendMode(), QStringLiteral("Alpaca (iex)"));
    QTRY_COMPARE_WITH_TIMEOUT(app.feed()->state(), QStringLiteral("offline"), 5000);
    app.forgetKeys("finnhub");
  }

  void cleanupTestCase() {
    for (const char* v : {"SSL_CERT_FILE", "FINNHUB_STREAM_URL", "FINNHUB_API_URL"}) ::unsetenv(v);
    fake_.reset();
  }

 private:
  QTemporaryDir dir_;
  tickwire::test::TestCertificates certs_;
  std::unique_ptr<tickwire::test::FakeFinnhub> fake_;
};

QTEST_GUILESS_MAIN(TestDataSource)
#include "tst_data_source.moc"
