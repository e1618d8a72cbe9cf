// Process-wide metrics with Prometheus text exposition.
//
// Written here rather than taken from a library because Debian 12 packages no C++ Prometheus
// client, and because the hot path (every delivery, every quote) needs lock-free updates:
// counters, gauges and histogram buckets are plain relaxed atomics; only registration and
// rendering take the registry lock. Metric objects live as long as the registry and their
// addresses never change, so components keep references to them.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tickwire::ops {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(std::int64_t v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void add(std::int64_t d) noexcept { value_.fetch_add(d, std::memory_order_relaxed); }
  std::int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double v) noexcept;
  const std::vector<double>& bounds() const noexcept { return bounds_; }
  // Cumulative counts per bound (Prometheus `le` semantics), then the total count.
  std::vector<std::uint64_t> cumulative() const;
  double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }
  std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  // Estimated quantile (0..1) by linear interpolation inside the bucket, as PromQL does.
  double quantile(double q) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1 (+Inf)
  std::atomic<double> sum_{0};
  std::atomic<std::uint64_t> count_{0};
};

// Latency buckets from 100 µs to 10 s, in seconds.
std::vector<double> latency_buckets();

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The same name and labels always return the same object, so independent components can
  // share a series. `help` is taken from the first registration of a name.
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help,
                       std::vector<double> bounds, const Labels& labels = {});
  // A gauge computed when scraped (sizes of tables owned by other components). The function
  // runs on the scraping thread and must be thread-safe; it is removed with the returned handle.
  class CallbackHandle;
  [[nodiscard]] CallbackHandle gauge_callback(const std::string& name, const std::string& help,
                                              const Labels& labels, std::function<double()> fn);

  std::string render_prometheus() const;

  // Every series as "name{labels}" -> value; a histogram gives its count and its
  // interpolated p50 and p99 as "name:count", "name:p50", "name:p99".
  struct Sample {
    std::string series;
    double value;
  };
  std::vector<Sample> samples() const;

  class CallbackHandle {
   public:
    CallbackHandle() = default;
    CallbackHandle(CallbackHandle&& o) noexcept : reg_(std::exchange(o.reg_, nullptr)), id_(o.id_) {}
    CallbackHandle& operator=(CallbackHandle&& o) noexcept;
    ~CallbackHandle();

   private:
    friend class Registry;
    CallbackHandle(Registry* r, std::uint64_t id) : reg_(r), id_(id) {}
    Registry* reg_ = nullptr;
    std::uint64_t id_ = 0;
  };

 private:
  struct Impl;
  void remove_callback(std::uint64_t id);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tickwire::ops
