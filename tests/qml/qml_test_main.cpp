// Runs the tst_*.qml files in this folder. The views get real models fed through the
// Tickwire.Testing singleton (no network): quotes are applied to a QuoteBook directly.
#include <QDateTime>
#include <QQmlEngine>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

#include "feed_client.hpp"
#include "intraday_bars.hpp"
#include "portfolio_model.hpp"
#include "quote_book.hpp"
#include "settings_store.hpp"
#include "symbol_search.hpp"
#include "watchlist_model.hpp"

Q_IMPORT_QML_PLUGIN(Tickwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Tickwire_UiPlugin)

using namespace tickwire::desktop;

class Fixtures : public QObject {
  Q_OBJECT
  Q_PROPERTY(tickwire::desktop::WatchlistModel* watchlist READ watchlist CONSTANT)
  Q_PROPERTY(tickwire::desktop::PortfolioModel* portfolio READ portfolio CONSTANT)
  Q_PROPERTY(tickwire::desktop::FeedClient* feed READ feed CONSTANT)
  Q_PROPERTY(tickwire::desktop::SymbolSearch* search READ search CONSTANT)
  Q_PROPERTY(tickwire::desktop::QuoteBook* quotes READ quotes CONSTANT)
  Q_PROPERTY(tickwire::desktop::IntradayBars* intraday READ intraday CONSTANT)

 public:
  Fixtures()
      : store_(dir_.filePath("settings.ini")),
        watchlist_(book_, store_),
        portfolio_(book_, store_),
        feed_(book_),
        search_(book_),
        intraday_(book_) {
    // The server's symbol list, as far as these tests need it: the add fields check against it.
    book_.setNames({{"AAPL", "Apple Inc."},
                    {"IBM", "International Business Machines Corporation"},
                    {"MSFT", "Microsoft Corporation"}});
  }
  WatchlistModel* watchlist() { return &watchlist_; }
  PortfolioModel* portfolio() { return &portfolio_; }
  FeedClient* feed() { return &feed_; }
  SymbolSearch* search() { return &search_; }
  QuoteBook* quotes() { return &book_; }
  IntradayBars* intraday() { return &intraday_; }

  Q_INVOKABLE void applyQuote(const QString& symbol, double last, double change) {
    tickwire::Quote q;
    q.symbol = symbol.toStdString();
    q.seq = ++seq_;
    q.ts = QDateTime::currentMSecsSinceEpoch() * 1000;
    q.last = last;
    q.change = change;
    q.prev_close = last - change;
    q.change_pct = 100 * change / q.prev_close;
    q.bid = last - 0.01;
    q.ask = last + 0.01;
    q.low = last - 1;
    q.high = last + 1;
    q.volume = 2'500'000;
    book_.apply(q);
  }
  Q_INVOKABLE void setFeedLive(bool live) { watchlist_.setFeedLive(live); }
  Q_INVOKABLE void setOutsideRegularHours(bool outside, const QString& session) {
    watchlist_.setOutsideRegularHours(outside, session, QDate(2026, 12, 3));
  }
  // A remote server whose CA file in the settings does not exist: the feed stops at once as
  // "untrusted", with the reason, and without a network.
  Q_INVOKABLE void useMissingCaFile() {
    feed_.setServer(ServerAccess(QUrl(QStringLiteral("https://tickwire.example:8443")),
                                 dir_.filePath(QStringLiteral("missing-ca.pem"))));
  }

 private:
  QTemporaryDir dir_;
  SettingsStore store_;
  QuoteBook book_;
  WatchlistModel watchlist_;
  PortfolioModel portfolio_;
  FeedClient feed_;
  SymbolSearch search_;
  IntradayBars intraday_;  // no server: it folds in the quotes applied here
  std::uint64_t seq_ = 0;
};

class Setup : public QObject {
  Q_OBJECT
 public Q_SLOTS:
  void qmlEngineAvailable(QQmlEngine* engine) {
    engine->addImportPath(QStringLiteral("qrc:/"));
    qmlRegisterSingletonInstance("Tickwire.Testing", 1, 0, "Fixtures", &fixtures_);
  }

 private:
  Fixtures fixtures_;
};

QUICK_TEST_MAIN_WITH_SETUP(tickwire_views, Setup)
#include "qml_test_main.moc"
