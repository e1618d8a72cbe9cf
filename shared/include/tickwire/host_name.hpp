// A host name as a resolver takes it ("redis-1.internal"): what Boost.URL's reg-name is not,
// since it also admits percent-escapes and sub-delimiters ("k1%90", "a!b") that decode to names
// no resolver would find and that would not read back as written.
#pragma once

#include <string_view>

namespace tickwire {

// Letters, digits, '-', '.' and '_' only, not empty, and not ending in a numeric label ("10",
// "127.1", "0x7f.1"), which the resolver would read as an IPv4 address in a short form. IP
// addresses are checked apart (by Boost.URL's host type): this is for names.
bool is_host_name(std::string_view name);

// The rule above as an error message gives it, after the refused name.
inline constexpr std::string_view kHostNameRule =
    "(a name is letters, digits, '-', '.' and '_', and does not end in a number: write an IPv4 "
    "address in full, as 10.0.0.1)";

}  // namespace tickwire
