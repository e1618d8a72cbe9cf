#include "access_problem.hpp"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tickwire::desktop {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("AccessProblem", text); }

AccessProblem make(AccessProblem::Kind kind, QString message, QStringList symbols = {}) {
  return AccessProblem{kind, std::move(message), std::move(symbols)};
}

// The server's "detail", bounded: it is shown in a one-line badge.
QString detailOf(const QJsonObject& error) {
  QString detail = error.value(QLatin1String("detail")).toString().simplified();
  if (detail.size() > 160) detail = detail.left(160) + QChar(0x2026);
  return detail;
}

AccessProblem fromErrorObject(const QJsonObject& error, int status) {
  const QString code = error.value(QLatin1String("error")).toString();
  if (code.isEmpty()) return {};  // not the frontend's error body
  const QString detail = detailOf(error);
  const QString because = detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(detail);
  using K = AccessProblem::Kind;
  if (code == QLatin1String("token_expired")) {
    return make(K::Unauthorized,
                tr("The server refused the token: it has expired. Update it in Settings."));
  }
  if (code == QLatin1String("token_missing")) {
    return make(K::Unauthorized, tr("The server requires a token; add it in Settings."));
  }
  if (code == QLatin1String("token_invalid")) {
    return make(K::Unauthorized,
                tr("The server refused the token: it is not valid%1. Update it in Settings.")
                    .arg(because));
  }
  if (code == QLatin1String("admin_token_required")) {
    return make(K::Unauthorized,
                tr("The server requires an admin token for the operator view; add it in "
                   "Settings."));
  }
  if (code == QLatin1String("forbidden") || status == 403) {
    QStringList symbols;
    for (const auto& s : error.value(QLatin1String("symbols")).toArray()) symbols << s.toString();
    if (!symbols.isEmpty()) {
      return make(K::Forbidden, tr("Not entitled to: %1").arg(symbols.join(QStringLiteral(", "))),
                  symbols);
    }
    return make(K::Forbidden, tr("The token is not entitled to these symbols%1.").arg(because));
  }
  if (status == 401) {
    return make(K::Unauthorized,
                tr("The server refused the token%1. Update it in Settings.").arg(because));
  }
  return {};
}

}  // namespace

AccessProblem AccessProblem::fromHttp(int status, const QByteArray& body) {
  if (status == 400 || status == 413) {
    // Only the frontend's own answer about the request: a proxy's 400 says nothing of it.
    const QJsonObject error = QJsonDocument::fromJson(body).object();
    const QString code = error.value(QLatin1String("error")).toString();
    static const QStringList aboutTheRequest{"bad_symbol", "unknown_symbol", "too_many_symbols",
                                             "missing_parameter", "bad_parameter"};
    if (!aboutTheRequest.contains(code)) return {};
    const QString detail = detailOf(error);
    return make(Kind::BadRequest, tr("The server refused the symbols: %1")
                                      .arg(detail.isEmpty() ? code : detail));
  }
  if (status != 401 && status != 403) return {};
  AccessProblem p = fromErrorObject(QJsonDocument::fromJson(body).object(), status);
  if (!p) {
    // Not our frontend's JSON (a proxy in between, say): the status alone.
    p = make(status == 401 ? Kind::Unauthorized : Kind::Forbidden,
             status == 401 ? tr("The server refused the token (HTTP 401). Update it in Settings.")
                           : tr("The server refused access (HTTP 403)."));
  }
  return p;
}

AccessProblem AccessProblem::fromError(const QByteArray& json) {
  const QJsonObject error = QJsonDocument::fromJson(json).object();
  const QString code = error.value(QLatin1String("error")).toString();
  if (code != QLatin1String("forbidden") && !code.startsWith(QLatin1String("token_")) &&
      code != QLatin1String("admin_token_required")) {
    return {};
  }
  return fromErrorObject(error, 0);
}

AccessProblem AccessProblem::expired() {
  return make(Kind::Unauthorized,
              tr("The server ended the stream: the token has expired. Update it in Settings."));
}

AccessProblem AccessProblem::fromTls(const QList<QSslError>& errors) {
  if (errors.isEmpty()) return {};
  QStringList what;
  bool onlyName = true;
  for (const auto& e : errors) {
    if (!what.contains(e.errorString())) what << e.errorString();
    onlyName = onlyName && e.error() == QSslError::HostNameMismatch;
  }
  if (onlyName) {
    return make(Kind::Untrusted,
                tr("The server's certificate is not for this host name (%1); use a name it "
                   "covers in Settings.")
                    .arg(what.join(QStringLiteral("; "))));
  }
  return make(Kind::Untrusted,
              tr("The server's certificate is not trusted (%1); add its CA file in Settings.")
                  .arg(what.join(QStringLiteral("; "))));
}

AccessProblem AccessProblem::badCaFile(const QString& why) {
  return make(Kind::Untrusted, tr("Cannot trust the server: %1. Fix the CA file in Settings.").arg(why));
}

}  // namespace tickwire::desktop
