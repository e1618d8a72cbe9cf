// The desktop's quote feed: the symbols the app shows, from a Tickwire frontend, decoded with
// the shared codec into the QuoteBook. Three transports in order of preference, SSE, then
// WebSocket, then HTTP polling. When the one in use fails (once if it never connected, three
// times in a row if it had), the client asks the server's /healthz: a server that answers is
// refusing that transport (a proxy, a policy); once it fails again after such an answer, the
// next transport is tried. (One answer is not enough: the server may have come up between the
// failed attempt and the probe.) A server that does not answer is down, and switching would
// only strand the client on a lesser transport once it returns, so the same one keeps retrying.
// A refusal (a bad or expired token, symbols the token is not entitled to, an untrusted
// certificate, a 4xx about the request such as a malformed symbol: AccessProblem) is neither:
// the client stops, in state "unauthorized", "untrusted" or "refused" with the reason in
// lastError, until the server settings change (or, for symbols it was refused, the symbol
// set). Symbols the server does not list are served without: it names them, and the rows say
// so. It resubscribes when the symbol set changes and
// measures its end-to-end latency from the quotes' exchange timestamps. Its properties drive
// the connection badge.
#pragma once

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <QtQml/qqmlregistration.h>
#include <memory>
#include <vector>

#include "latency_window.hpp"
#include "quote_book.hpp"
#include "quote_transport.hpp"

namespace tickwire::desktop {

class FeedClient : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
  Q_PROPERTY(QString state READ state NOTIFY statusChanged)
  Q_PROPERTY(QString transport READ transport NOTIFY statusChanged)
  Q_PROPERTY(QString server READ server NOTIFY statusChanged)
  Q_PROPERTY(int reconnectIn READ reconnectIn NOTIFY statusChanged)
  Q_PROPERTY(QString lastError READ lastError NOTIFY statusChanged)
  // Connected, but the server says its quotes may be old (its cache tier is unreachable).
  Q_PROPERTY(bool stale READ stale NOTIFY statusChanged)
  // Connected, but nothing (not even a heartbeat) came for well past the expected interval:
  // seconds since the server was last heard from; 0 while it is heard in time.
  Q_PROPERTY(int silentFor READ silentFor NOTIFY statusChanged)
  Q_PROPERTY(double latencyP50 READ latencyP50 NOTIFY latencyChanged)
  Q_PROPERTY(double latencyP99 READ latencyP99 NOTIFY latencyChanged)
  Q_PROPERTY(int quotesReceived READ quotesReceived NOTIFY latencyChanged)
  // Whole seconds since the newest latency sample (a live tick): the figures' age.
  Q_PROPERTY(int latencyAge READ latencyAge NOTIFY latencyChanged)

 public:
  explicit FeedClient(QuoteBook& book, QObject* parent = nullptr);
  ~FeedClient() override;

  // The frontend, with its TLS trust and token; starts over with the preferred transport.
  void setServer(const ServerAccess& server);
  void setServer(const QUrl& base) { setServer(ServerAccess(base)); }
  // The symbols to follow; applied after a short pause so bursts of edits resubscribe once.
  void setSymbols(const QStringList& symbols);
  QStringList symbols() const { return symbols_; }

  // "connected", "connecting", "reconnecting", "offline", or, stopped until the settings
  // change, "unauthorized" (token refused, symbols not entitled), "untrusted" (certificate) or
  // "refused" (the request itself, e.g. a malformed symbol).
  QString state() const;
  QString transport() const;
  QString server() const { return server_.base().toString(); }
  int reconnectIn() const;  // whole seconds until the next attempt
  QString lastError() const;
  bool stale() const { return stale_; }
  int silentFor() const { return silentFor_; }
  int latencyAge() const { return latencyAge_; }
  // Silence past this many milliseconds of the transport's heartbeat interval is "no data".
  static int silenceLimitMs(int heartbeatMs) { return heartbeatMs + heartbeatMs / 2; }
  double latencyP50() const { return p50_; }
  double latencyP99() const { return p99_; }
  int quotesReceived() const { return received_; }
  // Connection attempts over all transports since this client was made.
  int connectionAttempts() const;

 Q_SIGNALS:
  void statusChanged();
  void latencyChanged();

 private:
  QuoteTransport& active() const { return *transports_[active_]; }
  // Why the client is stopped: the active transport was refused, or the CA file is unusable.
  AccessProblem refusal() const;
  void start();
  void onTransportState();
  void fallBackIfServerAnswers();
  void onQuotes(const std::vector<Quote>& quotes, bool snapshot);
  void onTick();

  QuoteBook& book_;
  std::vector<std::unique_ptr<QuoteTransport>> transports_;  // in order of preference
  std::size_t active_ = 0;
  ServerAccess server_;
  AccessProblem caProblem_;  // the settings' CA file cannot be used: nothing is tried
  QStringList symbols_;
  QNetworkAccessManager nam_;  // the /healthz probe
  bool probing_ = false;
  bool stale_ = false;
  bool server_seen_alive_ = false;  // a probe answered since the active transport last failed
  QTimer resubscribe_;
  QTimer tick_;  // refreshes the countdown and latency figures
  LatencyWindow latency_;
  QElapsedTimer heard_;       // since the active transport last heard from the server
  QElapsedTimer lastSample_;  // since the newest latency sample
  int silentFor_ = 0;
  int latencyAge_ = 0;
  double p50_ = 0, p99_ = 0;
  int received_ = 0;
  int failures_ = 0;  // consecutive failed attempts over all transports
};

}  // namespace tickwire::desktop
