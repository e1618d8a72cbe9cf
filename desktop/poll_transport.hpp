// The polling transport, for networks that allow only plain requests: long-polls
// GET /v1/quotes?symbols=...&since=<cursor>&wait=20, one request after the other. A 401, 403 or
// an untrusted certificate stops it (Refused).
#pragma once

#include <QNetworkAccessManager>
#include <QPointer>
#include <QSet>

#include "retrying_transport.hpp"

namespace tickwire::desktop {

class PollTransport final : public RetryingTransport {
  Q_OBJECT
 public:
  explicit PollTransport(QObject* parent = nullptr);
  ~PollTransport() override;
  QString name() const override { return QStringLiteral("Polling"); }
  void open(const ServerAccess& server, const QStringList& symbols) override;
  void setSymbols(const QStringList& symbols) override { open(server_, symbols); }
  void close() override;
  // A long poll is answered at the latest when its wait is over.
  int heartbeatMs() const override;

 private:
  void attempt() override;

  QNetworkAccessManager nam_;
  QPointer<QNetworkReply> reply_;
  ServerAccess server_;
  QList<QSslError> tlsErrors_;  // of the current request's handshake; never ignored
  QStringList symbols_;
  QString cursor_;
  QSet<QString> unavailable_;  // as the last answer listed them
};

}  // namespace tickwire::desktop
