#include "latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <boost/json.hpp>

namespace tickwire::bench {

int LatencyHistogram::bucket_of(std::int64_t micros) {
  const auto v = static_cast<std::uint64_t>(std::max<std::int64_t>(micros, 1));
  const int power = std::min(kPowers - 1, static_cast<int>(std::bit_width(v)) - 1);
  // Position within [2^power, 2^(power+1)) in kSubBuckets steps.
  const auto base = std::uint64_t{1} << power;
  const auto sub = power < 4 ? (v - base) * kSubBuckets / base : (v - base) / (base / kSubBuckets);
  return power * kSubBuckets + static_cast<int>(std::min<std::uint64_t>(sub, kSubBuckets - 1));
}

double LatencyHistogram::upper_bound(int bucket) {
  const int power = bucket / kSubBuckets;
  const int sub = bucket % kSubBuckets;
  const double base = static_cast<double>(std::uint64_t{1} << power);
  return base + base * (sub + 1) / kSubBuckets;
}

void LatencyHistogram::record(std::int64_t micros) {
  ++buckets_[static_cast<std::size_t>(bucket_of(micros))];
  ++count_;
  max_ = std::max(max_, micros);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

double LatencyHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_ - 1)) + 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::min(upper_bound(static_cast<int>(i)), static_cast<double>(max_));
  }
  return static_cast<double>(max_);
}

boost::json::value LatencyHistogram::to_json() const {
  // Sparse: [bucket, count] pairs of the non-empty buckets.
  boost::json::array b;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    if (buckets_[i]) b.push_back(boost::json::array{i, buckets_[i]});
  }
  return boost::json::object{{"buckets", std::move(b)}, {"count", count_}, {"max", max_}};
}

LatencyHistogram LatencyHistogram::from_json(const boost::json::value& v) {
  LatencyHistogram h;
  const auto& o = v.as_object();
  for (const auto& pair : o.at("buckets").as_array()) {
    const auto& p = pair.as_array();
    const auto i = static_cast<std::size_t>(p.at(0).to_number<std::uint64_t>());
    if (i < h.buckets_.size()) h.buckets_[i] = p.at(1).to_number<std::uint64_t>();
  }
  h.count_ = o.at("count").to_number<std::uint64_t>();
  h.max_ = o.at("max").to_number<std::int64_t>();
  return h;
}

}  // namespace tickwire::bench
