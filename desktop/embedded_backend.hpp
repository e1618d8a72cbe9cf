// The whole Tickwire backend inside the app, on a free loopback port, following the data source
// the user chose: the built-in exchange simulator (the default: works offline, no setup), or a
// real provider (Alpaca, Finnhub) with the user's keys. The app connects to it over HTTP/SSE
// exactly as it would to a remote frontend.
#pragma once

#include <QString>
#include <QUrl>
#include <memory>

namespace tickwire::app {
class AllInOne;
}

namespace tickwire::desktop {

struct DataSource {
  enum class Kind { simulator, alpaca, finnhub };
  Kind kind = Kind::simulator;
  QString alpacaFeed = QStringLiteral("iex");  // iex, sip, delayed_sip, test
  QString alpacaKeyId, alpacaSecret;           // Alpaca's key pair
  QString finnhubToken;
  // For the badge: "simulator", "Alpaca (iex)", "Finnhub".
  QString label() const;
};

class EmbeddedBackend {
 public:
  // The providers' endpoints are their public ones unless the environment names others, as
  // for tickwired (APCA_API_STREAM_URL, APCA_API_DATA_URL, APCA_API_BASE_URL,
  // FINNHUB_STREAM_URL, FINNHUB_API_URL, FINNHUB_SYMBOL_LIMIT; SSL_CERT_FILE for a private CA).
  // Throws std::invalid_argument, with a reason for people, when the source cannot work
  // (a missing key, an unknown feed), and std::runtime_error when the backend cannot start.
  explicit EmbeddedBackend(const DataSource& source = {});
  ~EmbeddedBackend();
  QUrl url() const { return url_; }
  const DataSource& source() const { return source_; }

 private:
  DataSource source_;
  std::unique_ptr<app::AllInOne> node_;
  QUrl url_;
};

}  // namespace tickwire::desktop
