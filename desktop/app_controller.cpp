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
    connectTo(remote);
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
  if (settings_.useRemote() && remote.isValid() && remote.scheme() == QLatin1String("http")) {
    embedded_.reset();
    connectTo(remote);
    return;
  }
  if (!embedded_) embedded_ = std::make_unique<EmbeddedBackend>();
  connectTo(embedded_->url());
}

void AppController::connectTo(const QUrl& base) {
  feed_.setServer(base);
  operator_.setServer(base);
  search_.setServer(base);
  Q_EMIT serverChanged();
}

void AppController::updateSymbols() {
  // What is on screen: the current watchlist, plus the portfolio's holdings.
  QStringList wanted = watchlist_.symbols();
  wanted += portfolio_.symbols();
  feed_.setSymbols(wanted);
}

}  // namespace tickwire::desktop
