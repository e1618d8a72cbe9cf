// Keys and tokens for the auth tests, made at test time: no key is committed. Each key is
// generated on first use, once per test process (CTest runs each test in its own process, so
// tests that need no RSA key do not pay for one).
#pragma once

#include <jwt.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "temp_dir.hpp"

namespace tickwire::auth::test {

// TempDir (tests/support): the keys' files go in one, removed at the end of the process.
using tickwire::test::TempDir;

struct KeyPair {
  std::string private_pem;  // PKCS#8, for libjwt to sign with
  std::string public_pem;   // SubjectPublicKeyInfo ("BEGIN PUBLIC KEY")
  std::string public_file;  // public_pem in a file
};

// `algorithm` and `parameter` as EVP_PKEY_Q_keygen takes them: "RSA" with bits, "EC" with a
// curve name, or "ED25519" (parameter ignored).
KeyPair make_key_pair(const char* algorithm, const char* parameter);

const KeyPair& rsa_key();        // RSA 2048
const KeyPair& other_rsa_key();  // another RSA 2048
const KeyPair& ec_key();         // EC P-256
const KeyPair& other_ec_key();   // another EC P-256

const std::string& secret();       // 64 random base64 characters
const std::string& secret_file();  // secret() and a newline, in a file
const std::string& other_secret();  // another one, as long

std::string base64url(std::string_view bytes);

// A token made by libjwt: `claims_json` (an object) signed with `alg` under `key`, a secret or a
// private key's PEM (none: no key).
std::string sign(jwt_alg_t alg, std::string_view key, const std::string& claims_json);

// header.payload.signature from JSON texts exactly as given, for headers libjwt would not write.
std::string hs256_by_hand(const std::string& header_json, const std::string& claims_json,
                          std::string_view key);
std::string rs256_by_hand(const std::string& header_json, const std::string& claims_json,
                          const KeyPair& key);

// {"sub":"alice","exp":EXP} with `extra` members appended (e.g. R"(,"symbols":["A"])").
std::string claims(std::int64_t exp, const std::string& extra = "");

}  // namespace tickwire::auth::test
