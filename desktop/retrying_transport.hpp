// The retry state machine shared by the transports that manage their own connection
// (WebSocket, polling): Connecting -> Connected, or Waiting for Backoff's delay and then a new
// attempt(), with the failure counts the FeedClient's fallback reads; or Refused, for good
// until the next begin(), when the server's answer is one no retry can change.
#pragma once

#include <QTimer>

#include "backoff.hpp"
#include "quote_transport.hpp"

namespace tickwire::desktop {

class RetryingTransport : public QuoteTransport {
  Q_OBJECT
 public:
  explicit RetryingTransport(QObject* parent = nullptr);

  State state() const override { return state_; }
  int retryInMs() const override { return retry_.isActive() ? retry_.remainingTime() : 0; }
  QString lastError() const override { return lastError_; }
  int failures() const override { return failures_; }
  bool everConnected() const override { return everConnected_; }
  AccessProblem problem() const override { return problem_; }
  int attempts() const override { return attempts_; }

 protected:
  virtual void attempt() = 0;  // one connection attempt; ends in succeeded() or failed()
  void begin();                // a fresh start: counts reset, first attempt now
  void succeeded();
  void failed(const QString& why);  // ignored unless an attempt is under way
  void refused(const AccessProblem& problem);  // to Refused, no more attempts
  void stop();                      // to Idle, no more attempts
  void setLastError(const QString& why) { lastError_ = why; }

 private:
  void setState(State s);

  QTimer retry_;
  Backoff backoff_;
  State state_ = State::Idle;
  QString lastError_;
  AccessProblem problem_;
  int failures_ = 0;
  int attempts_ = 0;
  bool everConnected_ = false;
};

}  // namespace tickwire::desktop
