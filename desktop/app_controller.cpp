#include "app_controller.hpp"

#include <QDateTime>
#include <QFileInfo>
#include <stdexcept>

#include "market_hours.hpp"

namespace tickwire::desktop {

namespace {
const QString kAlpacaKeyId = QStringLiteral("alpaca/keyId");
const QString kAlpacaSecret = QStringLiteral("alpaca/secretKey");
const QString kFinnhubToken = QStringLiteral("finnhub/token");

// Beside the settings file: the keys' file where no keyring service runs.
QString secretsFileFor(const SettingsStore& settings) {
  return QFileInfo(settings.fileName()).absolutePath() + QStringLiteral("/secrets.ini");
}
}  // namespace

AppController::AppController(const QString& settingsPath, const QUrl& remote, QObject* parent)
    : QObject(parent),
      settings_(settingsPath),
      secrets_(secretsFileFor(settings_)),
      feed_(book_),
      watchlist_(book_, settings_),
      portfolio_(book_, settings_),
      search_(book_),
      alerts_(book_, settings_) {
  connect(&watchlist_, &WatchlistModel::symbolsChanged, this, &AppController::updateSymbols);
  connect(&alerts_, &AlertBook::symbolsChanged, this, &AppController::updateSymbols);
  connect(&alerts_, &AlertBook::fired, this,
          [this](const QString&, const QString& title, const QString& body) {
            notifier_.notify(title, body);
          });
  connect(&portfolio_, &PortfolioModel::symbolsChanged, this, &AppController::updateSymbols);
  connect(&feed_, &FeedClient::statusChanged, this,
          [this] { watchlist_.setFeedLive(feed_.state() == QLatin1String("connected")); });
  updateSymbols();
  marketTimer_.setInterval(30'000);
  connect(&marketTimer_, &QTimer::timeout, this, &AppController::updateMarket);
  marketTimer_.start();
  refreshStoredKeys();
  if (remote.isValid()) {
    connectTo(remoteAccess(remote), tr("remote"));
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
  const int apply = ++applying_;
  const QString kind = settings_.dataSource();
  const QUrl remote(settings_.remoteUrl());
  const bool web = remote.scheme() == QLatin1String("http") ||
                   remote.scheme() == QLatin1String("https");
  if (kind == QLatin1String("remote") && remote.isValid() && web && !remote.host().isEmpty()) {
    embedded_.reset();
    sourceError_.clear();
    connectTo(remoteAccess(remote), tr("remote"));
    return;
  }
  DataSource source;
  if (kind == QLatin1String("alpaca")) {
    source.kind = DataSource::Kind::alpaca;
    source.alpacaFeed = settings_.alpacaFeed();
  } else if (kind == QLatin1String("finnhub")) {
    source.kind = DataSource::Kind::finnhub;
  } else {
    return startBundled(source);  // the simulator (also for a remote choice without a URL)
  }
  // The keys come from the keyring, which may first ask the user to unlock it.
  secrets_.read({kAlpacaKeyId, kAlpacaSecret, kFinnhubToken},
                [this, apply, source](const SecretStore::Values& keys) mutable {
                  if (apply != applying_) return;  // another choice was applied meanwhile
                  source.alpacaKeyId = keys.value(kAlpacaKeyId);
                  source.alpacaSecret = keys.value(kAlpacaSecret);
                  source.finnhubToken = keys.value(kFinnhubToken);
                  startBundled(source);
                });
}

void AppController::startBundled(const DataSource& source) {
  if (embedded_ && source.kind == DataSource::Kind::simulator &&
      embedded_->source().kind == DataSource::Kind::simulator) {
    sourceError_.clear();
    return connectTo(ServerAccess(embedded_->url()), source.label());
  }
  embedded_.reset();  // one backend at a time: a provider allows one connection per account
  try {
    embedded_ = std::make_unique<EmbeddedBackend>(source);
  } catch (const std::exception& e) {
    // Never a silent fall back to simulated prices: the user chose real ones.
    sourceError_ = QString::fromStdString(e.what());
    qWarning("data source %s cannot start: %s", qPrintable(source.label()), e.what());
    return connectTo(ServerAccess(QUrl()), source.label());
  }
  sourceError_.clear();
  // In-process on loopback: plain HTTP, and no token to present.
  connectTo(ServerAccess(embedded_->url()), source.label());
}

void AppController::applyDataSource(const QString& kind, const QString& alpacaFeed,
                                    const QString& alpacaKeyId, const QString& alpacaSecret,
                                    const QString& finnhubToken) {
  settings_.setDataSource(kind);
  if (!alpacaFeed.isEmpty()) settings_.setAlpacaFeed(alpacaFeed);
  SecretStore::Values keys;
  if (!alpacaKeyId.trimmed().isEmpty()) keys.insert(kAlpacaKeyId, alpacaKeyId.trimmed());
  if (!alpacaSecret.trimmed().isEmpty()) keys.insert(kAlpacaSecret, alpacaSecret.trimmed());
  if (!finnhubToken.trimmed().isEmpty()) keys.insert(kFinnhubToken, finnhubToken.trimmed());
  secrets_.write(keys, [this](bool ok) {
    refreshStoredKeys();
    applyServerSettings();
    if (!ok) {
      sourceError_ = tr("the keys could not be stored in %1").arg(secrets_.location());
      Q_EMIT serverChanged();
    }
  });
}

void AppController::forgetKeys(const QString& provider) {
  SecretStore::Values keys;
  if (provider == QLatin1String("alpaca")) {
    keys = {{kAlpacaKeyId, QString()}, {kAlpacaSecret, QString()}};
  } else if (provider == QLatin1String("finnhub")) {
    keys = {{kFinnhubToken, QString()}};
  }
  secrets_.write(keys, [this](bool) { refreshStoredKeys(); });
}

void AppController::refreshStoredKeys() {
  secrets_.read({kAlpacaKeyId, kAlpacaSecret, kFinnhubToken},
                [this](const SecretStore::Values& keys) {
                  QStringList stored;
                  if (!keys.value(kAlpacaKeyId).isEmpty() &&
                      !keys.value(kAlpacaSecret).isEmpty()) {
                    stored << QStringLiteral("alpaca");
                  }
                  if (!keys.value(kFinnhubToken).isEmpty()) stored << QStringLiteral("finnhub");
                  if (stored == storedKeys_) return;
                  storedKeys_ = stored;
                  Q_EMIT storedKeysChanged();
                });
}

void AppController::updateMarket() {
  // Only a real provider follows the market's hours: the simulator trades around the clock,
  // and a remote server says itself whether its quotes are live.
  const bool provider = embedded_ && embedded_->source().kind != DataSource::Kind::simulator;
  const QDateTime now = QDateTime::currentDateTimeUtc();
  const auto session = MarketHours::session(now);
  const bool closed = provider && session != MarketHours::Session::Regular;
  watchlist_.setMarketClosed(closed);
  QString text = MarketHours::sessionName(session);
  if (const QTime end = MarketHours::sessionEnd(now); end.isValid()) {
    text += tr(" · until %1 ET").arg(end.toString(QStringLiteral("H:mm")));
  }
  if (closed == marketClosed_ && text == marketSession_) return;
  marketClosed_ = closed;
  marketSession_ = text;
  Q_EMIT marketChanged();
}

ServerAccess AppController::remoteAccess(const QUrl& base) const {
  return ServerAccess(base, settings_.caFile(), settings_.token(), settings_.adminToken());
}

void AppController::connectTo(const ServerAccess& server, const QString& mode) {
  // Another source, or another server: its quotes are not comparable with what was shown.
  if (server.base().toString() != feed_.server() || mode != mode_) book_.clear();
  mode_ = mode;
  feed_.setServer(server);
  operator_.setServer(server);
  search_.setServer(server);
  updateMarket();
  Q_EMIT serverChanged();
}

void AppController::updateSymbols() {
  // What is on screen: the current watchlist, plus the portfolio's holdings, plus every alerted
  // symbol (alerts fire whatever is shown).
  QStringList wanted = watchlist_.symbols();
  wanted += portfolio_.symbols();
  wanted += alerts_.symbols();
  feed_.setSymbols(wanted);
}

}  // namespace tickwire::desktop
