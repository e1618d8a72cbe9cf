// Key material from files, checked when the server starts, so that a wrong file stops it with a
// clear message rather than failing every client's token later. Messages name the file, never
// what it holds.
#pragma once

#include <cstddef>
#include <string>

namespace tickwire::auth {

// The token algorithms the server accepts, one per kind of key (RFC 7518 names).
enum class Algorithm { hs256, rs256, es256 };
const char* jose_name(Algorithm a) noexcept;  // "HS256", "RS256", "ES256"

// RFC 7518 section 3.2: an HS256 key must be at least as long as the hash, 32 bytes.
inline constexpr std::size_t kMinSecretBytes = 32;
// Key files are small; anything bigger is the wrong file (or /dev/zero) and is not read on.
inline constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;

// The file's bytes with trailing whitespace and newlines stripped, used as they are (not
// base64-decoded), so `openssl rand -base64 48 > FILE` makes a good secret. Throws
// std::runtime_error naming `path` when it cannot be read, is empty, or is shorter than
// kMinSecretBytes.
std::string read_secret_file(const std::string& path);

struct PublicKey {
  Algorithm algorithm;  // rs256 for an RSA key, es256 for an EC P-256 key
  std::string pem;      // the key as OpenSSL re-wrote it: exactly the key that was checked
};

// A PEM public key ("BEGIN PUBLIC KEY"): RSA of at least 2048 bits, or EC on P-256. Throws
// std::runtime_error naming `path` otherwise.
PublicKey read_public_key_file(const std::string& path);

}  // namespace tickwire::auth
