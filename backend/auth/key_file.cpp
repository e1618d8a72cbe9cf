#include "auth/key_file.hpp"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace tickwire::auth {

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
struct BioFree {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};

void scrub(std::string& s) noexcept {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

// `what` names the file's role in messages ("JWT secret file").
std::string read_key_file(const std::string& path, const char* what) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    throw std::runtime_error(std::string("cannot read the ") + what + " " + path + ": " +
                             std::strerror(errno));
  }
  std::string contents(kMaxKeyFileBytes + 1, '\0');
  const auto n = std::fread(contents.data(), 1, contents.size(), f.get());
  if (std::ferror(f.get())) {  // e.g. a directory: opening it works, reading does not
    const int error = errno;
    scrub(contents);
    throw std::runtime_error(std::string("cannot read the ") + what + " " + path + ": " +
                             std::strerror(error));
  }
  if (n > kMaxKeyFileBytes) {
    scrub(contents);
    throw std::runtime_error(std::string("the ") + what + " " + path + " is larger than " +
                             std::to_string(kMaxKeyFileBytes / 1024) +
                             " KiB: is it the right file?");
  }
  contents.resize(n);
  return contents;
}

}  // namespace

const char* jose_name(Algorithm a) noexcept {
  switch (a) {
    case Algorithm::hs256: return "HS256";
    case Algorithm::rs256: return "RS256";
    case Algorithm::es256: return "ES256";
  }
  return "?";
}

std::string read_secret_file(const std::string& path) {
  auto secret = read_key_file(path, "JWT secret file");
  const auto end = secret.find_last_not_of(" \t\r\n\v\f");
  // Shrinking in place leaves the stripped bytes in the buffer, which holds nothing secret.
  secret.resize(end == std::string::npos ? 0 : end + 1);
  if (secret.empty()) throw std::runtime_error("the JWT secret file " + path + " is empty");
  if (secret.size() < kMinSecretBytes) {
    const auto size = secret.size();
    scrub(secret);
    throw std::runtime_error("the JWT secret in " + path + " is " + std::to_string(size) +
                             " bytes; HS256 needs at least " + std::to_string(kMinSecretBytes) +
                             " (make one with: openssl rand -base64 48 > " + path + ")");
  }
  return secret;
}

PublicKey read_public_key_file(const std::string& path) {
  const auto text = read_key_file(path, "JWT public key file");
  std::unique_ptr<BIO, BioFree> in(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!in) throw std::bad_alloc();
  std::unique_ptr<EVP_PKEY, PkeyFree> key(PEM_read_bio_PUBKEY(in.get(), nullptr, nullptr, nullptr));
  // OpenSSL queues an error per failed step on this thread; leave nothing for later callers.
  ERR_clear_error();
  if (!key) {
    if (text.find("PRIVATE KEY") != std::string::npos) {
      throw std::runtime_error("the JWT public key file " + path +
                               " holds a private key; give the server only the public key "
                               "(openssl pkey -in PRIVATE.pem -pubout)");
    }
    throw std::runtime_error("the JWT public key file " + path +
                             " is not a PEM public key (-----BEGIN PUBLIC KEY-----)");
  }

  PublicKey out{};
  switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA:
      // NIST SP 800-131A: RSA keys under 2048 bits are no longer acceptable for signatures.
      if (EVP_PKEY_get_bits(key.get()) < 2048) {
        throw std::runtime_error("the JWT public key in " + path + " is a " +
                                 std::to_string(EVP_PKEY_get_bits(key.get())) +
                                 "-bit RSA key; RS256 needs at least 2048 bits");
      }
      out.algorithm = Algorithm::rs256;
      break;
    case EVP_PKEY_EC: {
      char group[64] = {};
      std::size_t len = 0;
      if (EVP_PKEY_get_group_name(key.get(), group, sizeof group, &len) != 1 ||
          std::strcmp(group, SN_X9_62_prime256v1) != 0) {
        ERR_clear_error();
        throw std::runtime_error("the JWT public key in " + path +
                                 " is an EC key on another curve than P-256 (prime256v1), "
                                 "which ES256 requires");
      }
      out.algorithm = Algorithm::es256;
      break;
    }
    default:
      throw std::runtime_error("the JWT public key in " + path +
                               " is neither an RSA key (RS256) nor an EC P-256 key (ES256)");
  }

  // libjwt parses the PEM itself on every verification: hand it the key just checked, alone,
  // rather than the file, which may hold more than one PEM block.
  std::unique_ptr<BIO, BioFree> pem(BIO_new(BIO_s_mem()));
  if (!pem || PEM_write_bio_PUBKEY(pem.get(), key.get()) != 1) throw std::bad_alloc();
  char* data = nullptr;
  const auto size = BIO_get_mem_data(pem.get(), &data);
  out.pem.assign(data, static_cast<std::size_t>(size));
  return out;
}

}  // namespace tickwire::auth
