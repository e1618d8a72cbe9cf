// A provider's symbol list, loaded over REST and retried every `retry` until it comes (the
// frontends refuse symbols until a directory exists, so giving up is not an option). Failures
// are logged with the reason and counted.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dispatch/upstream/provider_metrics.hpp"
#include "net/http_get.hpp"
#include "tickwire/symbol_directory.hpp"

namespace tickwire::dispatch {

class ProviderDirectory {
 public:
  using Parser = std::function<std::optional<std::vector<SymbolInfo>>(std::string_view,
                                                                      std::string*)>;
  using Loaded = std::function<void(std::shared_ptr<const SymbolDirectory>)>;

  ProviderDirectory(boost::asio::any_io_executor ex,
                    std::shared_ptr<boost::asio::ssl::context> tls, ProviderMetrics& metrics,
                    std::chrono::seconds retry = std::chrono::seconds(10));

  // `extra` entries go first (e.g. Alpaca's test symbol, which no listing has).
  void load(net::HttpGetRequest request, Parser parse, Loaded loaded,
            std::vector<SymbolInfo> extra = {});
  void stop();

 private:
  void attempt();

  boost::asio::any_io_executor ex_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  ProviderMetrics& metrics_;
  std::chrono::seconds retry_;
  boost::asio::steady_timer timer_;
  net::HttpGetRequest request_;
  Parser parse_;
  Loaded loaded_;
  std::vector<SymbolInfo> extra_;
  bool stopped_ = false;
};

}  // namespace tickwire::dispatch
