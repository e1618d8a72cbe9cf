#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "ops/metrics.hpp"

namespace tickwire::ops {
namespace {

TEST(Metrics, SameNameAndLabelsIsTheSameSeries) {
  Registry r;
  auto& a = r.counter("x_total", "help", {{"reason", "a"}});
  auto& a2 = r.counter("x_total", "other help", {{"reason", "a"}});
  auto& b = r.counter("x_total", "help", {{"reason", "b"}});
  EXPECT_EQ(&a, &a2);
  EXPECT_NE(&a, &b);
  EXPECT_THROW(r.gauge("x_total", "help"), std::logic_error);
}

TEST(Metrics, RendersPrometheusText) {
  Registry r;
  r.counter("req_total", "Requests", {{"reason", "bad \"q\"\n"}}).inc(3);
  r.gauge("conns", "Connections").set(-2);
  auto& h = r.histogram("lat_seconds", "Latency", {0.1, 1});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(5);
  auto handle = r.gauge_callback("live", "Computed", {}, [] { return 1.5; });
  const auto text = r.render_prometheus();
  EXPECT_NE(text.find("# HELP req_total Requests\n# TYPE req_total counter\n"
                      "req_total{reason=\"bad \\\"q\\\"\\n\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("conns -2\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"0.1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_sum 5.55\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_count 3\n"), std::string::npos);
  EXPECT_NE(text.find("live 1.5\n"), std::string::npos);
}

TEST(Metrics, CallbackGaugeGoesAwayWithItsHandle) {
  Registry r;
  {
    auto handle = r.gauge_callback("temp", "t", {}, [] { return 1.0; });
    EXPECT_NE(r.render_prometheus().find("temp 1"), std::string::npos);
  }
  EXPECT_EQ(r.render_prometheus().find("temp"), std::string::npos);
}

TEST(Metrics, HistogramQuantileInterpolatesWithinBuckets) {
  Histogram h({1, 2, 4});
  for (int i = 0; i < 100; ++i) h.observe(1.5);
  EXPECT_GT(h.quantile(0.5), 1.0);
  EXPECT_LE(h.quantile(0.5), 2.0);
  Histogram empty({1});
  EXPECT_EQ(empty.quantile(0.99), 0);
}

TEST(Metrics, UpdatesFromManyThreadsAddUpExactly) {
  // Each thread writes its own stripe; reads must add every stripe, whichever threads wrote.
  Registry r;
  auto& c = r.counter("n_total", "help");
  auto& h = r.histogram("h_seconds", "help", {0.001, 0.01});
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {  // more threads than stripes
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
        h.observe(t % 2 ? 0.005 : 0.5);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.value(), 120000u);
  EXPECT_EQ(h.count(), 120000u);
  EXPECT_EQ(h.cumulative(), (std::vector<std::uint64_t>{0, 60000, 120000}));
  EXPECT_NEAR(h.sum(), 60000 * 0.005 + 60000 * 0.5, 1e-6);  // added in a different order
}

}  // namespace
}  // namespace tickwire::ops
