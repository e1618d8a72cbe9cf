#include "ops/metrics.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <deque>
#include <map>
#include <stdexcept>

namespace tickwire::ops {

namespace detail {
std::size_t next_stripe() noexcept {
  static std::atomic<std::size_t> next{0};
  return next.fetch_add(1, std::memory_order_relaxed) % kStripes;
}
}  // namespace detail

namespace {
constexpr std::size_t kCount = 0, kSum = 1, kBuckets = 2;  // slots in a histogram stripe
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      lines_per_stripe_((kBuckets + bounds_.size() + 1 + 7) / 8),
      lines_(std::make_unique<Line[]>(detail::kStripes * lines_per_stripe_)) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end())) {
    throw std::invalid_argument("histogram bounds must be sorted");
  }
  for (std::size_t i = 0; i < detail::kStripes * lines_per_stripe_; ++i) {
    for (auto& v : lines_[i].v) v.store(0, std::memory_order_relaxed);
  }
}

void Histogram::observe(double v) noexcept {
  const auto idx = static_cast<std::size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  const auto s = detail::stripe();
  slot(s, kBuckets + idx).fetch_add(1, std::memory_order_relaxed);
  slot(s, kCount).fetch_add(1, std::memory_order_relaxed);
  // The sum as the bits of a double: only this stripe's threads add to it, rarely at once, so
  // the compare-exchange loop almost never repeats.
  auto& sum = slot(s, kSum);
  auto old = sum.load(std::memory_order_relaxed);
  while (!sum.compare_exchange_weak(
      old, std::bit_cast<std::uint64_t>(std::bit_cast<double>(old) + v), std::memory_order_relaxed)) {
  }
}

double Histogram::sum() const noexcept {
  double total = 0;
  for (std::size_t s = 0; s < detail::kStripes; ++s) {
    total += std::bit_cast<double>(slot(s, kSum).load(std::memory_order_relaxed));
  }
  return total;
}

std::uint64_t Histogram::count() const noexcept {
  std::uint64_t total = 0;
  for (std::size_t s = 0; s < detail::kStripes; ++s) total += slot(s, kCount).load(std::memory_order_relaxed);
  return total;
}

std::vector<std::uint64_t> Histogram::cumulative() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t acc = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    for (std::size_t s = 0; s < detail::kStripes; ++s) {
      acc += slot(s, kBuckets + i).load(std::memory_order_relaxed);
    }
    out[i] = acc;
  }
  return out;
}

double Histogram::quantile(double q) const {
  const auto cum = cumulative();
  const auto total = cum.back();
  if (total == 0) return 0;
  const double rank = q * static_cast<double>(total);
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (static_cast<double>(cum[i]) >= rank) {
      const double lo = i == 0 ? 0 : bounds_[i - 1];
      const double below = i == 0 ? 0 : static_cast<double>(cum[i - 1]);
      const double in_bucket = static_cast<double>(cum[i]) - below;
      return in_bucket == 0 ? bounds_[i] : lo + (bounds_[i] - lo) * (rank - below) / in_bucket;
    }
  }
  return bounds_.empty() ? 0 : bounds_.back();  // in the +Inf bucket: the largest finite bound
}

std::vector<double> latency_buckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1,      2.5,    5,     10};
}

namespace {

enum class Kind { counter, gauge, histogram };

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::counter: return "counter";
    case Kind::gauge: return "gauge";
    case Kind::histogram: return "histogram";
  }
  return "untyped";
}

void append_escaped(std::string& out, const std::string& v) {
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

std::string label_text(const Labels& labels, const char* extra_key = nullptr,
                       const std::string& extra_value = {}) {
  if (labels.empty() && !extra_key) return {};
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    append_escaped(out, v);
    out += '"';
  }
  if (extra_key) {
    if (!first) out += ',';
    out += extra_key;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
  return out;
}

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

}  // namespace

struct Registry::Impl {
  struct Series {
    Labels labels;
    Counter* counter = nullptr;
    Gauge* gauge = nullptr;
    Histogram* histogram = nullptr;
    std::function<double()> callback;
    std::uint64_t callback_id = 0;
  };
  struct Family {
    std::string help;
    Kind kind;
    std::vector<Series> series;
  };

  mutable std::mutex mu;
  std::map<std::string, Family> families;  // sorted: stable, diffable output
  std::deque<Counter> counters;            // deque: element addresses never move
  std::deque<Gauge> gauges;
  std::deque<Histogram> histograms;
  std::uint64_t next_callback_id = 1;

  Family& family(const std::string& name, const std::string& help, Kind kind) {
    auto [it, inserted] = families.try_emplace(name, Family{help, kind, {}});
    if (!inserted && it->second.kind != kind) {
      throw std::logic_error("metric " + name + " registered with two types");
    }
    return it->second;
  }
  static Series* find(Family& f, const Labels& labels) {
    for (auto& s : f.series) {
      if (s.labels == labels && !s.callback) return &s;
    }
    return nullptr;
  }
};

Registry::Registry() : impl_(std::make_unique<Impl>()) {}
Registry::~Registry() = default;

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(impl_->mu);
  auto& f = impl_->family(name, help, Kind::counter);
  if (auto* s = Impl::find(f, labels)) return *s->counter;
  auto& c = impl_->counters.emplace_back();
  f.series.push_back({labels, &c, nullptr, nullptr, {}, 0});
  return c;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(impl_->mu);
  auto& f = impl_->family(name, help, Kind::gauge);
  if (auto* s = Impl::find(f, labels)) return *s->gauge;
  auto& g = impl_->gauges.emplace_back();
  f.series.push_back({labels, nullptr, &g, nullptr, {}, 0});
  return g;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               std::vector<double> bounds, const Labels& labels) {
  std::lock_guard lock(impl_->mu);
  auto& f = impl_->family(name, help, Kind::histogram);
  if (auto* s = Impl::find(f, labels)) return *s->histogram;
  auto& h = impl_->histograms.emplace_back(std::move(bounds));
  f.series.push_back({labels, nullptr, nullptr, &h, {}, 0});
  return h;
}

Registry::CallbackHandle Registry::gauge_callback(const std::string& name, const std::string& help,
                                                  const Labels& labels,
                                                  std::function<double()> fn) {
  std::lock_guard lock(impl_->mu);
  auto& f = impl_->family(name, help, Kind::gauge);
  const auto id = impl_->next_callback_id++;
  f.series.push_back({labels, nullptr, nullptr, nullptr, std::move(fn), id});
  return CallbackHandle(this, id);
}

void Registry::remove_callback(std::uint64_t id) {
  std::lock_guard lock(impl_->mu);
  for (auto& [name, f] : impl_->families) {
    std::erase_if(f.series, [id](const Impl::Series& s) { return s.callback_id == id; });
  }
}

Registry::CallbackHandle& Registry::CallbackHandle::operator=(CallbackHandle&& o) noexcept {
  if (this != &o) {
    if (reg_) reg_->remove_callback(id_);
    reg_ = std::exchange(o.reg_, nullptr);
    id_ = o.id_;
  }
  return *this;
}

Registry::CallbackHandle::~CallbackHandle() {
  if (reg_) reg_->remove_callback(id_);
}

std::vector<Registry::Sample> Registry::samples() const {
  std::lock_guard lock(impl_->mu);
  std::vector<Sample> out;
  for (const auto& [name, f] : impl_->families) {
    for (const auto& s : f.series) {
      const auto series = name + label_text(s.labels);
      if (s.histogram) {
        out.push_back({series + ":count", static_cast<double>(s.histogram->count())});
        out.push_back({series + ":p50", s.histogram->quantile(0.5)});
        out.push_back({series + ":p99", s.histogram->quantile(0.99)});
      } else if (s.counter) {
        out.push_back({series, static_cast<double>(s.counter->value())});
      } else if (s.gauge) {
        out.push_back({series, static_cast<double>(s.gauge->value())});
      } else {
        out.push_back({series, s.callback()});
      }
    }
  }
  return out;
}

std::string Registry::render_prometheus() const {
  std::lock_guard lock(impl_->mu);
  std::string out;
  out.reserve(8192);
  for (const auto& [name, f] : impl_->families) {
    if (f.series.empty()) continue;
    out += "# HELP " + name + " " + f.help + "\n";
    out += "# TYPE " + name + " " + kind_name(f.kind) + "\n";
    for (const auto& s : f.series) {
      if (s.histogram) {
        const auto cum = s.histogram->cumulative();
        const auto& b = s.histogram->bounds();
        for (std::size_t i = 0; i <= b.size(); ++i) {
          out += name + "_bucket" +
                 label_text(s.labels, "le", i < b.size() ? number(b[i]) : std::string("+Inf")) +
                 " " + std::to_string(cum[i]) + "\n";
        }
        out += name + "_sum" + label_text(s.labels) + " " + number(s.histogram->sum()) + "\n";
        out += name + "_count" + label_text(s.labels) + " " + std::to_string(cum.back()) + "\n";
        continue;
      }
      out += name + label_text(s.labels) + " ";
      if (s.counter) out += std::to_string(s.counter->value());
      else if (s.gauge) out += std::to_string(s.gauge->value());
      else out += number(s.callback());
      out += '\n';
    }
  }
  return out;
}

}  // namespace tickwire::ops
