// Owns the app's state and wires it: settings, the quote book, the feed, the models, and the
// backend (bundled in-process by default, or a remote frontend over http or https, with the
// CA file and tokens of the settings). QML gets it as the root's required `app` property and
// reads everything through it.
#pragma once

#include <QObject>
#include <QUrl>
#include <QtQml/qqmlregistration.h>
#include <memory>

#include "embedded_backend.hpp"
#include "feed_client.hpp"
#include "operator_model.hpp"
#include "portfolio_model.hpp"
#include "quote_book.hpp"
#include "server_access.hpp"
#include "settings_store.hpp"
#include "symbol_search.hpp"
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
  Q_PROPERTY(int page READ page WRITE setPage NOTIFY pageChanged)
  Q_PROPERTY(QString backendMode READ backendMode NOTIFY serverChanged)

 public:
  // `remote` set: use that frontend (with the settings' CA file and tokens) and bundle nothing;
  // otherwise the settings decide.
  AppController(const QString& settingsPath, const QUrl& remote, QObject* parent = nullptr);
  ~AppController() override;

  FeedClient* feed() { return &feed_; }
  WatchlistModel* watchlist() { return &watchlist_; }
  PortfolioModel* portfolio() { return &portfolio_; }
  OperatorModel* operatorView() { return &operator_; }
  SettingsStore* settings() { return &settings_; }
  SymbolSearch* search() { return &search_; }
  QuoteBook& book() { return book_; }
  int page() const { return page_; }
  void setPage(int p);
  QString backendMode() const { return embedded_ ? tr("bundled") : tr("remote"); }

  // Applies the server choice in the settings (bundled backend, or the remote URL with its CA
  // file and tokens); every client starts over, so a refused token or certificate is retried.
  Q_INVOKABLE void applyServerSettings();

 Q_SIGNALS:
  void pageChanged();
  void serverChanged();

 private:
  void connectTo(const ServerAccess& server);
  ServerAccess remoteAccess(const QUrl& base) const;
  void updateSymbols();

  SettingsStore settings_;
  QuoteBook book_;
  FeedClient feed_;
  WatchlistModel watchlist_;
  PortfolioModel portfolio_;
  OperatorModel operator_;
  SymbolSearch search_;
  std::unique_ptr<EmbeddedBackend> embedded_;
  int page_ = 0;
};

}  // namespace tickwire::desktop
