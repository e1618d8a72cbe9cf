#include "server_access.hpp"

#include <QFileInfo>
#include <QSslCertificate>
#include <QWebSocket>

namespace tickwire::desktop {

ServerAccess::ServerAccess(const QUrl& base, const QString& caFile, const QString& token,
                           const QString& adminToken)
    : base_(base),
      ssl_(sslConfiguration(caFile, &caProblem_)),
      token_(token.trimmed()),
      adminToken_(adminToken.trimmed()) {}

QSslConfiguration ServerAccess::sslConfiguration(const QString& caFile, QString* problem) {
  QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
  // The default already verifies peers; said again so that no later change can turn it off.
  ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
  if (caFile.isEmpty()) return ssl;
  const QFileInfo info(caFile);
  if (!info.isFile() || !info.isReadable()) {
    if (problem) *problem = QObject::tr("the CA file %1 cannot be read").arg(caFile);
    return ssl;
  }
  const auto extra = QSslCertificate::fromPath(caFile, QSsl::Pem);
  if (extra.isEmpty()) {
    if (problem) *problem = QObject::tr("the CA file %1 holds no PEM certificate").arg(caFile);
    return ssl;
  }
  auto cas = ssl.caCertificates();
  cas += extra;
  ssl.setCaCertificates(cas);
  return ssl;
}

QNetworkRequest ServerAccess::request(const QString& path, const QUrlQuery& query,
                                      Credential credential) const {
  QUrl url = base_;
  url.setPath(base_.path() + path);
  if (!query.isEmpty()) url.setQuery(query);
  QNetworkRequest req(url);
  if (secure()) req.setSslConfiguration(ssl_);
  authorize(req, credential);
  return req;
}

QNetworkRequest ServerAccess::webSocketRequest(const QString& path) const {
  QUrl url = base_;
  url.setScheme(secure() ? QStringLiteral("wss") : QStringLiteral("ws"));
  url.setPath(base_.path() + path);
  QNetworkRequest req(url);
  authorize(req, Credential::Client);
  return req;
}

void ServerAccess::prepare(QWebSocket& socket) const {
  if (secure()) socket.setSslConfiguration(ssl_);
}

void ServerAccess::authorize(QNetworkRequest& req, Credential c) const {
  if (hasToken(c)) req.setRawHeader("Authorization", "Bearer " + token(c).toUtf8());
}

}  // namespace tickwire::desktop
