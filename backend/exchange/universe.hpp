// The exchange simulator's listed symbols: well-known US tickers with their company names and
// plausible prices first (most popular first), then deterministic synthetic listings up to the
// requested size. Popularity is the order: the simulator ticks earlier symbols more often.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tickwire::exchange {

struct Listing {
  std::string symbol;
  std::string name;
  double reference_price;  // yesterday's close
};

// At least `size` listings (never fewer than the real ones); the same seed gives the same list.
std::vector<Listing> make_universe(std::size_t size, std::uint64_t seed);

// How many of the listings are real companies (the rest are synthetic).
std::size_t real_listing_count();

}  // namespace tickwire::exchange
