// Watchlists, positions and settings survive a restart: everything is written to the settings
// file as it changes and read back by a fresh set of objects.
#include <QTemporaryDir>
#include <QTest>

#include "portfolio_model.hpp"
#include "quote_book.hpp"
#include "settings_store.hpp"
#include "watchlist_model.hpp"

using namespace tickwire::desktop;

class TestPersistence : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void everythingSurvivesARestart() {
    QTemporaryDir dir;
    const QString file = dir.filePath("tickwire.ini");
    {
      SettingsStore store(file);
      QuoteBook book;
      WatchlistModel lists(book, store);
      PortfolioModel portfolio(book, store);
      lists.addSymbol("BRK.B");
      lists.addList("Semis");
      lists.addSymbol("AMD");
      lists.addSymbol("TSM");
      while (portfolio.rowCount()) portfolio.removeAt(0);
      portfolio.setPosition("TSM", 12.5, 150.25);
      store.setDarkTheme(true);
      store.setFlashEnabled(false);
      store.setRedMeansUp(true);
      store.setUseRemote(true);
      store.setRemoteUrl("https://10.0.0.5:8443");
      store.setCaFile("/etc/tickwire/ca.pem");
      store.setToken("client-token");
      store.setAdminToken("admin-token");
    }  // the app quits
    SettingsStore store(file);
    QuoteBook book;
    WatchlistModel lists(book, store);
    PortfolioModel portfolio(book, store);
    QCOMPARE(lists.listNames(), (QStringList{"My watchlist", "Semis"}));
    QCOMPARE(lists.currentList(), 1);
    QCOMPARE(lists.symbols(), (QStringList{"AMD", "TSM"}));
    lists.setCurrentList(0);
    QVERIFY(lists.symbols().contains("BRK.B"));
    QCOMPARE(portfolio.rowCount(), 1);
    QCOMPARE(portfolio.data(portfolio.index(0), PortfolioModel::SymbolRole).toString(), "TSM");
    QCOMPARE(portfolio.data(portfolio.index(0), PortfolioModel::QuantityRole).toDouble(), 12.5);
    QCOMPARE(portfolio.data(portfolio.index(0), PortfolioModel::CostBasisRole).toDouble(), 150.25);
    QVERIFY(store.darkTheme());
    QVERIFY(!store.flashEnabled());
    QVERIFY(store.redMeansUp());
    QVERIFY(store.useRemote());
    QCOMPARE(store.remoteUrl(), "https://10.0.0.5:8443");
    QCOMPARE(store.caFile(), "/etc/tickwire/ca.pem");
    QCOMPARE(store.token(), "client-token");
    QCOMPARE(store.adminToken(), "admin-token");
  }

  void onlyTheOwnerCanReadTheTokens() {
    QTemporaryDir dir;
    const QString file = dir.filePath("sub/tickwire.ini");
    const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther |
                        QFileDevice::WriteOther | QFileDevice::ExeGroup | QFileDevice::ExeOther;
    {
      SettingsStore store(file);
      store.setToken("secret-token");
      QVERIFY(QFile::permissions(file) & ownerOnly);
      QCOMPARE(QFile::permissions(file) & others, QFileDevice::Permissions());
    }
    // A file left readable by an older version is closed on the next start, and stays so.
    QVERIFY(QFile::setPermissions(file, ownerOnly | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    SettingsStore store(file);
    QCOMPARE(QFile::permissions(file) & others, QFileDevice::Permissions());
    store.setAdminToken("admin-secret");
    QCOMPARE(QFile::permissions(file) & others, QFileDevice::Permissions());
    QCOMPARE(store.token(), "secret-token");
  }

  void aDamagedFileFallsBackToDefaults() {
    QTemporaryDir dir;
    const QString file = dir.filePath("tickwire.ini");
    {
      SettingsStore store(file);
      store.setDocument("watchlists", "{not json");
      store.setDocument("positions", R"([{"symbol":"bad sym","quantity":1,"cost":1},)"
                                     R"({"symbol":"AAPL","quantity":-3,"cost":1}])");
    }
    SettingsStore store(file);
    QuoteBook book;
    WatchlistModel lists(book, store);
    PortfolioModel portfolio(book, store);
    QCOMPARE(lists.rowCount(), 12);       // the default list
    QCOMPARE(portfolio.rowCount(), 0);    // invalid positions are dropped, not shown
  }
};

QTEST_GUILESS_MAIN(TestPersistence)
#include "tst_persistence.moc"
