// A consumed record's key and value as views (librdkafka gives pointers and lengths).
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <string_view>

namespace tickwire::cache::kafka {

inline std::string_view key_of(const RdKafka::Message& m) {
  return m.key_pointer() ? std::string_view(static_cast<const char*>(m.key_pointer()), m.key_len())
                         : std::string_view();
}

// Empty for a tombstone too: test m.payload() to tell the two apart.
inline std::string_view value_of(const RdKafka::Message& m) {
  return m.payload() ? std::string_view(static_cast<const char*>(m.payload()), m.len())
                     : std::string_view();
}

}  // namespace tickwire::cache::kafka
