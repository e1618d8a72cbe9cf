#include "app/upstream_factory.hpp"

#include "net/tls_client_context.hpp"

namespace tickwire::app {

std::string ProviderChoice::str() const {
  std::string why;
  auto where = [&](const std::string& url) {
    const auto u = net::parse_service_url(url, &why);
    return u ? u->str_redacted() : std::string("(invalid URL)");
  };
  if (alpaca) return "alpaca://" + alpaca->feed + " (stream " + where(alpaca->stream_url) + ")";
  if (finnhub) return "finnhub:// (stream " + where(finnhub->stream_url) + ")";
  return "";
}

std::unique_ptr<dispatch::UpstreamAdapter> make_upstream(boost::asio::any_io_executor ex,
                                                         ops::Registry& metrics,
                                                         const ProviderChoice& provider,
                                                         dispatch::V1FeedAdapter::Configuration v1) {
  if (provider.alpaca) {
    dispatch::AlpacaAdapter::Configuration c;
    c.settings = *provider.alpaca;
    c.backoff_max = c.refused_hold_off = provider.retry_max;
    return std::make_unique<dispatch::AlpacaAdapter>(ex, net::make_tls_client_context(), metrics,
                                                     std::move(c));
  }
  if (provider.finnhub) {
    dispatch::FinnhubAdapter::Configuration c;
    c.settings = *provider.finnhub;
    c.backoff_max = c.refused_hold_off = provider.retry_max;
    return std::make_unique<dispatch::FinnhubAdapter>(ex, net::make_tls_client_context(), metrics,
                                                      std::move(c));
  }
  return std::make_unique<dispatch::V1FeedAdapter>(ex, metrics, std::move(v1));
}

}  // namespace tickwire::app
