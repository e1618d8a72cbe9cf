// Verifies the bearer tokens (JWT) clients present, against one key configured at start: an
// HS256 shared secret, or an RS256/ES256 public key whose private half stays with the issuer.
//
// Built on libjwt (Debian's libjwt-dev, 1.10): a maintained C library over OpenSSL that Debian
// packages and patches (1.10.2-1+deb12u1 fixed CVE-2024-25189, a timing leak in HS256
// verification), and that does HS256, RS256 and ES256. jwt-cpp, the usual C++ choice, is not
// packaged by Debian. libjwt 1.10 trusts the token's own header to pick the algorithm, so this
// class pins it: see token_verifier.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "auth/claims.hpp"
#include "auth/key_file.hpp"

namespace tickwire::auth {

enum class TokenError { missing, invalid, expired };
// "token_missing", "token_invalid", "token_expired": the API's error codes.
const char* code(TokenError e) noexcept;

struct TokenFailure {
  TokenError error;
  std::string detail;  // human text, NEVER the token or any part of it
};

// Tokens longer than this are refused before any parsing (libjwt copies each part onto the
// stack with alloca). Real ones are a few hundred bytes; a long symbols list stays well under.
inline constexpr std::size_t kMaxTokenBytes = 8 * 1024;
// A token whose nbf is at most this far ahead is accepted: the issuer's clock may run ahead.
inline constexpr std::int64_t kNotBeforeLeewaySeconds = 30;

class TokenVerifier {
 public:
  // HS256 with the file's contents as the secret (trailing whitespace/newlines stripped, so
  // `openssl rand -base64 48 > f` works). Throws std::runtime_error with a clear message naming
  // the file (never its contents) when it cannot be read, is empty, or is shorter than 32 bytes.
  static std::shared_ptr<const TokenVerifier> from_secret_file(const std::string& path);
  // RS256 or ES256 (P-256) public key, PEM. Throws std::runtime_error (clear message) when the
  // file cannot be read or is not an RSA or EC P-256 public key.
  static std::shared_ptr<const TokenVerifier> from_public_key_file(const std::string& path);

  ~TokenVerifier();
  TokenVerifier(const TokenVerifier&) = delete;
  TokenVerifier& operator=(const TokenVerifier&) = delete;

  Algorithm algorithm() const noexcept { return algorithm_; }

  // Thread-safe (called from many I/O threads at once): nothing here changes after
  // construction. `token` empty -> missing.
  std::variant<Claims, TokenFailure> verify(std::string_view token, std::int64_t now_unix) const;

 private:
  TokenVerifier(Algorithm algorithm, std::string key)
      : algorithm_(algorithm), key_(std::move(key)) {}

  const Algorithm algorithm_;
  std::string key_;  // the HS256 secret, or the public key's PEM
};

}  // namespace tickwire::auth
