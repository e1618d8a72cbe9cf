#include "test_keys.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <vector>

namespace tickwire::auth::test {

namespace {

struct BioFree {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
struct JwtFree {
  void operator()(jwt_t* j) const noexcept { jwt_free(j); }
};

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const auto size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

const TempDir& key_dir() {
  static const TempDir dir("auth");
  return dir;
}

std::string random_base64(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) throw std::runtime_error("RAND");
  std::string out(4 * ((bytes + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), raw.data(),
                                static_cast<int>(raw.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace

KeyPair make_key_pair(const char* algorithm, const char* parameter) {
  EVP_PKEY* raw = nullptr;
  const std::string_view alg(algorithm);
  if (alg == "RSA") {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, algorithm,
                            static_cast<std::size_t>(std::atoi(parameter)));
  } else if (alg == "EC") {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, algorithm, parameter);
  } else {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, algorithm);
  }
  const std::unique_ptr<EVP_PKEY, PkeyFree> key(raw);
  if (!key) throw std::runtime_error(std::string("keygen ") + algorithm);
  const std::unique_ptr<BIO, BioFree> priv(BIO_new(BIO_s_mem())), pub(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1) {
    throw std::runtime_error("PEM_write");
  }
  KeyPair out{bio_text(priv.get()), bio_text(pub.get()), {}};
  static int serial = 0;
  out.public_file = key_dir().write("public-" + std::to_string(++serial) + ".pem", out.public_pem);
  return out;
}

const KeyPair& rsa_key() {
  static const auto k = make_key_pair("RSA", "2048");
  return k;
}
const KeyPair& other_rsa_key() {
  static const auto k = make_key_pair("RSA", "2048");
  return k;
}
const KeyPair& ec_key() {
  static const auto k = make_key_pair("EC", "P-256");
  return k;
}
const KeyPair& other_ec_key() {
  static const auto k = make_key_pair("EC", "P-256");
  return k;
}

const std::string& secret() {
  static const auto s = random_base64(48);
  return s;
}
const std::string& secret_file() {
  static const auto f = key_dir().write("secret", secret() + "\n");
  return f;
}
const std::string& other_secret() {
  static const auto s = random_base64(48);
  return s;
}

std::string base64url(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (auto& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::string sign(jwt_alg_t alg, std::string_view key, const std::string& claims_json) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::runtime_error("jwt_new");
  const std::unique_ptr<jwt_t, JwtFree> jwt(raw);
  if (jwt_add_grants_json(jwt.get(), claims_json.c_str()) != 0) {
    throw std::runtime_error("jwt_add_grants_json: " + claims_json);
  }
  const auto* k = key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data());
  if (jwt_set_alg(jwt.get(), alg, k, static_cast<int>(key.size())) != 0) {
    throw std::runtime_error("jwt_set_alg");
  }
  char* token = jwt_encode_str(jwt.get());
  if (!token) throw std::runtime_error("jwt_encode_str");
  std::string out(token);
  std::free(token);
  return out;
}

std::string hs256_by_hand(const std::string& header_json, const std::string& claims_json,
                          std::string_view key) {
  const auto input = base64url(header_json) + "." + base64url(claims_json);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return input + "." +
         base64url(std::string_view(reinterpret_cast<const char*>(mac), len));
}

std::string rs256_by_hand(const std::string& header_json, const std::string& claims_json,
                          const KeyPair& key) {
  const auto input = base64url(header_json) + "." + base64url(claims_json);
  const std::unique_ptr<BIO, BioFree> bio(
      BIO_new_mem_buf(key.private_pem.data(), static_cast<int>(key.private_pem.size())));
  const std::unique_ptr<EVP_PKEY, PkeyFree> pkey(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free);
  std::size_t len = 0;
  if (!pkey || !ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    throw std::runtime_error("EVP_DigestSign");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    throw std::runtime_error("EVP_DigestSign");
  }
  sig.resize(len);
  return input + "." + base64url(sig);
}

std::string claims(std::int64_t exp, const std::string& extra) {
  return R"({"sub":"alice","exp":)" + std::to_string(exp) + extra + "}";
}

}  // namespace tickwire::auth::test
