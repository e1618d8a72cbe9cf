// The upstream adapter a dispatcher runs, from what --upstream named: a Tickwire v1 feed
// (http://, or the built-in simulator), Alpaca (alpaca://FEED) or Finnhub (finnhub://).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "dispatch/upstream/alpaca_adapter.hpp"
#include "dispatch/upstream/finnhub_adapter.hpp"
#include "dispatch/upstream/upstream_adapter.hpp"
#include "dispatch/upstream/v1_feed_adapter.hpp"
#include "ops/metrics.hpp"

namespace tickwire::app {

struct ProviderChoice {
  std::optional<dispatch::AlpacaSettings> alpaca;
  std::optional<dispatch::FinnhubSettings> finnhub;
  // Longest wait between reconnects, and the wait after the provider refused the credentials or
  // the connection (--upstream-retry-max).
  std::chrono::milliseconds retry_max{30'000};
  bool any() const noexcept { return alpaca || finnhub; }
  // For logs and --check: which provider and where, never a key.
  std::string str() const;
};

// A provider adapter when `provider` names one, else the v1 adapter following `v1`.
// Throws std::invalid_argument when a provider's settings cannot work.
std::unique_ptr<dispatch::UpstreamAdapter> make_upstream(
    boost::asio::any_io_executor ex, ops::Registry& metrics, const ProviderChoice& provider,
    dispatch::V1FeedAdapter::Configuration v1);

}  // namespace tickwire::app
