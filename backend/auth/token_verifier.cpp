#include "auth/token_verifier.hpp"

#include <jwt.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <cstring>

#include "auth/compact_token.hpp"
#include "tickwire/symbol.hpp"

namespace tickwire::auth {

namespace {

struct JwtFree {
  void operator()(jwt_t* j) const noexcept { jwt_free(j); }
};

jwt_alg_t libjwt_alg(Algorithm a) noexcept {
  switch (a) {
    case Algorithm::hs256: return JWT_ALG_HS256;
    case Algorithm::rs256: return JWT_ALG_RS256;
    case Algorithm::es256: return JWT_ALG_ES256;
  }
  return JWT_ALG_INVAL;
}

TokenFailure invalid(std::string detail) { return {TokenError::invalid, std::move(detail)}; }

// Names only the algorithm this server expects: the token's own alg is the client's text.
TokenFailure wrong_alg(Algorithm a) {
  return invalid(std::string("the token is not signed with ") + jose_name(a) +
                 ", the only algorithm this server accepts");
}

std::variant<Claims, TokenFailure> read_claims(const boost::json::object& payload,
                                               std::int64_t now) {
  Claims c;
  const auto* sub = payload.if_contains("sub");
  if (!sub) return invalid("the token has no sub claim");
  if (!sub->is_string() || sub->get_string().empty()) {
    return invalid("the token's sub claim is not a non-empty string");
  }
  c.sub = std::string(sub->get_string());

  // RFC 7519 allows fractional NumericDates; our issuers write whole seconds, and a number that
  // is not an int64 (a fraction, or beyond 2^63) is more likely a bug than a real expiry.
  const auto* exp = payload.if_contains("exp");
  if (!exp) return invalid("the token has no exp claim");
  if (!exp->is_int64()) return invalid("the token's exp claim is not an integer (unix seconds)");
  c.exp = exp->get_int64();

  if (const auto* nbf = payload.if_contains("nbf")) {
    if (!nbf->is_int64()) return invalid("the token's nbf claim is not an integer (unix seconds)");
    const auto not_before = nbf->get_int64();
    if (not_before > now && not_before - now > kNotBeforeLeewaySeconds) {
      return invalid("the token is not valid yet (its nbf is in the future)");
    }
  }

  if (const auto* symbols = payload.if_contains("symbols")) {
    if (!symbols->is_array()) return invalid("the token's symbols claim is not an array");
    const auto& list = symbols->get_array();
    const bool every = list.size() == 1 && list[0].is_string() && list[0].get_string() == "*";
    if (!every) {
      std::vector<std::string> granted;
      granted.reserve(list.size());
      for (const auto& s : list) {
        if (!s.is_string() || !is_valid_symbol(s.get_string())) {
          // "*" among symbols lands here too: it means every symbol only on its own.
          return invalid("the token's symbols claim holds an entry that is not a valid symbol");
        }
        granted.emplace_back(s.get_string());
      }
      std::sort(granted.begin(), granted.end());
      granted.erase(std::unique(granted.begin(), granted.end()), granted.end());
      c.symbols = std::move(granted);
    }
  }

  // Last, so that a token both expired and malformed reports the malformation.
  if (c.exp <= now) return TokenFailure{TokenError::expired, "the token has expired"};
  return c;
}

}  // namespace

const char* code(TokenError e) noexcept {
  switch (e) {
    case TokenError::missing: return "token_missing";
    case TokenError::invalid: return "token_invalid";
    case TokenError::expired: return "token_expired";
  }
  return "token_invalid";
}

std::shared_ptr<const TokenVerifier> TokenVerifier::from_secret_file(const std::string& path) {
  return std::shared_ptr<const TokenVerifier>(
      new TokenVerifier(Algorithm::hs256, read_secret_file(path)));
}

std::shared_ptr<const TokenVerifier> TokenVerifier::from_public_key_file(const std::string& path) {
  auto key = read_public_key_file(path);
  return std::shared_ptr<const TokenVerifier>(
      new TokenVerifier(key.algorithm, std::move(key.pem)));
}

TokenVerifier::~TokenVerifier() {
  if (!key_.empty()) OPENSSL_cleanse(key_.data(), key_.size());
}

std::variant<Claims, TokenFailure> TokenVerifier::verify(std::string_view token,
                                                         std::int64_t now_unix) const {
  if (token.empty()) return TokenFailure{TokenError::missing, "no token was given"};
  if (token.size() > kMaxTokenBytes) {
    return invalid("the token is longer than " + std::to_string(kMaxTokenBytes) + " bytes");
  }
  std::string why;
  const auto parts = read_compact_token(token, why);
  if (!parts) return invalid(std::move(why));

  // The alg is pinned BEFORE the key is used. libjwt 1.10's jwt_decode verifies with whatever
  // alg the token's header names: given an RS256 server's public key (public by design) and a
  // header saying HS256, it checks an HMAC keyed with that PEM text, which anyone can forge
  // ("alg confusion"). Only exactly "HS256"/"RS256"/"ES256" passes: libjwt itself would also
  // take "hs256", and never "none" with a key, but that is its choice, not our rule.
  const auto expected = jose_name(algorithm_);
  const auto* alg = parts->header.if_contains("alg");
  if (!alg || !alg->is_string() || alg->get_string() != expected) return wrong_alg(algorithm_);

  // jwt_decode takes a C string: read_compact_token let through only base64url and two dots,
  // so no NUL byte can cut the token short.
  const std::string text(token);
  jwt_t* decoded = nullptr;
  const int rc = jwt_decode(&decoded, text.c_str(),
                            reinterpret_cast<const unsigned char*>(key_.data()),
                            static_cast<int>(key_.size()));
  const std::unique_ptr<jwt_t, JwtFree> jwt(decoded);
  if (rc != 0 || !jwt) return invalid("the token's signature does not verify with this server's key");

  // Pinned again on libjwt's own reading of the header, the one it verified with: it parses
  // JSON with jansson, and a header naming alg twice must not let two parsers disagree (today
  // both keep the last one; this check does not depend on that).
  const char* used = jwt_get_header(jwt.get(), "alg");
  if (jwt_get_alg(jwt.get()) != libjwt_alg(algorithm_) || !used ||
      std::strcmp(used, expected) != 0) {
    return wrong_alg(algorithm_);
  }

  // The claims come from the payload text libjwt just verified, read with Boost.JSON: libjwt
  // 1.10's jwt_get_grant_int returns 0 for a claim that is not an integer, and it has no
  // accessor for arrays.
  return read_claims(parts->payload, now_unix);
}

}  // namespace tickwire::auth
