#include "dispatch/upstream/provider_metrics.hpp"

namespace tickwire::dispatch {

namespace {
constexpr const char* kMessages = "tickwire_dispatch_provider_messages_total";
constexpr const char* kMessagesHelp = "Provider stream messages read, by kind";
constexpr const char* kRest = "tickwire_dispatch_provider_rest_failures_total";
constexpr const char* kRestHelp = "Provider REST requests that failed, by request";
}  // namespace

ProviderMetrics::ProviderMetrics(ops::Registry& r, std::string name)
    : registry(r),
      provider(std::move(name)),
      quotes(r.counter(kMessages, kMessagesHelp, {{"kind", "quote"}})),
      trades(r.counter(kMessages, kMessagesHelp, {{"kind", "trade"}})),
      unknown(r.counter(kMessages, kMessagesHelp, {{"kind", "unknown"}})),
      malformed(r.counter("tickwire_dispatch_bad_events_total",
                          "Upstream messages that could not be read (malformed, or not what the "
                          "protocol allows there)")),
      auth_failures(r.counter("tickwire_dispatch_provider_auth_failures_total",
                              "Provider connections refused for their credentials")),
      day_failures(r.counter(kRest, kRestHelp, {{"request", "day_statistics"}})),
      directory_failures(r.counter(kRest, kRestHelp, {{"request", "directory"}})),
      bar_failures(r.counter(kRest, kRestHelp, {{"request", "bars"}})) {}

ops::Counter& ProviderMetrics::error(const std::string& code) {
  return registry.counter("tickwire_dispatch_provider_errors_total",
                          "Errors the provider sent, by code",
                          {{"provider", provider}, {"code", code}});
}

}  // namespace tickwire::dispatch
