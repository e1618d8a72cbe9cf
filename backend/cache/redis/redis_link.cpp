#include "cache/redis/redis_link.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <future>

#include "cache/redis/redis_keys.hpp"

namespace tickwire::cache::redis {

namespace asio = boost::asio;

namespace {
const scripts::Script* const kScripts[] = {
    &scripts::publish_quotes, &scripts::renew_lease, &scripts::live_members,
    &scripts::demand_union,  &scripts::replace_set, &scripts::report_node,
    &scripts::fleet,         &scripts::claim_exclusive, &scripts::release_exclusive,
    &scripts::symbol_status, &scripts::trim_bars,
};
constexpr std::size_t kSubscribeChunk = 1000;  // channels per SUBSCRIBE command
}  // namespace

Link::Link(asio::io_context& ioc, Configuration config, ops::Registry& metrics)
    : ex_(ioc.get_executor()),
      config_(std::move(config)),
      heartbeat_timer_(ioc),
      heartbeat_channel_(keys::heartbeat(config_.node_id)),
      ready_gauge_(metrics.gauge("tickwire_redis_ready",
                                 "1 while both Redis connections are up and scripts loaded")),
      channels_gauge_(metrics.gauge("tickwire_redis_subscribed_channels",
                                    "Redis pub/sub channels this process subscribes")),
      heartbeat_misses_(metrics.counter(
          "tickwire_redis_heartbeat_misses_total",
          "Subscriber connections restarted because this node's own heartbeat did not arrive")) {
  Connection::Configuration cc;
  cc.host = config_.host;
  cc.port = config_.port;
  cc.timeout = config_.timeout;
  cc.backoff_max = config_.backoff_max;
  cc.name = "command";
  command_ = std::make_shared<Connection>(
      ex_, cc, Connection::Callbacks{[this] { on_command_up(); }, [this](auto&) { on_down(); }, {}, {}},
      metrics);
  cc.name = "subscriber";
  cc.subscriber = true;
  subscriber_ = std::make_shared<Connection>(
      ex_, cc,
      Connection::Callbacks{
          [this] { on_subscriber_up(); }, [this](auto&) { on_down(); },
          [this](const std::string& channel, const std::string& payload) {
            if (channel == heartbeat_channel_) {
              last_heartbeat_ = std::chrono::steady_clock::now();
              return;
            }
            for (auto& l : message_listeners_) l(channel, payload);
          },
          [this](const std::string& channel) {
            const auto it = channels_.find(channel);
            if (it == channels_.end()) return;  // unsubscribed meanwhile
            it->second.confirmed = true;
            if (channel == heartbeat_channel_) return;
            for (auto& l : subscribed_listeners_) l(channel);
          }},
      metrics);
  channels_[heartbeat_channel_].refs = 1;
}

Link::~Link() { stop(); }

void Link::start() {
  asio::post(ex_, [this] {
    last_heartbeat_ = std::chrono::steady_clock::now();
    command_->start();
    subscriber_->start();
    arm_heartbeat();
  });
}

void Link::stop() {
  if (stop_requested_.exchange(true)) return;
  if (ex_.running_in_this_thread()) return close_now();  // cannot wait on our own thread
  auto done = std::make_shared<std::promise<void>>();
  auto f = done->get_future();
  const auto flush_until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  asio::post(ex_, [this, flush_until, done] { close_when_flushed(flush_until, done); });
  // Bounded: if the executor no longer runs, the sockets close with the process.
  f.wait_for(std::chrono::seconds(2));
}

void Link::close_when_flushed(std::chrono::steady_clock::time_point until,
                              std::shared_ptr<std::promise<void>> done) {
  // Commands the sides queued as they stopped (leases given back) go out first.
  if (command_->up() && command_->pending() > 0 && std::chrono::steady_clock::now() < until) {
    heartbeat_timer_.expires_after(std::chrono::milliseconds(5));
    heartbeat_timer_.async_wait([this, until, done](boost::system::error_code) {
      close_when_flushed(until, done);
    });
    return;
  }
  close_now();
  done->set_value();
}

void Link::close_now() {
  stopped_ = true;
  heartbeat_timer_.cancel();
  command_->stop();
  subscriber_->stop();
  ready_ = false;
  ready_gauge_.set(0);
}

void Link::on_command_up() {
  scripts_loaded_ = false;
  load_scripts();
}

void Link::load_scripts() {
  scripts_loading_ = std::size(kScripts);
  for (const auto* s : kScripts) {
    command_->command({"SCRIPT", "LOAD", std::string(s->text)}, [this, s](const Reply& r) {
      if (r.kind == Reply::Kind::string) {
        shas_[s->name] = r.str;
      } else {
        shas_.erase(s->name);  // eval() falls back to EVAL with the text
        spdlog::error("redis: loading script {} failed: {}", s->name, r.str);
      }
      if (--scripts_loading_ == 0 && command_->up()) {
        scripts_loaded_ = true;
        update_ready();
      }
    });
  }
}

void Link::on_subscriber_up() {
  last_heartbeat_ = std::chrono::steady_clock::now();
  std::vector<std::string> all;
  all.reserve(channels_.size());
  for (auto& [name, ch] : channels_) {
    ch.confirmed = false;
    all.push_back(name);
  }
  send_subscribe(std::move(all));
  update_ready();
}

void Link::on_down() {
  if (!command_->up()) scripts_loaded_ = false;
  if (!subscriber_->up()) {
    for (auto& [name, ch] : channels_) ch.confirmed = false;
  }
  update_ready();
}

void Link::update_ready() {
  const bool now_ready = !stopped_ && scripts_loaded_ && command_->up() && subscriber_->up();
  if (now_ready == ready_) return;
  ready_ = now_ready;
  ready_gauge_.set(ready_ ? 1 : 0);
  if (ready_) {
    spdlog::info("redis: link to {}:{} ready", config_.host, config_.port);
    for (auto& l : ready_listeners_) l();
  } else {
    spdlog::warn("redis: link to {}:{} lost; serving from what this process holds",
                 config_.host, config_.port);
    for (auto& l : lost_listeners_) l();
  }
}

void Link::arm_heartbeat() {
  heartbeat_timer_.expires_after(std::chrono::seconds(1));
  heartbeat_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    const auto now = std::chrono::steady_clock::now();
    if (command_->up()) command_->command({"PUBLISH", heartbeat_channel_, ""});
    // Only blame the subscriber when the command side could deliver the heartbeat.
    if (ready_ && now - last_heartbeat_ > config_.timeout) {
      heartbeat_misses_.inc();
      last_heartbeat_ = now;
      subscriber_->reconnect("no heartbeat on the subscriber connection");
    }
    arm_heartbeat();
  });
}

bool Link::command(const std::vector<std::string>& args, OnReply on_reply) {
  return command_->command(args, std::move(on_reply));
}

bool Link::eval(const scripts::Script& script, const std::vector<std::string>& keys,
                const std::vector<std::string>& args, OnReply on_reply) {
  auto build = [&](const std::string& verb, const std::string& body) {
    std::vector<std::string> cmd{verb, body, std::to_string(keys.size())};
    cmd.insert(cmd.end(), keys.begin(), keys.end());
    cmd.insert(cmd.end(), args.begin(), args.end());
    return cmd;
  };
  const auto sha = shas_.find(script.name);
  if (sha == shas_.end()) return command(build("EVAL", std::string(script.text)), std::move(on_reply));
  // A Redis that lost its script cache (SCRIPT FLUSH, a failover) answers NOSCRIPT: run the text
  // once and load it again.
  auto with_text = build("EVAL", std::string(script.text));
  return command(build("EVALSHA", sha->second),
                 [this, with_text = std::move(with_text), on_reply = std::move(on_reply),
                  name = script.name](const Reply& r) mutable {
                   if (r.kind == Reply::Kind::error && r.str.starts_with("NOSCRIPT")) {
                     shas_.erase(name);
                     if (!command(with_text, on_reply) && on_reply) on_reply(r);
                     if (command_->up() && scripts_loading_ == 0) load_scripts();
                     return;
                   }
                   if (on_reply) on_reply(r);
                 });
}

void Link::subscribe(const std::vector<std::string>& channels) {
  std::vector<std::string> fresh;
  for (const auto& c : channels) {
    if (channels_[c].refs++ == 0) fresh.push_back(c);
  }
  channels_gauge_.set(static_cast<std::int64_t>(channels_.size()));
  send_subscribe(std::move(fresh));
}

void Link::send_subscribe(std::vector<std::string> channels) {
  // While the subscriber connection is down they are sent when it is back (on_subscriber_up).
  for (std::size_t i = 0; i < channels.size(); i += kSubscribeChunk) {
    const auto end = std::min(channels.size(), i + kSubscribeChunk);
    subscriber_->subscribe({channels.begin() + static_cast<std::ptrdiff_t>(i),
                            channels.begin() + static_cast<std::ptrdiff_t>(end)});
  }
}

void Link::unsubscribe(const std::vector<std::string>& channels) {
  std::vector<std::string> gone;
  for (const auto& c : channels) {
    const auto it = channels_.find(c);
    if (it == channels_.end()) continue;
    if (--it->second.refs == 0) {
      channels_.erase(it);
      gone.push_back(c);
    }
  }
  channels_gauge_.set(static_cast<std::int64_t>(channels_.size()));
  for (std::size_t i = 0; i < gone.size(); i += kSubscribeChunk) {
    const auto end = std::min(gone.size(), i + kSubscribeChunk);
    subscriber_->unsubscribe({gone.begin() + static_cast<std::ptrdiff_t>(i),
                              gone.begin() + static_cast<std::ptrdiff_t>(end)});
  }
}

bool Link::confirmed(const std::string& channel) const {
  const auto it = channels_.find(channel);
  return it != channels_.end() && it->second.confirmed;
}

}  // namespace tickwire::cache::redis
