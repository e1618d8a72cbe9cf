// The SSE transport: GET /v1/stream on an SseStream.
#pragma once

#include "quote_transport.hpp"
#include "sse_stream.hpp"

namespace tickwire::desktop {

class SseTransport final : public QuoteTransport {
  Q_OBJECT
 public:
  explicit SseTransport(QObject* parent = nullptr);
  QString name() const override { return QStringLiteral("SSE"); }
  void open(const ServerAccess& server, const QStringList& symbols) override;
  void setSymbols(const QStringList& symbols) override { open(server_, symbols); }
  void close() override { stream_.close(); }
  State state() const override;
  int retryInMs() const override { return stream_.retryInMs(); }
  QString lastError() const override { return stream_.lastError(); }
  int failures() const override { return failures_; }
  bool everConnected() const override { return everConnected_; }
  AccessProblem problem() const override { return stream_.problem(); }
  int attempts() const override { return stream_.attempts(); }
  int heartbeatMs() const override { return heartbeatMs_; }

 private:
  SseStream stream_;
  ServerAccess server_;
  int failures_ = 0;
  bool everConnected_ = false;
  int heartbeatMs_ = kDefaultHeartbeatMs;  // as the server's snapshot announces it
  static constexpr int kDefaultHeartbeatMs = 15000;  // servers that do not announce one
};

}  // namespace tickwire::desktop
