// How the app reaches one frontend: its base URL (http:// or https://), whom it trusts for TLS
// (the system's CA store plus an optional PEM bundle for a private CA, peer verification always
// on) and the bearer tokens it presents (the client token, and the admin token for
// /v1/admin/*). Every request to the frontend is built here, so none can forget the trust or
// the token. Tokens go only into the Authorization header, never into a URL, which a log,
// a proxy or an error message could show.
#pragma once

#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

class QWebSocket;

namespace tickwire::desktop {

class ServerAccess {
 public:
  enum class Credential { Client, Admin };

  ServerAccess() = default;
  // `caFile` empty: the system's CA store alone. A CA file that holds no PEM certificate is
  // reported by caProblem() and trusts nothing extra.
  explicit ServerAccess(const QUrl& base, const QString& caFile = {}, const QString& token = {},
                        const QString& adminToken = {});

  QUrl base() const { return base_; }
  bool isValid() const { return base_.isValid() && !base_.host().isEmpty(); }
  bool secure() const { return base_.scheme() == QLatin1String("https"); }
  // Why the CA file cannot be used (missing, unreadable, no certificate in it); empty if fine.
  QString caProblem() const { return caProblem_; }
  bool hasToken(Credential c = Credential::Client) const { return !token(c).isEmpty(); }
  // The TLS configuration every request gets. QNetworkAccessManager keeps a host's connection
  // object, made with the configuration of its first request, for a while after its last use;
  // a caller whose trust changes (a CA file added in Settings) must clear that cache, or the
  // next request is verified against the old trust.
  const QSslConfiguration& trust() const { return ssl_; }

  // base + path (+ query), with the TLS configuration and the bearer token.
  QNetworkRequest request(const QString& path, const QUrlQuery& query = {},
                          Credential credential = Credential::Client) const;
  // The same for a WebSocket: ws:// or wss:// by the base's scheme. QWebSocket::open takes the
  // headers from the request; its TLS configuration is set on the socket by prepare().
  QNetworkRequest webSocketRequest(const QString& path) const;
  void prepare(QWebSocket& socket) const;

  // The system store plus the certificates of `caFile`, peer verification on. `problem` gets
  // why the file cannot be used.
  static QSslConfiguration sslConfiguration(const QString& caFile, QString* problem);

 private:
  const QString& token(Credential c) const { return c == Credential::Admin ? adminToken_ : token_; }
  void authorize(QNetworkRequest& req, Credential c) const;

  QUrl base_;
  QString caProblem_;  // before ssl_: the constructor fills both in one call
  QSslConfiguration ssl_;
  QString token_;
  QString adminToken_;
};

}  // namespace tickwire::desktop
