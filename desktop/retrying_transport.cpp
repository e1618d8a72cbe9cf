#include "retrying_transport.hpp"

namespace tickwire::desktop {

RetryingTransport::RetryingTransport(QObject* parent) : QuoteTransport(parent) {
  retry_.setSingleShot(true);
  connect(&retry_, &QTimer::timeout, this, [this] {
    setState(State::Connecting);
    ++attempts_;
    attempt();
  });
}

void RetryingTransport::begin() {
  retry_.stop();
  failures_ = 0;
  ++attempts_;
  everConnected_ = false;
  problem_ = {};
  backoff_.reset();
  setState(State::Connecting);
  attempt();
}

void RetryingTransport::succeeded() {
  backoff_.reset();
  failures_ = 0;
  everConnected_ = true;
  lastError_.clear();
  setState(State::Connected);
}

void RetryingTransport::failed(const QString& why) {
  // One failure per attempt, and none after a refusal.
  if (state_ == State::Idle || state_ == State::Waiting || state_ == State::Refused) return;
  lastError_ = why;
  ++failures_;
  setState(State::Waiting);
  retry_.start(backoff_.next_ms());
}

void RetryingTransport::refused(const AccessProblem& problem) {
  retry_.stop();
  problem_ = problem;
  lastError_ = problem.message;
  setState(State::Refused);
}

void RetryingTransport::stop() {
  retry_.stop();
  setState(State::Idle);
}

void RetryingTransport::setState(State s) {
  if (s == state_) return;
  state_ = s;
  Q_EMIT stateChanged();
}

}  // namespace tickwire::desktop
