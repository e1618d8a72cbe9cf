// One Server-Sent Events stream over Qt Network, read with the shared WHATWG parser, that
// reconnects by itself: Backoff between attempts, Last-Event-ID on resume, and an idle watchdog (a stream silent for longer than
// `idleTimeout` is treated as dead). Used by the quote feed and the operator view.
#pragma once

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include "backoff.hpp"
#include "tickwire/sse.hpp"

namespace tickwire::desktop {

class SseStream : public QObject {
  Q_OBJECT
 public:
  enum class State { Idle, Connecting, Connected, Waiting };

  explicit SseStream(QObject* parent = nullptr);
  ~SseStream() override;

  // Opens `url`; with `resume` the last event id seen is sent as Last-Event-ID.
  void open(const QUrl& url, bool resume);
  void close();

  State state() const { return state_; }
  // Milliseconds until the next attempt while Waiting.
  int retryInMs() const;
  QString lastError() const { return lastError_; }
  void setIdleTimeoutMs(int ms) { idleTimeoutMs_ = ms; }

 Q_SIGNALS:
  void event(const QString& type, const QByteArray& data);
  void stateChanged();

 private:
  void connectNow();
  void onReadyRead();
  void onFinished();
  void fail(const QString& why);
  void setState(State s);

  QNetworkAccessManager nam_;
  QPointer<QNetworkReply> reply_;
  QUrl url_;
  sse::Parser parser_;
  QTimer retryTimer_;
  QTimer idleTimer_;
  Backoff backoff_;
  int idleTimeoutMs_ = 45000;
  State state_ = State::Idle;
  QString lastError_;
};

}  // namespace tickwire::desktop
