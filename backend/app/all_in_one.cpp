#include "app/all_in_one.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <future>

namespace tickwire::app {

AllInOne::AllInOne(Configuration config) : config_(std::move(config)), core_(1, "core") {}

AllInOne::~AllInOne() { shutdown(std::chrono::milliseconds(500)); }

void AllInOne::start() {
  auto feed = config_.v1_feed;
  if (config_.upstream) {
    feed.url = *config_.upstream;
  } else if (!config_.provider.any()) {
    exchange_ = std::make_unique<exchange::ExchangeServer>(metrics_, config_.exchange);
    exchange_->start();
    const auto ep = exchange_->local_endpoint();
    feed.url = {ep.address().to_string(), std::to_string(ep.port()), ""};
    spdlog::info("exchange simulator on http://{}:{} ({} symbols, {} ticks/s)",
                 ep.address().to_string(), ep.port(), exchange_->directory().size(),
                 config_.exchange.tick_rate);
  }
  cache_ = std::make_unique<cache::EmbeddedCache>(core_.shard(0).get_executor(), metrics_,
                                                  config_.cache);
  const auto ex = core_.shard(0).get_executor();
  dispatcher_ = std::make_unique<dispatch::Dispatcher>(
      ex, *cache_, metrics_, config_.dispatch,
      make_upstream(ex, metrics_, config_.provider, feed));
  frontend_ = std::make_unique<frontend::FrontendServer>(*cache_, metrics_, config_.frontend);
  cache_->start();
  dispatcher_->start();
  heap_trimmer_ = std::make_unique<ops::HeapTrimmer>(ex, metrics_, ops::HeapTrimmer::Configuration{});
  heap_trimmer_->start();
  core_.start();
  frontend_->start();
}

void AllInOne::shutdown(std::chrono::milliseconds budget) {
  if (stopped_) return;
  stopped_ = true;
  const auto deadline = std::chrono::steady_clock::now() + budget;
  auto left = [&] {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now()));
  };
  if (frontend_) frontend_->shutdown(left() * 3 / 4);
  if (dispatcher_) dispatcher_->stop();
  if (cache_) cache_->stop();
  // The core thread runs posted work in order: once this barrier runs, both stops are done.
  auto barrier = std::make_shared<std::promise<void>>();
  auto done = barrier->get_future();
  boost::asio::post(core_.shard(0), [barrier] { barrier->set_value(); });
  done.wait_for(left());
  core_.stop_now();
  heap_trimmer_.reset();  // the core has stopped: its pending wait can no longer run
  if (exchange_) exchange_->shutdown(left());
}

boost::asio::ip::tcp::endpoint AllInOne::frontend_endpoint() const {
  return frontend_->local_endpoint();
}

std::optional<boost::asio::ip::tcp::endpoint> AllInOne::exchange_endpoint() const {
  if (!exchange_) return std::nullopt;
  return exchange_->local_endpoint();
}

}  // namespace tickwire::app
