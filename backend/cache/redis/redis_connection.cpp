#include "cache/redis/redis_connection.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <boost/asio/posix/stream_descriptor.hpp>

#include "cache/redis/pubsub_message.hpp"

namespace tickwire::cache::redis {

namespace asio = boost::asio;

Reply Reply::from(const redisReply* r) {
  if (!r) return error("connection lost");
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STATUS:
      out.kind = Kind::status;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.kind = Kind::error;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.kind = Kind::integer;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
      out.kind = Kind::string;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ARRAY:
      out.kind = Kind::array;
      out.elements.reserve(r->elements);
      for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(from(r->element[i]));
      break;
    default:
      out.kind = Kind::nil;
  }
  return out;
}

// hiredis asks for "watch readability/writability of this fd" through five hooks; this maps
// them onto one Asio descriptor. The descriptor does not own the fd (hiredis closes it), and the
// watcher outlives the context: handlers hold it by shared_ptr and see `ac == nullptr` once
// hiredis has cleaned up.
struct Connection::Watcher : std::enable_shared_from_this<Watcher> {
  Watcher(const asio::any_io_executor& ex, redisAsyncContext* context)
      : sd(ex, context->c.fd), ac(context) {}

  asio::posix::stream_descriptor sd;
  redisAsyncContext* ac;
  bool want_read = false, want_write = false, reading = false, writing = false;

  void arm() {
    if (!ac) return;
    if (want_read && !reading) {
      reading = true;
      sd.async_wait(asio::posix::stream_descriptor::wait_read,
                    [self = shared_from_this()](boost::system::error_code ec) {
                      self->reading = false;
                      if (ec || !self->ac) return;
                      if (self->want_read) redisAsyncHandleRead(self->ac);
                      self->arm();
                    });
    }
    if (want_write && !writing) {
      writing = true;
      sd.async_wait(asio::posix::stream_descriptor::wait_write,
                    [self = shared_from_this()](boost::system::error_code ec) {
                      self->writing = false;
                      if (ec || !self->ac) return;
                      if (self->want_write) redisAsyncHandleWrite(self->ac);
                      self->arm();
                    });
    }
  }

  static Watcher* of(void* p) { return static_cast<Watcher*>(p); }
  static void add_read(void* p) {
    of(p)->want_read = true;
    of(p)->arm();
  }
  static void del_read(void* p) { of(p)->want_read = false; }
  static void add_write(void* p) {
    of(p)->want_write = true;
    of(p)->arm();
  }
  static void del_write(void* p) { of(p)->want_write = false; }
  static void cleanup(void* p) {
    auto* w = of(p);
    w->ac = nullptr;
    w->want_read = w->want_write = false;
    boost::system::error_code ec;
    w->sd.cancel(ec);
    w->sd.release();
  }
};

namespace {
struct PendingReply {
  Connection* connection;
  Connection::OnReply on_reply;
};
Connection* connection_of(const redisAsyncContext* ac) { return static_cast<Connection*>(ac->data); }
}  // namespace

Connection::Connection(asio::any_io_executor ex, Configuration config, Callbacks callbacks,
                       ops::Registry& metrics)
    : ex_(ex),
      config_(std::move(config)),
      callbacks_(std::move(callbacks)),
      retry_timer_(ex),
      ping_timer_(ex),
      connected_(metrics.gauge("tickwire_redis_connected", "1 while this Redis connection is up",
                               {{"connection", config_.name}})),
      losses_(metrics.counter("tickwire_redis_connection_losses_total",
                              "Redis connections lost or refused (each followed by a reconnect)",
                              {{"connection", config_.name}})),
      errors_(metrics.counter("tickwire_redis_command_errors_total",
                              "Redis commands answered with an error or lost with the connection",
                              {{"connection", config_.name}})) {}

Connection::~Connection() {
  stopped_ = true;
  if (ac_) {
    auto* ac = std::exchange(ac_, nullptr);
    redisAsyncFree(ac);
  }
}

void Connection::start() {
  connect();
  arm_ping();
}

void Connection::stop() {
  stopped_ = true;
  retry_timer_.cancel();
  ping_timer_.cancel();
  if (ac_) {
    // Pending replies are answered with errors, then the disconnect callback runs (inert now).
    redisAsyncFree(ac_);
    ac_ = nullptr;
  }
  up_ = false;
  connected_.set(0);
}

void Connection::connect() {
  if (stopped_ || ac_) return;
  connect_started_ = std::chrono::steady_clock::now();
  redisAsyncContext* ac = redisAsyncConnect(config_.host.c_str(), config_.port);
  if (!ac || ac->err) {
    const std::string why = ac ? ac->errstr : "out of memory";
    if (ac) redisAsyncFree(ac);
    losses_.inc();
    spdlog::warn("redis {}: cannot connect to {}:{}: {}", config_.name, config_.host,
                 config_.port, why);
    return schedule_connect();
  }
  ac_ = ac;
  ac->data = this;
  watcher_ = std::make_shared<Watcher>(ex_, ac);
  ac->ev.data = watcher_.get();
  ac->ev.addRead = &Watcher::add_read;
  ac->ev.delRead = &Watcher::del_read;
  ac->ev.addWrite = &Watcher::add_write;
  ac->ev.delWrite = &Watcher::del_write;
  ac->ev.cleanup = &Watcher::cleanup;
  redisAsyncSetConnectCallback(ac, [](const redisAsyncContext* c, int status) {
    connection_of(c)->on_connected(status);
  });
  redisAsyncSetDisconnectCallback(ac, [](const redisAsyncContext* c, int status) {
    connection_of(c)->on_disconnected(status == REDIS_OK ? "closed" : (c->errstr[0] ? c->errstr : "error"));
  });
  // A non-blocking connect completes when the socket turns writable.
  Watcher::add_write(watcher_.get());
}

void Connection::schedule_connect() {
  if (stopped_) return;
  backoff_ = backoff_.count() == 0 ? config_.backoff_min
                                   : std::min(backoff_ * 2, config_.backoff_max);
  retry_timer_.expires_after(backoff_);
  retry_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->connect();
  });
}

void Connection::on_connected(int status) {
  if (status != REDIS_OK) {
    // hiredis frees the context after this callback returns.
    const std::string why = ac_ && ac_->errstr[0] ? ac_->errstr : "refused";
    ac_ = nullptr;
    losses_.inc();
    if (backoff_ < config_.backoff_max || backoff_.count() == 0) {
      spdlog::warn("redis {}: cannot connect to {}:{}: {}", config_.name, config_.host,
                   config_.port, why);
    }
    return schedule_connect();
  }
  up_ = true;
  backoff_ = std::chrono::milliseconds(0);
  ping_outstanding_ = false;
  last_pong_ = std::chrono::steady_clock::now();
  connected_.set(1);
  spdlog::info("redis {}: connected to {}:{}", config_.name, config_.host, config_.port);
  if (callbacks_.on_up) callbacks_.on_up();
}

void Connection::on_disconnected(const std::string& why) {
  // hiredis frees the context after this callback returns.
  const bool was_up = up_;
  ac_ = nullptr;
  up_ = false;
  connected_.set(0);
  if (stopped_) return;
  losses_.inc();
  spdlog::warn("redis {}: connection to {}:{} lost ({}); reconnecting", config_.name,
               config_.host, config_.port, why);
  if (was_up && callbacks_.on_down) callbacks_.on_down(why);
  schedule_connect();
}

void Connection::reconnect(const std::string& why) {
  if (!ac_ || stopped_) return;
  spdlog::warn("redis {}: {}; reconnecting", config_.name, why);
  const bool was_up = up_;
  auto* ac = std::exchange(ac_, nullptr);
  up_ = false;
  connected_.set(0);
  losses_.inc();
  // redisAsyncFree runs the disconnect callback only for connected contexts; ac_ is already
  // cleared, and on_disconnected with ac_ == nullptr and up_ == false does nothing more than a
  // second schedule_connect, which the timer below replaces.
  ac->onDisconnect = nullptr;
  redisAsyncFree(ac);
  if (was_up && callbacks_.on_down) callbacks_.on_down(why);
  schedule_connect();
}

void Connection::arm_ping() {
  ping_timer_.expires_after(config_.ping_interval);
  ping_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped_) return;
    const auto now = std::chrono::steady_clock::now();
    if (self->ac_ && !self->up_ && now - self->connect_started_ > self->config_.timeout) {
      self->reconnect("connect timed out");
    } else if (self->up_ && !self->config_.subscriber) {
      if (self->ping_outstanding_ && now - self->last_pong_ > self->config_.timeout) {
        self->reconnect("no answer to PING");
      } else if (!self->ping_outstanding_) {
        self->ping_outstanding_ = true;
        self->command({"PING"}, [self](const Reply& r) {
          self->ping_outstanding_ = false;
          if (r.ok()) self->last_pong_ = std::chrono::steady_clock::now();
        });
      }
    }
    self->arm_ping();
  });
}

bool Connection::send(const std::vector<std::string>& args,
                      void (*fn)(redisAsyncContext*, void*, void*), void* privdata) {
  if (!up_ || !ac_) return false;
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  return redisAsyncCommandArgv(ac_, fn, privdata, static_cast<int>(args.size()), argv.data(),
                               lens.data()) == REDIS_OK;
}

void Connection::reply_trampoline(redisAsyncContext* ac, void* reply, void* privdata) {
  std::unique_ptr<PendingReply> p(static_cast<PendingReply*>(privdata));
  auto* self = p->connection;
  (void)ac;
  --self->pending_;
  const auto r = Reply::from(static_cast<redisReply*>(reply));
  if (!reply) self->up_ = false;  // being torn down: refuse new commands from the callback
  if (!r.ok()) {
    self->errors_.inc();
    if (reply) spdlog::warn("redis {}: command failed: {}", self->config_.name, r.str);
  }
  if (p->on_reply) p->on_reply(r);
}

bool Connection::command(const std::vector<std::string>& args, OnReply on_reply) {
  auto* p = new PendingReply{this, std::move(on_reply)};
  if (!send(args, &Connection::reply_trampoline, p)) {
    delete p;
    return false;
  }
  ++pending_;
  return true;
}

void Connection::subscription_trampoline(redisAsyncContext* ac, void* reply, void*) {
  if (!reply) return;  // the context is going away; on_disconnected follows
  connection_of(ac)->on_subscription_reply(Reply::from(static_cast<redisReply*>(reply)));
}

void Connection::on_subscription_reply(const Reply& r) {
  const auto push = read_pubsub_push(r);
  if (!push) return;
  if (push->kind == PubSubPush::Kind::message) {
    if (callbacks_.on_message) callbacks_.on_message(push->channel, push->payload);
  } else {
    if (callbacks_.on_subscribed) callbacks_.on_subscribed(push->channel);
  }
}

bool Connection::subscribe(const std::vector<std::string>& channels) {
  if (channels.empty()) return true;
  std::vector<std::string> args{"SUBSCRIBE"};
  args.insert(args.end(), channels.begin(), channels.end());
  return send(args, &Connection::subscription_trampoline, nullptr);
}

bool Connection::unsubscribe(const std::vector<std::string>& channels) {
  if (channels.empty()) return true;
  std::vector<std::string> args{"UNSUBSCRIBE"};
  args.insert(args.end(), channels.begin(), channels.end());
  return send(args, &Connection::subscription_trampoline, nullptr);
}

}  // namespace tickwire::cache::redis
