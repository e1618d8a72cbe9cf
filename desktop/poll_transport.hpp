// The polling transport, for networks that allow only plain requests: long-polls
// GET /v1/quotes?symbols=...&since=<cursor>&wait=20, one request after the other.
#pragma once

#include <QNetworkAccessManager>
#include <QPointer>
#include <QTimer>

#include "backoff.hpp"
#include "quote_transport.hpp"

namespace tickwire::desktop {

class PollTransport final : public QuoteTransport {
  Q_OBJECT
 public:
  explicit PollTransport(QObject* parent = nullptr);
  ~PollTransport() override;
  QString name() const override { return QStringLiteral("Polling"); }
  void open(const QUrl& base, const QStringList& symbols) override;
  void setSymbols(const QStringList& symbols) override { open(base_, symbols); }
  void close() override;
  State state() const override { return state_; }
  int retryInMs() const override { return retry_.isActive() ? retry_.remainingTime() : 0; }
  QString lastError() const override { return lastError_; }
  int failures() const override { return failures_; }
  bool everConnected() const override { return everConnected_; }

 private:
  void pollNow();
  void fail(const QString& why);
  void setState(State s);

  QNetworkAccessManager nam_;
  QPointer<QNetworkReply> reply_;
  QUrl base_;
  QStringList symbols_;
  QString cursor_;
  QTimer retry_;
  Backoff backoff_;
  State state_ = State::Idle;
  QString lastError_;
  int failures_ = 0;
  bool everConnected_ = false;
};

}  // namespace tickwire::desktop
