#include "embedded_backend.hpp"

#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "app/all_in_one.hpp"

namespace tickwire::desktop {

namespace {
// An endpoint from the environment, as tickwired reads it, or the provider's default.
void from_env(const char* name, std::string& out) {
  if (const char* v = std::getenv(name); v && *v) out = v;
}
}  // namespace

QString DataSource::label() const {
  switch (kind) {
    case Kind::alpaca: return QStringLiteral("Alpaca (%1)").arg(alpacaFeed);
    case Kind::finnhub: return QStringLiteral("Finnhub");
    case Kind::simulator: break;
  }
  return QStringLiteral("simulator");
}

EmbeddedBackend::EmbeddedBackend(const DataSource& source) : source_(source) {
  app::AllInOne::Configuration c;
  c.frontend.bind = {boost::asio::ip::make_address("127.0.0.1"), 0};
  c.frontend.threads = 1;  // one desktop client: a second shard would only cost memory
  c.frontend.id = "desktop-" + std::to_string(::getpid());
  c.frontend.role = "all";
  c.dispatch.id = c.frontend.id;
  if (source.kind == DataSource::Kind::alpaca) {
    dispatch::AlpacaSettings a;
    a.feed = source.alpacaFeed.toStdString();
    a.key_id = source.alpacaKeyId.toStdString();
    a.secret_key = source.alpacaSecret.toStdString();
    if (a.key_id.empty() || a.secret_key.empty()) {
      throw std::invalid_argument("Alpaca needs an API key ID and secret key");
    }
    from_env("APCA_API_STREAM_URL", a.stream_url);
    from_env("APCA_API_DATA_URL", a.data_url);
    from_env("APCA_API_BASE_URL", a.trading_url);
    c.provider.alpaca = std::move(a);
  } else if (source.kind == DataSource::Kind::finnhub) {
    dispatch::FinnhubSettings f;
    f.token = source.finnhubToken.toStdString();
    if (f.token.empty()) throw std::invalid_argument("Finnhub needs an API token");
    from_env("FINNHUB_STREAM_URL", f.stream_url);
    from_env("FINNHUB_API_URL", f.api_url);
    if (const char* v = std::getenv("FINNHUB_SYMBOL_LIMIT"); v && std::atoi(v) > 0) {
      f.symbol_limit = static_cast<std::size_t>(std::atoi(v));
    }
    c.provider.finnhub = std::move(f);
  }
  node_ = std::make_unique<app::AllInOne>(c);
  try {
    node_->start();
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error(std::string("the bundled backend cannot start: ") + e.what());
  }
  url_ = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(node_->frontend_endpoint().port()));
}

EmbeddedBackend::~EmbeddedBackend() { node_->shutdown(std::chrono::milliseconds(1000)); }

}  // namespace tickwire::desktop
