// A host name as a resolver takes it ("redis-1.internal"): what Boost.URL's reg-name is not,
// since it also admits percent-escapes and sub-delimiters ("k1%90", "a!b") that decode to names
// no resolver would find and that would not read back as written.
#pragma once

#include <string_view>

namespace tickwire {

// Letters, digits, '-', '.' and '_' only, and not empty. IP addresses are checked apart (by
// Boost.URL's host type): this is for names.
bool is_host_name(std::string_view name);

}  // namespace tickwire
