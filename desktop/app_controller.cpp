#include "app_controller.hpp"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSet>
#include <stdexcept>

#include "csv_import.hpp"
#include "csv_table.hpp"
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
      intraday_(book_),
      alerts_(book_, settings_) {
  connect(&watchlist_, &WatchlistModel::symbolsChanged, this, &AppController::updateSymbols);
  connect(&alerts_, &AlertBook::symbolsChanged, this, &AppController::updateSymbols);
  connect(&alerts_, &AlertBook::fired, this,
          [this](const QString&, const QString& title, const QString& body) {
            notifier_.setSound(settings_.alertSound());
            notifier_.notify(title, body);
          });
  notifier_.setTrayFallback(
      [this](const QString& title, const QString& body) { return tray_.showMessage(title, body); });
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

void AppController::setClock(std::function<QDateTime()> clock) {
  clock_ = std::move(clock);
  updateMarket();
}

void AppController::updateMarket() {
  // Only a real provider follows the market's hours: the simulator trades around the clock,
  // and a remote server says itself whether its quotes are live.
  const bool provider = embedded_ && embedded_->source().kind != DataSource::Kind::simulator;
  const QDateTime now = clock_ ? clock_() : QDateTime::currentDateTimeUtc();
  const auto session = MarketHours::session(now);
  const bool closed = provider && session != MarketHours::Session::Regular;
  watchlist_.setMarketClosed(closed);
  watchlist_.setOutsideRegularHours(
      session != MarketHours::Session::Regular,
      // Short: it labels the change in a narrow column.
      session == MarketHours::Session::PreMarket    ? tr("Pre")
      : session == MarketHours::Session::AfterHours ? tr("After")
                                                    : tr("Ext."),
      MarketHours::lastClosedSession(now));
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
  intraday_.setServer(server);
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

namespace {
// A list name not taken yet: `name`, else "name (2)", "name (3)", ...
QString freeListName(const QStringList& taken, const QString& name) {
  if (!taken.contains(name)) return name;
  for (int n = 2;; ++n) {
    const QString candidate = QStringLiteral("%1 (%2)").arg(name).arg(n);
    if (!taken.contains(candidate)) return candidate;
  }
}
}  // namespace

QVariantMap AppController::importCsv(const QUrl& url) {
  const QString path = url.isLocalFile() ? url.toLocalFile() : url.toString();
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    return {{"ok", false}, {"summary", tr("Cannot read %1: %2").arg(path, file.errorString())}};
  }
  const auto in = CsvImport::read(file.read(CsvTable::kMaxBytes + 1));
  if (!in.error.isEmpty()) {
    return {{"ok", false}, {"summary", tr("Nothing imported from %1: %2").arg(path, in.error)}};
  }
  QStringList problems = in.problems;
  const auto listed = [&](int line, const QString& symbol) {
    if (!book_.hasNames() || book_.isListed(symbol)) return true;
    problems.append(tr("line %1: %2 is not listed by the server").arg(line).arg(symbol));
    return false;
  };
  // Watched symbols: into new lists (named by the file, or as the file names them).
  const QString base = tr("Imported from %1").arg(QFileInfo(path).completeBaseName());
  QStringList order;  // lists in the file's order
  QHash<QString, QStringList> byList;
  for (const auto& s : in.symbols) {
    if (!listed(s.line, s.symbol)) continue;
    const QString list = s.list.isEmpty() ? base : s.list;
    if (!byList.contains(list)) order.append(list);
    if (!byList[list].contains(s.symbol)) byList[list].append(s.symbol);
  }
  int symbols = 0;
  for (const auto& list : order) {
    watchlist_.addList(freeListName(watchlist_.listNames(), list));
    for (const auto& s : byList[list]) symbols += watchlist_.addSymbol(s) ? 1 : 0;
  }
  int lots = 0;
  QSet<QString> positions;
  for (const auto& l : in.lots) {
    if (!listed(l.line, l.symbol)) continue;
    if (portfolio_.addLot(l.symbol, l.quantity, l.cost, l.date)) {
      ++lots;
      positions.insert(l.symbol);
    }
  }
  QString summary = tr("Imported from %1 (%2): %3 symbol(s) in %4 new list(s), %5 lot(s) of %6 "
                       "position(s)")
                        .arg(QFileInfo(path).fileName(), CsvImport::formatName(in.format))
                        .arg(symbols)
                        .arg(order.size())
                        .arg(lots)
                        .arg(positions.size());
  if (!problems.isEmpty()) summary += tr("; %1 line(s) skipped").arg(problems.size());
  if (!order.isEmpty()) setPage(0);
  return {{"ok", symbols + lots > 0}, {"summary", summary}, {"problems", problems}};
}

QVariantMap AppController::exportCsv(const QUrl& url, const QString& what) {
  const QString path = url.isLocalFile() ? url.toLocalFile() : url.toString();
  QStringList lines;
  int rows = 0;
  if (what == QLatin1String("watchlists")) {
    lines << QStringLiteral("List,Symbol,Name");
    for (const auto& [name, symbols] : watchlist_.lists()) {
      for (const auto& s : symbols) {
        lines << QStringList{CsvTable::quote(name), s, CsvTable::quote(book_.name(s))}.join(u',');
        ++rows;
      }
    }
  } else if (what == QLatin1String("positions")) {
    lines << QStringLiteral("Symbol,Quantity,Cost,Date");
    for (const auto& [symbol, lot] : portfolio_.lots()) {
      lines << QStringLiteral("%1,%2,%3,%4")
                   .arg(symbol, QString::number(lot.quantity, 'g', 15),
                        QString::number(lot.cost, 'g', 15),
                        lot.date.isValid() ? lot.date.toString(Qt::ISODate) : QString());
      ++rows;
    }
  } else {
    return {{"ok", false}, {"summary", tr("Nothing to export as \"%1\"").arg(what)}};
  }
  QSaveFile file(path);  // all or nothing: a failed write leaves an earlier file as it was
  if (!file.open(QIODevice::WriteOnly) || file.write((lines.join(u'\n') + u'\n').toUtf8()) < 0 ||
      !file.commit()) {
    return {{"ok", false}, {"summary", tr("Cannot write %1: %2").arg(path, file.errorString())}};
  }
  return {{"ok", true}, {"summary", tr("Exported %1 row(s) to %2").arg(rows).arg(path)}};
}

}  // namespace tickwire::desktop
