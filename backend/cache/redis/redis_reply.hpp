// A Redis reply as an owned C++ value: hiredis frees its redisReply when the callback returns,
// so whatever outlives the callback is copied into this first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct redisReply;

namespace tickwire::cache::redis {

struct Reply {
  enum class Kind { nil, status, error, integer, string, array };
  Kind kind = Kind::nil;
  std::string str;  // status, error and string replies
  long long integer = 0;
  std::vector<Reply> elements;

  bool ok() const noexcept { return kind != Kind::error; }
  static Reply from(const redisReply* r);  // null (connection lost) becomes an error reply
  static Reply error(std::string message) { return {Kind::error, std::move(message), 0, {}}; }
};

}  // namespace tickwire::cache::redis
