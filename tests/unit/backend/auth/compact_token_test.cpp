// The unverified reading of a JWT's compact form.
#include "auth/compact_token.hpp"

#include <gtest/gtest.h>

namespace tickwire::auth {
namespace {

TEST(CompactToken, Base64urlDecodesRfc4648Vectors) {
  // RFC 4648 section 10, padding dropped as JWS does.
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"Zg", "f"}, {"Zm8", "fo"}, {"Zm9v", "foo"}, {"Zm9vYg", "foob"},
      {"Zm9vYmE", "fooba"}, {"Zm9vYmFy", "foobar"}};
  for (const auto& [text, bytes] : vectors) EXPECT_EQ(base64url_decode(text), bytes) << text;
  // The url-safe alphabet: 0xfb 0xff is "-_8" (standard base64 would say "+/8").
  EXPECT_EQ(base64url_decode("-_8"), std::string("\xfb\xff"));
}

TEST(CompactToken, Base64urlRefusesOtherAlphabetsPaddingAndImpossibleLengths) {
  for (const auto* bad : {"+/8", "Zg==", "Zm9v YmFy", "Z", "Zm9vY", "Zm9\n"}) {
    EXPECT_FALSE(base64url_decode(bad)) << bad;
  }
}

TEST(CompactToken, ReadsHeaderAndPayloadObjects) {
  std::string why;
  // {"alg":"HS256"} . {"sub":"a"} . "sig"
  const auto t = read_compact_token("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln", why);
  ASSERT_TRUE(t) << why;
  EXPECT_EQ(t->header.at("alg").as_string(), "HS256");
  EXPECT_EQ(t->payload.at("sub").as_string(), "a");
}

TEST(CompactToken, RefusesAnythingElseWithAReason) {
  std::string why;
  for (const auto* bad : {"", "a", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0",
                          "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln.c2ln",
                          "eyJhbGciOiJIUzI1NiJ9..c2ln", ".eyJzdWIiOiJhIn0.c2ln",
                          "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.",
                          "eyJhbGciOiJIUzI1NiJ9.WzFd.c2ln",        // payload [1]
                          "bm9wZQ.eyJzdWIiOiJhIn0.c2ln",           // header "nope"
                          "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2l="}) {
    why.clear();
    EXPECT_FALSE(read_compact_token(bad, why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

}  // namespace
}  // namespace tickwire::auth
