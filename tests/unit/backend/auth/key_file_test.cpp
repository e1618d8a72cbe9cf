// Key files: the rules for the HS256 secret file and the public key file, and their messages.
#include "auth/key_file.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "auth/token_verifier.hpp"
#include "test_keys.hpp"

namespace tickwire::auth {
namespace {

using namespace test;

// The message of the std::runtime_error `f` throws, or a test failure.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "nothing was thrown";
  return {};
}

TEST(SecretFile, TrailingWhitespaceAndNewlinesAreStripped) {
  TempDir dir;
  const std::string key(40, 'k');
  EXPECT_EQ(read_secret_file(dir.write("s", key + " \t\r\n\n")), key);
  // Leading whitespace belongs to the secret: only what editors and echo add is taken off.
  EXPECT_EQ(read_secret_file(dir.write("t", " " + key + "\n")), " " + key);
  // `openssl rand -base64 48 > f` writes 64 characters and a newline.
  EXPECT_EQ(read_secret_file(secret_file()), secret());
}

TEST(SecretFile, AtLeast32BytesAfterStripping) {
  TempDir dir;
  EXPECT_EQ(read_secret_file(dir.write("ok", std::string(32, 'k') + "\n")).size(), 32u);
  const auto short_path = dir.write("short", "ShortSecretOf31BytesXXXXXXXXXXX\n\n\n");
  const auto why = error_of([&] { read_secret_file(short_path); });
  EXPECT_NE(why.find(short_path), std::string::npos) << why;
  EXPECT_NE(why.find("at least 32"), std::string::npos) << why;
  EXPECT_EQ(why.find("ShortSecret"), std::string::npos) << "the secret is never quoted: " << why;
  EXPECT_THROW(TokenVerifier::from_secret_file(short_path), std::runtime_error);
}

TEST(SecretFile, AnEmptyFileIsRefusedByName) {
  TempDir dir;
  for (const auto* contents : {"", "\n", " \n\t\n"}) {
    const auto path = dir.write("empty", contents);
    const auto why = error_of([&] { TokenVerifier::from_secret_file(path); });
    EXPECT_NE(why.find(path), std::string::npos) << why;
    EXPECT_NE(why.find("empty"), std::string::npos) << why;
  }
}

TEST(SecretFile, AMissingFileIsNamed) {
  TempDir dir;
  const auto path = (dir.path() / "no-such-secret").string();
  const auto why = error_of([&] { TokenVerifier::from_secret_file(path); });
  EXPECT_NE(why.find(path), std::string::npos) << why;
  EXPECT_NE(why.find("No such file"), std::string::npos) << why;
}

TEST(SecretFile, ADirectoryIsNamedWithTheReason) {
  TempDir dir;
  const auto path = dir.path().string();
  const auto why = error_of([&] { read_secret_file(path); });
  EXPECT_NE(why.find(path), std::string::npos) << why;
  EXPECT_NE(why.find("Is a directory"), std::string::npos) << why;
}

TEST(SecretFile, AHugeFileIsNotReadOn) {
  TempDir dir;
  const auto path = dir.write("huge", std::string(kMaxKeyFileBytes + 1, 'k'));
  const auto why = error_of([&] { read_secret_file(path); });
  EXPECT_NE(why.find(path), std::string::npos) << why;
  EXPECT_NE(why.find("larger than"), std::string::npos) << why;
}

TEST(PublicKeyFile, TellsRsaFromEcP256) {
  const auto rsa = read_public_key_file(rsa_key().public_file);
  EXPECT_EQ(rsa.algorithm, Algorithm::rs256);
  EXPECT_NE(rsa.pem.find("-----BEGIN PUBLIC KEY-----"), std::string::npos);
  EXPECT_EQ(read_public_key_file(ec_key().public_file).algorithm, Algorithm::es256);
  EXPECT_EQ(TokenVerifier::from_public_key_file(ec_key().public_file)->algorithm(),
            Algorithm::es256);
}

TEST(PublicKeyFile, OnlyTheFirstKeyOfTheFileIsUsed) {
  TempDir dir;
  const auto path = dir.write("two.pem", "comment line\n" + rsa_key().public_pem +
                                             other_rsa_key().public_pem);
  EXPECT_EQ(read_public_key_file(path).pem, rsa_key().public_pem);
}

TEST(PublicKeyFile, RefusesWhatIsNotAnRsaOrP256PublicKey) {
  TempDir dir;
  const struct {
    std::string contents;
    const char* why;
  } cases[] = {
      {rsa_key().private_pem, "private key"},
      {ec_key().private_pem, "private key"},
      {"not a key\n", "not a PEM public key"},
      {"", "not a PEM public key"},
      {make_key_pair("RSA", "1024").public_pem, "2048"},
      {make_key_pair("EC", "P-384").public_pem, "P-256"},
      {make_key_pair("ED25519", "").public_pem, "neither"},
  };
  for (const auto& c : cases) {
    const auto path = dir.write("key.pem", c.contents);
    const auto why = error_of([&] { TokenVerifier::from_public_key_file(path); });
    EXPECT_NE(why.find(path), std::string::npos) << why;
    EXPECT_NE(why.find(c.why), std::string::npos) << why;
    EXPECT_EQ(why.find("MII"), std::string::npos) << "no key material in messages: " << why;
  }
}

TEST(PublicKeyFile, AMissingFileIsNamed) {
  TempDir dir;
  const auto path = (dir.path() / "no-such-key.pem").string();
  const auto why = error_of([&] { TokenVerifier::from_public_key_file(path); });
  EXPECT_NE(why.find(path), std::string::npos) << why;
}

}  // namespace
}  // namespace tickwire::auth
