// One Server-Sent Events stream over Qt Network, read with the shared WHATWG parser, that
// reconnects by itself: Backoff between attempts, Last-Event-ID on resume, and an idle watchdog
// (a stream silent for longer than `idleTimeout` is treated as dead). A refusal that retrying
// cannot cure (401, 403, an untrusted certificate: see AccessProblem) ends it in Refused
// instead. Used by the quote feed and the operator view.
#pragma once

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include "access_problem.hpp"
#include "backoff.hpp"
#include "tickwire/sse.hpp"

namespace tickwire::desktop {

class SseStream : public QObject {
  Q_OBJECT
 public:
  enum class State { Idle, Connecting, Connected, Waiting, Refused };

  explicit SseStream(QObject* parent = nullptr);
  ~SseStream() override;

  // Opens `request` (its URL, TLS configuration and Authorization as ServerAccess made them);
  // with `resume` the last event id seen is sent as Last-Event-ID.
  void open(const QNetworkRequest& request, bool resume);
  void close();
  // Stops for good (until the next open) because of `problem`, e.g. the server's word that the
  // token expired.
  void refuse(const AccessProblem& problem);

  State state() const { return state_; }
  // Milliseconds until the next attempt while Waiting.
  int retryInMs() const;
  QString lastError() const { return lastError_; }
  // Why the stream is Refused.
  const AccessProblem& problem() const { return problem_; }
  // Connection attempts since construction (a counter, as a metric is).
  int attempts() const { return attempts_; }
  void setIdleTimeoutMs(int ms) { idleTimeoutMs_ = ms; }

 Q_SIGNALS:
  void event(const QString& type, const QByteArray& data);
  // Bytes arrived on the open stream (events, heartbeat comments).
  void received();
  void stateChanged();

 private:
  void connectNow();
  void onReadyRead();
  void onFinished();
  void fail(const QString& why);
  void setState(State s);
  void dropReply();

  QNetworkAccessManager nam_;
  QPointer<QNetworkReply> reply_;
  QNetworkRequest request_;
  QList<QSslError> tlsErrors_;  // of the current attempt's handshake
  sse::Parser parser_;
  QTimer retryTimer_;
  QTimer idleTimer_;
  Backoff backoff_;
  int idleTimeoutMs_ = 45000;
  State state_ = State::Idle;
  QString lastError_;
  AccessProblem problem_;
  int attempts_ = 0;
};

}  // namespace tickwire::desktop
