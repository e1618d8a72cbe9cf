#include "symbol_search.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

namespace tickwire::desktop {

SymbolSearch::SymbolSearch(QuoteBook& book, QObject* parent) : QObject(parent), book_(book) {}

void SymbolSearch::setServer(const QUrl& base) {
  base_ = base;
  loadNames();
}

void SymbolSearch::loadNames() {
  QUrl url = base_;
  url.setPath(base_.path() + QStringLiteral("/v1/symbols"));
  auto* reply = nam_.get(QNetworkRequest(url));
  connect(reply, &QNetworkReply::finished, this, [this, reply] {
    reply->deleteLater();
    if (reply->error() != QNetworkReply::NoError) {
      // The backend may still be loading its directory (503): try again shortly.
      QTimer::singleShot(250, this, &SymbolSearch::loadNames);
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

void SymbolSearch::search(const QString& text) {
  if (pending_) pending_->abort();
  if (text.trimmed().isEmpty()) {
    results_.clear();
    Q_EMIT resultsChanged();
    return;
  }
  QUrl url = base_;
  url.setPath(base_.path() + QStringLiteral("/v1/symbols"));
  url.setQuery(QUrlQuery{{"q", text.trimmed()}, {"limit", "8"}});
  pending_ = nam_.get(QNetworkRequest(url));
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
