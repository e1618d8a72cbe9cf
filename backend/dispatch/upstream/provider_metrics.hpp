// The metrics every provider adapter keeps, under one set of names (docs/operations.md).
#pragma once

#include <string>

#include "ops/metrics.hpp"

namespace tickwire::dispatch {

struct ProviderMetrics {
  ProviderMetrics(ops::Registry& registry, std::string provider);

  // An error the provider sent; `code` must come from a fixed set (a provider must not be able
  // to grow the label set).
  ops::Counter& error(const std::string& code);

  ops::Registry& registry;
  const std::string provider;
  ops::Counter& quotes;     // stream messages read, by kind
  ops::Counter& trades;
  ops::Counter& unknown;    // well-formed, of a kind not used
  ops::Counter& malformed;  // not readable
  ops::Counter& auth_failures;
  ops::Counter& day_failures;        // REST: day statistics
  ops::Counter& directory_failures;  // REST: the symbol list
  ops::Counter& bar_failures;        // REST: history (bars, candles) for a backfill
};

}  // namespace tickwire::dispatch
