// Why a frontend will not serve us, in words for the user: the token is missing, invalid or
// expired (401), the token is not entitled to some symbols (403), the admin token is missing,
// or the server's certificate is not trusted. Each of these is terminal: retrying (or trying
// another transport) cannot help until the user changes the server, the CA file, the token or
// the symbols, so the transports stop on one instead of reconnecting.
#pragma once

#include <QByteArray>
#include <QList>
#include <QSslError>
#include <QString>
#include <QStringList>

namespace tickwire::desktop {

struct AccessProblem {
  enum class Kind {
    None,
    Unauthorized,  // 401: no token, a bad one, an expired one, or no admin token
    Forbidden,     // 403: the token is valid but not entitled to `symbols`
    Untrusted,     // the server's certificate failed verification, or the CA file is unusable
    BadRequest,    // 400/413 about the request (a malformed symbol, too many, none listed):
                   // another transport would get the same answer; a new symbol set may not
  };
  Kind kind = Kind::None;
  QString message;     // for the user; never holds a token
  QStringList symbols;  // Forbidden: the refused ones, when the server named them

  explicit operator bool() const { return kind != Kind::None; }

  // From an HTTP answer: 401 and 403 (with the frontend's JSON error body or not), 400 and 413
  // with the frontend's JSON error body; None otherwise.
  static AccessProblem fromHttp(int status, const QByteArray& body);
  // From an error object of the JSON API ({"error": code, "detail": ..., "symbols": [...]}),
  // as a WebSocket message carries it; None for codes that are not about access.
  static AccessProblem fromError(const QByteArray& json);
  // A stream the server ended because the token's `exp` passed.
  static AccessProblem expired();
  // From the TLS errors of a failed handshake; None when the list is empty.
  static AccessProblem fromTls(const QList<QSslError>& errors);
  // A CA file that cannot be used (see ServerAccess::caProblem()).
  static AccessProblem badCaFile(const QString& why);
};

}  // namespace tickwire::desktop
