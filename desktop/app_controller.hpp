// Owns the app's state and wires it: settings, secrets, the quote book, the feed, the models,
// and the backend: bundled in-process by default, following the data source of the settings
// (the exchange simulator, or Alpaca or Finnhub with the keys of the SecretStore), or a remote
// frontend over http or https, with the CA file and tokens of the settings. QML gets it as the
// root's required `app` property and reads everything through it.
#pragma once

#include <QObject>
#include <QStringList>
#include <QTimer>
#include <functional>
#include <QUrl>
#include <QtQml/qqmlregistration.h>
#include <memory>

#include "alert_book.hpp"
#include "embedded_backend.hpp"
#include "feed_client.hpp"
#include "operator_model.hpp"
#include "portfolio_model.hpp"
#include "quote_book.hpp"
#include "notifier.hpp"
#include "secret_store.hpp"
#include "server_access.hpp"
#include "settings_store.hpp"
#include "intraday_bars.hpp"
#include "symbol_search.hpp"
#include "tray.hpp"
#include "watchlist_model.hpp"

namespace tickwire::desktop {

class AppController : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
  Q_PROPERTY(tickwire::desktop::FeedClient* feed READ feed CONSTANT)
  Q_PROPERTY(tickwire::desktop::WatchlistModel* watchlist READ watchlist CONSTANT)
  Q_PROPERTY(tickwire::desktop::PortfolioModel* portfolio READ portfolio CONSTANT)
  Q_PROPERTY(tickwire::desktop::OperatorModel* operatorView READ operatorView CONSTANT)
  Q_PROPERTY(tickwire::desktop::SettingsStore* settings READ settings CONSTANT)
  Q_PROPERTY(tickwire::desktop::SymbolSearch* search READ search CONSTANT)
  Q_PROPERTY(tickwire::desktop::IntradayBars* intraday READ intraday CONSTANT)
  Q_PROPERTY(tickwire::desktop::SecretStore* secrets READ secrets CONSTANT)
  Q_PROPERTY(tickwire::desktop::AlertBook* alerts READ alerts CONSTANT)
  // The quotes and their history, for items that draw straight from it (HistoryLine).
  Q_PROPERTY(tickwire::desktop::QuoteBook* quotes READ quotes CONSTANT)
  Q_PROPERTY(tickwire::desktop::Notifier* notifier READ notifier CONSTANT)
  Q_PROPERTY(tickwire::desktop::Tray* tray READ tray CONSTANT)
  Q_PROPERTY(int page READ page WRITE setPage NOTIFY pageChanged)
  // Where quotes come from, for the badge: "simulator", "Alpaca (iex)", "Finnhub" or "remote".
  Q_PROPERTY(QString backendMode READ backendMode NOTIFY serverChanged)
  // Why the chosen data source could not start (a missing key, ...); empty when it runs.
  Q_PROPERTY(QString sourceError READ sourceError NOTIFY serverChanged)
  // Which providers have keys stored (never the keys): "alpaca", "finnhub".
  Q_PROPERTY(QStringList storedKeys READ storedKeys NOTIFY storedKeysChanged)
  Q_PROPERTY(bool alpacaKeysStored READ alpacaKeysStored NOTIFY storedKeysChanged)
  Q_PROPERTY(bool finnhubKeyStored READ finnhubKeyStored NOTIFY storedKeysChanged)
  // A real provider outside US market hours: no quotes come, and none is stale for it.
  Q_PROPERTY(bool marketClosed READ marketClosed NOTIFY marketChanged)
  // The US market's session now, for the header: "Pre-market · until 9:30 ET", "Market open ·
  // until 16:00 ET", "After hours · until 20:00 ET" or "Market closed" (MarketHours).
  Q_PROPERTY(QString marketSession READ marketSession NOTIFY marketChanged)

 public:
  // `remote` set: use that frontend (with the settings' CA file and tokens) and bundle nothing;
  // otherwise the settings decide.
  AppController(const QString& settingsPath, const QUrl& remote, QObject* parent = nullptr);
  ~AppController() override;

  FeedClient* feed() { return &feed_; }
  WatchlistModel* watchlist() { return &watchlist_; }
  PortfolioModel* portfolio() { return &portfolio_; }
  OperatorModel* operatorView() { return &operator_; }
  AlertBook* alerts() { return &alerts_; }
  QuoteBook* quotes() { return &book_; }
  Notifier* notifier() { return &notifier_; }
  SettingsStore* settings() { return &settings_; }
  SymbolSearch* search() { return &search_; }
  IntradayBars* intraday() { return &intraday_; }
  Tray* tray() { return &tray_; }
  // The wall clock the market's sessions are read on; null: the system's. (The e2e driver sets
  // another to show the market closed by day.)
  void setClock(std::function<QDateTime()> clock);
  SecretStore* secrets() { return &secrets_; }
  QuoteBook& book() { return book_; }
  int page() const { return page_; }
  void setPage(int p);
  QString backendMode() const { return mode_; }
  QString sourceError() const { return sourceError_; }
  QStringList storedKeys() const { return storedKeys_; }
  bool alpacaKeysStored() const { return storedKeys_.contains(QStringLiteral("alpaca")); }
  bool finnhubKeyStored() const { return storedKeys_.contains(QStringLiteral("finnhub")); }
  bool marketClosed() const { return marketClosed_; }
  QString marketSession() const { return marketSession_; }

  // Applies the data source of the settings: the bundled backend with the simulator or a
  // provider (its keys read from the SecretStore first), or the remote URL with its CA file and
  // tokens. Every client starts over, so a refused token or certificate is retried.
  Q_INVOKABLE void applyServerSettings();
  // Reads a CSV file (CsvImport: Yahoo Finance's portfolio export, Tickwire's exports, or a
  // list of symbols) into the app: watched symbols into new lists, lots into the portfolio;
  // nothing already there is replaced. Symbols the server does not list are skipped. Returns
  // {ok, summary, problems: ["line 4: ...", ...]}.
  Q_INVOKABLE QVariantMap importCsv(const QUrl& file);
  // Writes "watchlists" (List,Symbol,Name) or "positions" (Symbol,Quantity,Cost,Date, one row
  // per lot) to `file`. Returns {ok, summary}.
  Q_INVOKABLE QVariantMap exportCsv(const QUrl& file, const QString& what);
  // Stores a bundled data source and its keys (an empty key keeps the stored one), then applies
  // it. `kind`: simulator, alpaca or finnhub; `alpacaFeed`: iex, sip, delayed_sip or test.
  Q_INVOKABLE void applyDataSource(const QString& kind, const QString& alpacaFeed,
                                   const QString& alpacaKeyId, const QString& alpacaSecret,
                                   const QString& finnhubToken);
  // Removes a provider's stored keys ("alpaca" or "finnhub").
  Q_INVOKABLE void forgetKeys(const QString& provider);

 Q_SIGNALS:
  void pageChanged();
  void serverChanged();
  void storedKeysChanged();
  void marketChanged();

 private:
  void connectTo(const ServerAccess& server, const QString& mode);
  ServerAccess remoteAccess(const QUrl& base) const;
  void updateSymbols();
  // Starts the bundled backend on `source`, or says why it cannot run.
  void startBundled(const DataSource& source);
  void refreshStoredKeys();
  void updateMarket();

  SettingsStore settings_;
  SecretStore secrets_;
  QuoteBook book_;
  FeedClient feed_;
  WatchlistModel watchlist_;
  PortfolioModel portfolio_;
  OperatorModel operator_;
  SymbolSearch search_;
  IntradayBars intraday_;
  AlertBook alerts_;
  Notifier notifier_;
  Tray tray_;
  std::unique_ptr<EmbeddedBackend> embedded_;
  int page_ = 0;
  QString mode_;
  QString sourceError_;
  QStringList storedKeys_;
  bool marketClosed_ = false;
  QString marketSession_;
  QTimer marketTimer_;
  std::function<QDateTime()> clock_;
  int applying_ = 0;  // counts applies: keys read for an older one are dropped
};

}  // namespace tickwire::desktop
