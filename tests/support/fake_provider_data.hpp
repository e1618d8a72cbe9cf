// What the fake providers trade: a list of real tickers with names, and a deterministic random
// walk of prices per symbol, shared by fake_alpaca and fake_finnhub.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tickwire::test {

// Ticker and company name.
const std::vector<std::pair<std::string, std::string>>& fake_provider_universe();
// The name of a ticker in that list, else one made from the ticker (a test's own universe).
std::string fake_company_name(const std::string& symbol);

class FakePrices {
 public:
  // The next price of `symbol` (a step of at most 0.1% from the last).
  double next(const std::string& symbol);
  double last(const std::string& symbol);

 private:
  std::map<std::string, double> price_;
  std::uint64_t state_ = 0x9e3779b97f4a7c15ULL;
};

// Event times as providers write them.
std::string rfc3339(std::chrono::system_clock::time_point t);  // "2026-12-03T15:04:05.123456789Z"
std::string rfc3339_now();
std::int64_t epoch_ms_now();

}  // namespace tickwire::test
