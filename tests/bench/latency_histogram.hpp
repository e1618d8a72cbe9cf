// Latency histogram for the load generator: log-linear buckets (16 per power of two, so any
// value is within ~4% of its bucket's bound) from 1 µs to ~1 hour, mergeable across worker
// processes (plain counts) and small enough to send as one JSON line. A bench tool would
// normally use HdrHistogram; Debian has no C++ package of it, and this is 40 lines.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include <boost/json/value.hpp>

namespace tickwire::bench {

class LatencyHistogram {
 public:
  static constexpr int kSubBuckets = 16;
  static constexpr int kPowers = 32;  // 2^32 µs ~ 71 minutes
  void record(std::int64_t micros);
  void merge(const LatencyHistogram& other);
  std::uint64_t count() const noexcept { return count_; }
  std::int64_t max() const noexcept { return max_; }
  // The value at quantile q (0..1), in µs: the upper bound of the bucket holding it.
  double quantile(double q) const;

  boost::json::value to_json() const;
  static LatencyHistogram from_json(const boost::json::value& v);

 private:
  static int bucket_of(std::int64_t micros);
  static double upper_bound(int bucket);
  std::array<std::uint64_t, kSubBuckets * kPowers> buckets_{};
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace tickwire::bench
