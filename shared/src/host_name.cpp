#include "tickwire/host_name.hpp"

#include <algorithm>
#include <cctype>

namespace tickwire {

bool is_host_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_';
  });
}

}  // namespace tickwire
