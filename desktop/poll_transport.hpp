// The polling transport, for networks that allow only plain requests: long-polls
// GET /v1/quotes?symbols=...&since=<cursor>&wait=20, one request after the other.
#pragma once

#include <QNetworkAccessManager>
#include <QPointer>

#include "retrying_transport.hpp"

namespace tickwire::desktop {

class PollTransport final : public RetryingTransport {
  Q_OBJECT
 public:
  explicit PollTransport(QObject* parent = nullptr);
  ~PollTransport() override;
  QString name() const override { return QStringLiteral("Polling"); }
  void open(const QUrl& base, const QStringList& symbols) override;
  void setSymbols(const QStringList& symbols) override { open(base_, symbols); }
  void close() override;

 private:
  void attempt() override;

  QNetworkAccessManager nam_;
  QPointer<QNetworkReply> reply_;
  QUrl base_;
  QStringList symbols_;
  QString cursor_;
};

}  // namespace tickwire::desktop
