#include "dispatch/rendezvous.hpp"

namespace tickwire::dispatch {

std::uint64_t rendezvous_weight(std::string_view member, std::string_view symbol) noexcept {
  // FNV-1a over "member \0 symbol", then the splitmix64 finaliser to spread the bits.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
  };
  mix(member);
  h ^= 0;
  h *= 0x100000001b3ULL;
  mix(symbol);
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

std::string rendezvous_owner(std::string_view symbol, const std::vector<std::string>& members) {
  const std::string* best = nullptr;
  std::uint64_t best_weight = 0;
  for (const auto& m : members) {
    const auto w = rendezvous_weight(m, symbol);
    // Ties (practically impossible) go to the smaller id so every node agrees.
    if (!best || w > best_weight || (w == best_weight && m < *best)) {
      best = &m;
      best_weight = w;
    }
  }
  return best ? *best : std::string();
}

}  // namespace tickwire::dispatch
