// SSE event ids are "<epoch>.<n>": n counts every quote a hub published, and the epoch names the
// hub's lifetime. A Last-Event-ID from another epoch (the server restarted) or from the future
// cannot be honoured and earns a full snapshot instead of a wrong resume.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tickwire::stream {

struct EventId {
  std::uint64_t epoch = 0;
  std::uint64_t n = 0;

  std::string str() const { return std::to_string(epoch) + "." + std::to_string(n); }

  static std::optional<EventId> parse(std::string_view s) {
    const auto dot = s.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    EventId id;
    auto whole = [](std::string_view part, std::uint64_t& out) {
      const auto r = std::from_chars(part.data(), part.data() + part.size(), out);
      return !part.empty() && r.ec == std::errc() && r.ptr == part.data() + part.size();
    };
    if (!whole(s.substr(0, dot), id.epoch) || !whole(s.substr(dot + 1), id.n)) return std::nullopt;
    return id;
  }
};

}  // namespace tickwire::stream
