// Process-wide metrics with Prometheus text exposition.
//
// Written here rather than taken from a library because Debian 12 packages no C++ Prometheus
// client, and because the hot path (every delivery, every quote) needs lock-free updates:
// counters, gauges and histogram buckets are relaxed atomics (counters and histograms striped
// per thread, see detail::stripe); only registration and rendering take the registry lock. Metric objects live as long as the registry and their
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

namespace detail {
// Updates from different threads go to different cache lines ("stripes"), so the shard threads
// counting every delivery do not pass one line back and forth; reads add the stripes up.
inline constexpr std::size_t kStripes = 8;
std::size_t next_stripe() noexcept;
inline std::size_t stripe() noexcept {
  thread_local const std::size_t mine = next_stripe();
  return mine;
}
struct alignas(64) Cell {
  std::atomic<std::uint64_t> v{0};
};
}  // namespace detail

class Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept {
    cells_[detail::stripe()].v.fetch_add(n, std::memory_order_relaxed);
  }
  std::uint64_t value() const noexcept {
    std::uint64_t total = 0;
    for (const auto& c : cells_) total += c.v.load(std::memory_order_relaxed);
    return total;
  }

 private:
  detail::Cell cells_[detail::kStripes];
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
  double sum() const noexcept;
  std::uint64_t count() const noexcept;
  // Estimated quantile (0..1) by linear interpolation inside the bucket, as PromQL does.
  double quantile(double q) const;

 private:
  // One stripe per detail::stripe(): its count, its sum, then bounds_.size() + 1 buckets (+Inf),
  // laid out in whole cache lines.
  struct alignas(64) Line {
    std::atomic<std::uint64_t> v[8];
  };
  std::atomic<std::uint64_t>& slot(std::size_t stripe, std::size_t i) const noexcept {
    return lines_[stripe * lines_per_stripe_ + i / 8].v[i % 8];
  }
  std::vector<double> bounds_;
  std::size_t lines_per_stripe_;
  std::unique_ptr<Line[]> lines_;
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
