#include "dispatch/upstream/provider_directory.hpp"

#include <spdlog/spdlog.h>

#include "dispatch/upstream/provider_rest.hpp"

namespace tickwire::dispatch {

ProviderDirectory::ProviderDirectory(boost::asio::any_io_executor ex,
                                     std::shared_ptr<boost::asio::ssl::context> tls,
                                     ProviderMetrics& metrics, std::chrono::seconds retry)
    : ex_(ex), tls_(std::move(tls)), metrics_(metrics), retry_(retry), timer_(ex) {}

void ProviderDirectory::load(net::HttpGetRequest request, Parser parse, Loaded loaded,
                             std::vector<SymbolInfo> extra) {
  request_ = std::move(request);
  parse_ = std::move(parse);
  loaded_ = std::move(loaded);
  extra_ = std::move(extra);
  attempt();
}

void ProviderDirectory::stop() {
  stopped_ = true;
  timer_.cancel();
}

void ProviderDirectory::attempt() {
  if (stopped_) return;
  fetch_document<std::vector<SymbolInfo>>(
      ex_, tls_, request_, parse_,
      [this](std::optional<std::vector<SymbolInfo>> symbols, const std::string& why) {
        if (stopped_) return;
        if (symbols) {
          symbols->insert(symbols->begin(), extra_.begin(), extra_.end());
          spdlog::info("{}: {} symbols listed", metrics_.provider, symbols->size());
          loaded_(std::make_shared<SymbolDirectory>(std::move(*symbols)));
          return;
        }
        metrics_.directory_failures.inc();
        spdlog::warn("{}: symbol list not loaded from {} ({}); retrying in {} s",
                     metrics_.provider, request_.url.str_redacted(), why, retry_.count());
        timer_.expires_after(retry_);
        timer_.async_wait([this](boost::system::error_code ec) {
          if (!ec) attempt();
        });
      });
}

}  // namespace tickwire::dispatch
