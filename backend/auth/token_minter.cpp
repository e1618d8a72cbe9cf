#include "auth/token_minter.hpp"

#include <jwt.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>
#include <stdexcept>

#include "tickwire/symbol.hpp"

namespace tickwire::auth {

namespace {

struct JwtFree {
  void operator()(jwt_t* j) const noexcept { jwt_free(j); }
};
struct CharFree {
  void operator()(char* s) const noexcept { std::free(s); }  // libjwt 1.10 has no jwt_free_str
};

void check(int rc, const char* what) {
  if (rc == ENOMEM) throw std::bad_alloc();
  if (rc != 0) throw std::runtime_error(std::string("libjwt: cannot ") + what);
}

}  // namespace

std::string mint_hs256(std::string_view secret, std::string_view sub, std::int64_t now_unix,
                       std::int64_t ttl_seconds,
                       const std::optional<std::vector<std::string>>& symbols) {
  if (secret.size() < kMinSecretBytes) {
    throw std::invalid_argument("the secret is shorter than " + std::to_string(kMinSecretBytes) +
                                " bytes, which HS256 requires");
  }
  if (sub.empty()) throw std::invalid_argument("the subject (sub) is empty");
  if (sub.find('\0') != std::string_view::npos) {
    throw std::invalid_argument("the subject (sub) holds a NUL byte");  // libjwt takes C strings
  }
  if (ttl_seconds < 1 || now_unix > std::numeric_limits<std::int64_t>::max() - ttl_seconds) {
    throw std::invalid_argument("the lifetime (ttl) must be at least one second");
  }
  const bool every = symbols && symbols->size() == 1 && symbols->front() == "*";
  if (symbols && !every) {
    for (const auto& s : *symbols) {
      // The operator's own input, so naming it helps and reveals nothing.
      if (!is_valid_symbol(s)) throw std::invalid_argument("not a valid symbol: '" + s + "'");
    }
  }

  jwt_t* raw = nullptr;
  check(jwt_new(&raw), "create a token");
  const std::unique_ptr<jwt_t, JwtFree> jwt(raw);
  check(jwt_add_grant(jwt.get(), "sub", std::string(sub).c_str()), "add sub");
  check(jwt_add_grant_int(jwt.get(), "iat", static_cast<long>(now_unix)), "add iat");
  check(jwt_add_grant_int(jwt.get(), "exp", static_cast<long>(now_unix + ttl_seconds)), "add exp");
  if (symbols) {
    // libjwt 1.10 adds arrays only as JSON text.
    boost::json::array list;
    for (const auto& s : *symbols) list.emplace_back(s);
    const auto json = boost::json::serialize(boost::json::object{{"symbols", std::move(list)}});
    check(jwt_add_grants_json(jwt.get(), json.c_str()), "add symbols");
  }
  check(jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret.data()),
                    static_cast<int>(secret.size())),
        "set the HS256 key");
  const std::unique_ptr<char, CharFree> token(jwt_encode_str(jwt.get()));
  if (!token) throw std::runtime_error("libjwt: cannot encode the token");
  return token.get();
}

}  // namespace tickwire::auth
