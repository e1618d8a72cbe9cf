// The cache tier's exclusive lease (one provider connection for the whole fleet) over a real
// redis-server: exactly one of several dispatchers holds it, a graceful release hands it over at
// once, a holder that dies (stops renewing) is replaced within about a lease, and a holder that
// cannot reach Redis gives it up before it could lapse there.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <thread>

#include "backend_fixture.hpp"
#include "cache/redis/redis_dispatch_side.hpp"
#include "redis_node_thread.hpp"
#include "redis_server.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;
namespace redis = cache::redis;

constexpr auto kLease = 900ms;

// One dispatcher's cache side on its own thread, asking for the lease.
class Contender {
 public:
  Contender(unsigned short port, const std::string& id) : node_(port, id) {
    side_ = std::make_unique<redis::RedisDispatchSide>(
        node_.link(), node_.metrics(), redis::RedisDispatchSide::Configuration{kLease});
    side_->start();
    node_.run();
    side_->hold_exclusive("provider:test", id, [this](bool held) {
      held_ = held;
      if (held) ++takes_;
    });
  }
  ~Contender() { die(); }

  bool held() const { return held_; }
  int takes() const { return takes_; }
  void release() { side_->release_exclusive("provider:test"); }
  // Stops without giving anything back, as a process killed with -9 would.
  void die() {
    node_.stop([this] { side_->stop(); });
  }

 private:
  std::atomic<bool> held_{false};
  std::atomic<int> takes_{0};
  RedisNodeThread node_;
  std::unique_ptr<redis::RedisDispatchSide> side_;
};

int holders(const std::vector<std::unique_ptr<Contender>>& cs) {
  int n = 0;
  for (const auto& c : cs) n += c && c->held() ? 1 : 0;
  return n;
}

TEST(ExclusiveLease, ExactlyOneHolderAndAKilledHolderIsReplacedWithinTheLease) {
  RedisServer redis("exclusive-lease");
  std::vector<std::unique_ptr<Contender>> cs;
  for (int i = 0; i < 3; ++i) {
    cs.push_back(std::make_unique<Contender>(redis.port(), "d" + std::to_string(i)));
  }
  ASSERT_TRUE(eventually([&] { return holders(cs) == 1; }, 3s));
  // Stays exactly one for a few renewal rounds.
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(holders(cs), 1);
    std::this_thread::sleep_for(kLease / 10);
  }

  auto it = std::find_if(cs.begin(), cs.end(), [](const auto& c) { return c->held(); });
  const auto killed_at = std::chrono::steady_clock::now();
  (*it)->die();
  it->reset();
  ASSERT_TRUE(eventually([&] { return holders(cs) == 1; }, kLease * 2, 5ms));
  const auto took = std::chrono::steady_clock::now() - killed_at;
  EXPECT_LE(took, kLease + kLease / 6 + 300ms)
      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
}

TEST(ExclusiveLease, AReleaseHandsItOverAtOnce) {
  RedisServer redis("exclusive-release");
  std::vector<std::unique_ptr<Contender>> cs;
  cs.push_back(std::make_unique<Contender>(redis.port(), "first"));
  ASSERT_TRUE(eventually([&] { return cs[0]->held(); }, 3s));
  cs.push_back(std::make_unique<Contender>(redis.port(), "second"));
  std::this_thread::sleep_for(kLease / 2);
  EXPECT_FALSE(cs[1]->held());  // the first holder keeps it while alive

  const auto released_at = std::chrono::steady_clock::now();
  cs[0]->release();
  ASSERT_TRUE(eventually([&] { return cs[1]->held(); }, kLease, 5ms));
  EXPECT_LT(std::chrono::steady_clock::now() - released_at, kLease / 2);
}

TEST(ExclusiveLease, AHolderCutOffFromRedisGivesItUpBeforeItCouldLapse) {
  RedisServer redis("exclusive-cutoff");
  Contender holder(redis.port(), "holder");
  ASSERT_TRUE(eventually([&] { return holder.held(); }, 3s));
  redis.stop(SIGKILL);
  // 2/3 of the lease after its last confirmation, well before the key could expire elsewhere.
  ASSERT_TRUE(eventually([&] { return !holder.held(); }, kLease));
  redis.start();  // empty: the holder (which re-claims at once) gets it back
  ASSERT_TRUE(eventually([&] { return holder.held(); }, 5s));
  EXPECT_EQ(holder.takes(), 2);
}

}  // namespace
}  // namespace tickwire::test
