#include "tickwire/host_name.hpp"

#include <algorithm>
#include <cctype>

namespace tickwire {
namespace {

// A label glibc's inet_aton reads as a number: decimal or octal digits, or 0x and hex digits.
bool numeric_label(std::string_view label) {
  if (label.size() > 1 && label[0] == '0' && (label[1] == 'x' || label[1] == 'X')) {
    label.remove_prefix(2);
    return std::all_of(label.begin(), label.end(), [](unsigned char c) { return std::isxdigit(c); });
  }
  return !label.empty() &&
         std::all_of(label.begin(), label.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

bool is_host_name(std::string_view name) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '.' || c == '_';
      })) {
    return false;
  }
  // No top-level domain is numeric (RFC 3696, 2), and the resolver reads such a name as an IPv4
  // address in a short form: "10" is 0.0.0.10 and "127.1" is 127.0.0.1.
  if (name.back() == '.') name.remove_suffix(1);
  const auto dot = name.rfind('.');
  return !numeric_label(dot == std::string_view::npos ? name : name.substr(dot + 1));
}

}  // namespace tickwire
