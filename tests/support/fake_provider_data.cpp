#include "fake_provider_data.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <algorithm>
#include <cmath>
#include <functional>

namespace tickwire::test {

const std::vector<std::pair<std::string, std::string>>& fake_provider_universe() {
  static const std::vector<std::pair<std::string, std::string>> list = {
      {"AAPL", "Apple Inc."},          {"MSFT", "Microsoft Corporation"},
      {"NVDA", "NVIDIA Corporation"},  {"AMZN", "Amazon.com, Inc."},
      {"GOOGL", "Alphabet Inc."},      {"META", "Meta Platforms, Inc."},
      {"TSLA", "Tesla, Inc."},         {"BRK.B", "Berkshire Hathaway Inc."},
      {"JPM", "JPMorgan Chase & Co."}, {"V", "Visa Inc."},
      {"AMD", "Advanced Micro Devices, Inc."}, {"NFLX", "Netflix, Inc."},
      {"INTC", "Intel Corporation"},   {"ORCL", "Oracle Corporation"},
      {"CSCO", "Cisco Systems, Inc."}, {"IBM", "International Business Machines"},
      {"KO", "The Coca-Cola Company"}, {"PEP", "PepsiCo, Inc."},
      {"WMT", "Walmart Inc."},         {"DIS", "The Walt Disney Company"},
      {"BA", "The Boeing Company"},    {"XOM", "Exxon Mobil Corporation"},
      {"CVX", "Chevron Corporation"},  {"PFE", "Pfizer Inc."},
      {"MRK", "Merck & Co., Inc."},    {"UNH", "UnitedHealth Group"},
      {"HD", "The Home Depot, Inc."},  {"MA", "Mastercard Incorporated"},
      {"BAC", "Bank of America Corporation"}, {"C", "Citigroup Inc."},
      {"GS", "The Goldman Sachs Group"}, {"MS", "Morgan Stanley"},
      {"T", "AT&T Inc."},              {"VZ", "Verizon Communications"},
      {"NKE", "NIKE, Inc."},           {"MCD", "McDonald's Corporation"},
      {"SBUX", "Starbucks Corporation"}, {"ADBE", "Adobe Inc."},
      {"CRM", "Salesforce, Inc."},     {"QCOM", "QUALCOMM Incorporated"},
      {"FAKEPACA", "Alpaca test stream symbol"},
  };
  return list;
}

std::string fake_company_name(const std::string& symbol) {
  for (const auto& [ticker, name] : fake_provider_universe()) {
    if (ticker == symbol) return name;
  }
  return symbol + " Holdings Inc.";
}

double FakePrices::last(const std::string& symbol) {
  auto [it, added] = price_.try_emplace(symbol, 0.0);
  if (added) it->second = 20.0 + static_cast<double>(std::hash<std::string>{}(symbol) % 48000) / 100;
  return it->second;
}

double FakePrices::next(const std::string& symbol) {
  double& p = price_[symbol];
  if (p == 0) p = last(symbol);
  state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;  // a 64-bit LCG
  const double step = (static_cast<double>(state_ >> 11) / 9007199254740992.0 - 0.5) * 0.002;
  p = std::max(0.01, p * (1 + step));
  return std::round(p * 100) / 100;
}

std::string rfc3339_now() { return rfc3339(std::chrono::system_clock::now()); }

std::string rfc3339(std::chrono::system_clock::time_point t) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch());
  const std::time_t secs = static_cast<std::time_t>(ns.count() / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(ns.count() % 1'000'000'000));
  return buf;
}

std::int64_t epoch_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace tickwire::test
