#include "app_controller.hpp"

namespace tickwire::desktop {

AppController::AppController(const QString& settingsPath, const QUrl& remote, QObject* parent)
    : QObject(parent),
      settings_(settingsPath),
      feed_(book_),
      watchlist_(book_, settings_),
      portfolio_(book_, settings_),
      search_(book_) {
  connect(&watchlist_, &WatchlistModel::symbolsChanged, this, &AppController::updateSymbols);
  connect(&portfolio_, &PortfolioModel::symbolsChanged, this, &AppController::updateSymbols);
  connect(&feed_, &FeedClient::statusChanged, this,
          [this] { watchlist_.setFeedLive(feed_.state() == QLatin1String("connected")); });
  updateSymbols();
  if (remote.isValid()) {
    connectTo(remoteAccess(remote));
  } else {
    applyServerSettings();
  }
}

AppController::~AppController() = default;

void AppController::setPage(int p) {
  if (p == page_) return;
  page_ = p;
  Q_EMIT pageChanged();
}

void AppController::applyServerSettings() {
  const QUrl remote(settings_.remoteUrl());
  const bool web = remote.scheme() == QLatin1String("http") ||
                   remote.scheme() == QLatin1String("https");
  if (settings_.useRemote() && remote.isValid() && web && !remote.host().isEmpty()) {
    embedded_.reset();
    connectTo(remoteAccess(remote));
    return;
  }
  if (!embedded_) embedded_ = std::make_unique<EmbeddedBackend>();
  // In-process on loopback: plain HTTP, and no token to present.
  connectTo(ServerAccess(embedded_->url()));
}

ServerAccess AppController::remoteAccess(const QUrl& base) const {
  return ServerAccess(base, settings_.caFile(), settings_.token(), settings_.adminToken());
}

void AppController::connectTo(const ServerAccess& server) {
  feed_.setServer(server);
  operator_.setServer(server);
  search_.setServer(server);
  Q_EMIT serverChanged();
}

void AppController::updateSymbols() {
  // What is on screen: the current watchlist, plus the portfolio's holdings.
  QStringList wanted = watchlist_.symbols();
  wanted += portfolio_.symbols();
  feed_.setSymbols(wanted);
}

}  // namespace tickwire::desktop
