#include "symbol_search.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

#include "tickwire/symbol.hpp"

namespace tickwire::desktop {

SymbolSearch::SymbolSearch(QuoteBook& book, QObject* parent) : QObject(parent), book_(book) {
  reload_.setSingleShot(true);
  connect(&reload_, &QTimer::timeout, this, &SymbolSearch::loadNames);
}

void SymbolSearch::setServer(const ServerAccess& server) {
  if (server.trust() != server_.trust()) nam_.clearConnectionCache();  // see ServerAccess::trust
  server_ = server;
  reload_.stop();
  backoff_.reset();
  if (loading_) loading_->abort();  // for the previous server: its answer is not wanted
  loadNames();
}

void SymbolSearch::loadNames() {
  if (!server_.isValid()) return;
  auto* reply = nam_.get(server_.request(QStringLiteral("/v1/symbols")));
  loading_ = reply;
  connect(reply, &QNetworkReply::finished, this, [this, reply] {
    reply->deleteLater();
    if (reply != loading_) return;
    loading_ = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError) {
      // Refused (401, 403, an untrusted certificate): trying again cannot help until the
      // settings change, and the feed client tells the user why.
      if (status == 401 || status == 403 ||
          reply->error() == QNetworkReply::SslHandshakeFailedError ||
          reply->error() == QNetworkReply::OperationCanceledError) {
        return;
      }
      // The backend may still be loading its directory (503), or be down: try again.
      reload_.start(backoff_.next_ms());
      return;
    }
    const auto list = QJsonDocument::fromJson(reply->readAll()).object().value("symbols").toArray();
    QHash<QString, QString> names;
    names.reserve(list.size());
    for (const auto& v : list) {
      names.insert(v.toObject().value("symbol").toString(), v.toObject().value("name").toString());
    }
    book_.setNames(std::move(names));
  });
}

QString SymbolSearch::problemWith(const QString& text) const {
  const QString symbol = text.trimmed().toUpper();
  if (symbol.isEmpty()) return tr("Type a symbol, or part of a company name");
  if (!is_valid_symbol(symbol.toStdString())) {
    return tr("\"%1\" is not a symbol: a letter, then letters, digits, '.' or '-' (12 at most)").arg(symbol);
  }
  if (book_.hasNames() && !book_.isListed(symbol)) {
    return tr("%1 is not listed by the server; pick a suggestion").arg(symbol);
  }
  return {};
}

void SymbolSearch::search(const QString& text) {
  if (pending_) pending_->abort();
  if (text.trimmed().isEmpty()) {
    results_.clear();
    Q_EMIT resultsChanged();
    return;
  }
  pending_ = nam_.get(server_.request(QStringLiteral("/v1/symbols"),
                                      QUrlQuery{{"q", text.trimmed()}, {"limit", "8"}}));
  auto* reply = pending_.data();
  connect(reply, &QNetworkReply::finished, this, [this, reply] {
    reply->deleteLater();
    if (reply->error() != QNetworkReply::NoError) return;
    results_.clear();
    const auto list = QJsonDocument::fromJson(reply->readAll()).object().value("symbols").toArray();
    for (const auto& v : list) results_.append(v.toObject().toVariantMap());
    Q_EMIT resultsChanged();
  });
}

}  // namespace tickwire::desktop
