#include "sse_stream.hpp"

#include <QNetworkRequest>
#include <algorithm>

namespace tickwire::desktop {

SseStream::SseStream(QObject* parent)
    : QObject(parent), parser_([this](const sse::Event& e) {
        Q_EMIT event(QString::fromUtf8(e.type.data(), static_cast<qsizetype>(e.type.size())),
                   QByteArray(e.data.data(), static_cast<qsizetype>(e.data.size())));
      }) {
  retryTimer_.setSingleShot(true);
  connect(&retryTimer_, &QTimer::timeout, this, &SseStream::connectNow);
  idleTimer_.setSingleShot(true);
  connect(&idleTimer_, &QTimer::timeout, this, [this] { fail(tr("no data from the server")); });
}

SseStream::~SseStream() {
  blockSignals(true);  // receivers may already be gone: a destructor reports nothing
  close();
}

void SseStream::open(const QNetworkRequest& request, bool resume) {
  close();
  // New trust (ServerAccess::trust()): forget the connection made with the old one.
  if (request.sslConfiguration() != request_.sslConfiguration()) nam_.clearConnectionCache();
  request_ = request;
  if (!resume) parser_.clear_last_event_id();
  backoff_.reset();
  problem_ = {};
  connectNow();
}

void SseStream::close() {
  retryTimer_.stop();
  idleTimer_.stop();
  dropReply();
  setState(State::Idle);
}

void SseStream::refuse(const AccessProblem& problem) {
  retryTimer_.stop();
  idleTimer_.stop();
  dropReply();
  problem_ = problem;
  lastError_ = problem.message;
  setState(State::Refused);
}

void SseStream::dropReply() {
  if (!reply_) return;
  reply_->disconnect(this);
  reply_->abort();
  reply_->deleteLater();
  reply_ = nullptr;
}

int SseStream::retryInMs() const {
  return retryTimer_.isActive() ? std::max(0, retryTimer_.remainingTime()) : 0;
}

void SseStream::connectNow() {
  QNetworkRequest req(request_);
  req.setRawHeader("Accept", "text/event-stream");
  req.setRawHeader("Cache-Control", "no-cache");
  if (!parser_.last_event_id().empty()) {
    req.setRawHeader("Last-Event-ID", QByteArray::fromStdString(parser_.last_event_id()));
  }
  req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
  req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
  req.setTransferTimeout(0);  // a stream has no end; the idle watchdog guards it instead
  parser_.reset_stream();
  tlsErrors_.clear();
  ++attempts_;
  reply_ = nam_.get(req);
  // Kept for onFinished, which names them; they are never ignored.
  connect(reply_, &QNetworkReply::sslErrors, this,
          [this](const QList<QSslError>& errors) { tlsErrors_ = errors; });
  connect(reply_, &QNetworkReply::readyRead, this, &SseStream::onReadyRead);
  connect(reply_, &QNetworkReply::finished, this, &SseStream::onFinished);
  setState(State::Connecting);
  idleTimer_.start(idleTimeoutMs_);
}

void SseStream::onReadyRead() {
  if (!reply_) return;
  if (state_ != State::Connected) {
    const int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200) return;  // error bodies are read in onFinished
    backoff_.reset();
    lastError_.clear();
    setState(State::Connected);
  }
  idleTimer_.start(idleTimeoutMs_);
  const QByteArray bytes = reply_->readAll();
  if (!parser_.feed(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())))) {
    return fail(tr("the server sent an oversized event"));
  }
  Q_EMIT received();
}

void SseStream::onFinished() {
  if (!reply_) return;
  const int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  if (reply_->error() == QNetworkReply::SslHandshakeFailedError && !tlsErrors_.isEmpty()) {
    return refuse(AccessProblem::fromTls(tlsErrors_));
  }
  const QByteArray body = reply_->readAll();
  if (auto problem = AccessProblem::fromHttp(status, body)) return refuse(problem);
  QString why = reply_->error() != QNetworkReply::NoError ? reply_->errorString()
                                                          : tr("the server ended the stream");
  if (status >= 400) why = tr("HTTP %1: %2").arg(status).arg(QString::fromUtf8(body));
  fail(why);
}

void SseStream::fail(const QString& why) {
  idleTimer_.stop();
  dropReply();
  lastError_ = why;
  retryTimer_.start(backoff_.next_ms());
  setState(State::Waiting);
}

void SseStream::setState(State s) {
  if (s == state_) return;
  state_ = s;
  Q_EMIT stateChanged();
}

}  // namespace tickwire::desktop
