// The Redis link and the cache tier's Lua scripts against a real redis-server: what must hold
// atomically inside Redis (newest seq wins, leases expire by Redis's clock, a dead frontend's
// demand leaves the union) and the link surviving a Redis restart.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <csignal>
#include <future>
#include <set>
#include <thread>

#include "cache/redis/redis_keys.hpp"
#include "cache/redis/redis_link.hpp"
#include "redis_node_thread.hpp"
#include "redis_server.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;
namespace redis = cache::redis;
namespace scripts = cache::redis::scripts;
namespace keys = cache::redis::keys;
using redis::Reply;

// A Link on its own thread; calls block until Redis answers.
class LinkFixture {
  // Runs `f` on the link's thread and returns its result.
  template <class F> auto on_link(F f) -> decltype(f()) {
    std::promise<decltype(f())> p;
    boost::asio::post(node_.ioc(), [&] { p.set_value(f()); });
    return p.get_future().get();
  }
  template <class Send> Reply call(Send send) {
    auto p = std::make_shared<std::promise<Reply>>();
    auto f = p->get_future();
    const bool sent = on_link([&] { return send([p](const Reply& r) { p->set_value(r); }); });
    if (!sent) return Reply::error("not sent");
    if (f.wait_for(5s) != std::future_status::ready) return Reply::error("no answer");
    return f.get();
  }

 public:
  explicit LinkFixture(unsigned short port, const std::string& node = "test-node")
      : node_(port, node) {
    node_.link().on_ready([this] { ++readies_; });
    node_.link().on_lost([this] { ++losses_; });
    node_.run();
  }

  bool wait_ready(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (on_link([this] { return node_.link().ready(); })) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
  Reply eval(const scripts::Script& s, std::vector<std::string> k, std::vector<std::string> a) {
    return call([&](auto done) { return node_.link().eval(s, k, a, done); });
  }
  Reply command(std::vector<std::string> args) {
    return call([&](auto done) { return node_.link().command(args, done); });
  }
  int readies() const { return readies_; }
  int losses() const { return losses_; }

 private:
  std::atomic<int> readies_{0}, losses_{0};
  RedisNodeThread node_;
};

// The answer for the one quote of a publish_quotes call.
Reply first(const Reply& r) {
  return r.kind == Reply::Kind::array && r.elements.size() == 1 ? r.elements[0] : Reply::error("?");
}

TEST(RedisLink, PublishQuoteKeepsOnlyTheNewestSeqComparedAsNumbers) {
  RedisServer server("link-publish-redis");
  LinkFixture link(server.port());
  ASSERT_TRUE(link.wait_ready(5s));
  const auto key = keys::quote("AAPL");
  const auto channel = keys::quote_channel("AAPL");
  auto publish = [&](const std::string& seq, const std::string& ts = "7") {
    return first(
        link.eval(scripts::publish_quotes, {key}, {seq, "{\"seq\":" + seq + "}", channel, ts}));
  };
  // A rejected quote is answered with what Redis holds: {seq, ts}.
  auto held = [](const Reply& r) {
    return r.kind == Reply::Kind::array && r.elements.size() == 2
               ? r.elements[0].str + "@" + r.elements[1].str
               : std::string("not a rejection");
  };
  EXPECT_EQ(publish("999", "41").integer, 1);
  EXPECT_EQ(held(publish("999")), "999@41");  // the same seq again: stale
  EXPECT_EQ(held(publish("998")), "999@41");  // older
  EXPECT_EQ(publish("1000").integer, 1);  // more digits is newer, although "1000" < "999" as text
  EXPECT_EQ(held(publish("99")), "1000@7");
  // Beyond 2^53, where Lua's numbers would round: still exact.
  EXPECT_EQ(publish("18446744073709551614").integer, 1);
  EXPECT_EQ(publish("18446744073709551615").integer, 1);
  EXPECT_EQ(held(publish("18446744073709551614")), "18446744073709551615@7");
  EXPECT_EQ(link.command({"HGET", key, "seq"}).str, "18446744073709551615");

  // Several quotes in one call, a symbol twice: each answered in order.
  const auto msft = keys::quote("MSFT"), msft_channel = keys::quote_channel("MSFT");
  const auto batch = link.eval(scripts::publish_quotes, {msft, key, msft},
                               {"5", "{}", msft_channel, "1", "3", "{}", channel, "1", "6", "{}",
                                msft_channel, "2"});
  ASSERT_EQ(batch.elements.size(), 3u);
  EXPECT_EQ(batch.elements[0].integer, 1);
  EXPECT_EQ(held(batch.elements[1]), "18446744073709551615@7");
  EXPECT_EQ(batch.elements[2].integer, 1);
  EXPECT_EQ(link.command({"HGET", msft, "seq"}).str, "6");
}

TEST(RedisLink, LeasesExpireByRedisClockAndDeadFrontendsLeaveTheDemand) {
  RedisServer server("link-lease-redis");
  LinkFixture link(server.port());
  ASSERT_TRUE(link.wait_ready(5s));
  auto renew = [&](const std::string& member, const std::string& ttl_ms) {
    return link.eval(scripts::renew_lease, {keys::frontends, keys::demand(member)},
                     {member, ttl_ms, keys::demand_changed})
        .integer;
  };
  link.command({"SADD", keys::demand("fe-a"), "AAPL", "MSFT"});
  link.command({"SADD", keys::demand("fe-b"), "MSFT", "IBM"});
  EXPECT_EQ(renew("fe-a", "300"), 1);  // a new registration
  EXPECT_EQ(renew("fe-a", "300"), 0);  // a renewal
  EXPECT_EQ(renew("fe-b", "60000"), 1);

  auto demand = [&] {
    std::set<std::string> out;
    for (const auto& e : link.eval(scripts::demand_union, {keys::frontends}, {keys::demand_prefix})
                             .elements) {
      out.insert(e.str);
    }
    return out;
  };
  EXPECT_EQ(demand(), (std::set<std::string>{"AAPL", "IBM", "MSFT"}));
  std::this_thread::sleep_for(400ms);  // fe-a stops renewing: its lease runs out
  EXPECT_EQ(demand(), (std::set<std::string>{"IBM", "MSFT"}));
  EXPECT_EQ(link.command({"EXISTS", keys::demand("fe-a")}).integer, 0);  // its set is gone
  EXPECT_EQ(renew("fe-a", "300"), 1);  // coming back counts as new: it must re-register

  // live_members drops expired members the same way.
  link.eval(scripts::renew_lease, {keys::dispatchers, ""}, {"d1", "200", keys::dispatchers_changed});
  link.eval(scripts::renew_lease, {keys::dispatchers, ""}, {"d2", "60000", keys::dispatchers_changed});
  EXPECT_EQ(link.eval(scripts::live_members, {keys::dispatchers}, {keys::dispatchers_changed})
                .elements.size(),
            2u);
  std::this_thread::sleep_for(300ms);
  const auto live = link.eval(scripts::live_members, {keys::dispatchers}, {keys::dispatchers_changed});
  ASSERT_EQ(live.elements.size(), 1u);
  EXPECT_EQ(live.elements[0].str, "d2");
}

TEST(RedisLink, ReconnectsAndReloadsScriptsAfterRedisRestarts) {
  RedisServer server("link-restart-redis");
  LinkFixture link(server.port());
  ASSERT_TRUE(link.wait_ready(5s));
  EXPECT_EQ(link.readies(), 1);
  server.stop(SIGKILL);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(link.losses(), 1);
  EXPECT_TRUE(link.command({"PING"}).kind == Reply::Kind::error);  // refused while down
  server.start();
  ASSERT_TRUE(link.wait_ready(5s));
  EXPECT_EQ(link.readies(), 2);
  // The restarted Redis has an empty script cache: scripts were loaded again on connect.
  EXPECT_EQ(first(link.eval(scripts::publish_quotes, {keys::quote("MSFT")},
                            {"5", "{}", keys::quote_channel("MSFT"), "1"}))
                .integer,
            1);
  // And a script flushed behind the link's back still runs (NOSCRIPT falls back to EVAL).
  EXPECT_EQ(link.command({"SCRIPT", "FLUSH"}).str, "OK");
  EXPECT_EQ(first(link.eval(scripts::publish_quotes, {keys::quote("MSFT")},
                            {"6", "{}", keys::quote_channel("MSFT"), "2"}))
                .integer,
            1);
}

}  // namespace
}  // namespace tickwire::test
