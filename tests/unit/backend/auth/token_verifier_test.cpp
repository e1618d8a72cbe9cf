// TokenVerifier: what it accepts, and each way a token is refused. Keys are made at test time.
#include "auth/token_verifier.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "test_keys.hpp"

namespace tickwire::auth {
namespace {

using namespace test;

constexpr std::int64_t kNow = 1'700'000'000;
const std::string kGood = claims(kNow + 600);

const TokenVerifier& hs() {
  static const auto v = TokenVerifier::from_secret_file(secret_file());
  return *v;
}
const TokenVerifier& rs() {
  static const auto v = TokenVerifier::from_public_key_file(rsa_key().public_file);
  return *v;
}
const TokenVerifier& es() {
  static const auto v = TokenVerifier::from_public_key_file(ec_key().public_file);
  return *v;
}

Claims verified(const TokenVerifier& v, std::string_view token, std::int64_t now = kNow) {
  auto result = v.verify(token, now);
  if (auto* c = std::get_if<Claims>(&result)) return std::move(*c);
  ADD_FAILURE() << "refused: " << std::get<TokenFailure>(result).detail;
  return {};
}

// The failure, checked to quote no part of the token (each dot-separated part of 6 characters or
// more: shorter ones are words a sentence may hold by chance).
TokenFailure rejected(const TokenVerifier& v, std::string_view token, std::int64_t now = kNow) {
  auto result = v.verify(token, now);
  auto* f = std::get_if<TokenFailure>(&result);
  if (!f) {
    ADD_FAILURE() << "the token verified";
    return {TokenError::missing, ""};
  }
  EXPECT_FALSE(f->detail.empty());
  for (std::size_t start = 0; start < token.size();) {
    const auto end = std::min(token.find('.', start), token.size());
    const auto part = token.substr(start, end - start);
    if (part.size() >= 6) {
      EXPECT_EQ(f->detail.find(part), std::string::npos) << f->detail;
    }
    start = end + 1;
  }
  return *f;
}

TEST(TokenVerifier, ErrorCodesAreTheApis) {
  EXPECT_STREQ(code(TokenError::missing), "token_missing");
  EXPECT_STREQ(code(TokenError::invalid), "token_invalid");
  EXPECT_STREQ(code(TokenError::expired), "token_expired");
}

TEST(TokenVerifier, AcceptsAGoodHs256Token) {
  EXPECT_EQ(hs().algorithm(), Algorithm::hs256);
  const auto c = verified(hs(), sign(JWT_ALG_HS256, secret(), kGood));
  EXPECT_EQ(c.sub, "alice");
  EXPECT_EQ(c.exp, kNow + 600);
  EXPECT_FALSE(c.symbols) << "no symbols claim: every symbol";
}

TEST(TokenVerifier, AcceptsAGoodRs256Token) {
  EXPECT_EQ(rs().algorithm(), Algorithm::rs256);
  const auto c = verified(rs(), sign(JWT_ALG_RS256, rsa_key().private_pem, kGood));
  EXPECT_EQ(c.sub, "alice");
  EXPECT_EQ(c.exp, kNow + 600);
}

TEST(TokenVerifier, AcceptsAGoodEs256Token) {
  EXPECT_EQ(es().algorithm(), Algorithm::es256);
  const auto c = verified(es(), sign(JWT_ALG_ES256, ec_key().private_pem, kGood));
  EXPECT_EQ(c.sub, "alice");
  EXPECT_EQ(c.exp, kNow + 600);
}

TEST(TokenVerifier, ATokenExpiresAtExp) {
  const auto token = sign(JWT_ALG_HS256, secret(), claims(kNow));
  EXPECT_EQ(rejected(hs(), token, kNow).error, TokenError::expired) << "exp == now is expired";
  EXPECT_EQ(rejected(hs(), token, kNow + 3600).error, TokenError::expired);
  EXPECT_EQ(verified(hs(), token, kNow - 1).exp, kNow);
  const auto es_token = sign(JWT_ALG_ES256, ec_key().private_pem, claims(kNow - 5));
  EXPECT_EQ(rejected(es(), es_token).error, TokenError::expired);
}

TEST(TokenVerifier, AnExpiredForgeryIsInvalidNotExpired) {
  // The signature is checked first: a client cannot learn anything from a forged token's exp.
  const auto f = rejected(hs(), sign(JWT_ALG_HS256, other_secret(), claims(kNow - 5)));
  EXPECT_EQ(f.error, TokenError::invalid);
}

TEST(TokenVerifier, RefusesForgedSignatures) {
  EXPECT_EQ(rejected(hs(), sign(JWT_ALG_HS256, other_secret(), kGood)).error,
            TokenError::invalid);
  EXPECT_EQ(rejected(rs(), sign(JWT_ALG_RS256, other_rsa_key().private_pem, kGood)).error,
            TokenError::invalid);
  EXPECT_EQ(rejected(es(), sign(JWT_ALG_ES256, other_ec_key().private_pem, kGood)).error,
            TokenError::invalid);
}

TEST(TokenVerifier, RefusesATamperedPayload) {
  // alice's signature on bob's claims.
  const auto alice = sign(JWT_ALG_HS256, secret(), kGood);
  const auto bob = sign(JWT_ALG_HS256, other_secret(), R"({"sub":"bob","exp":1800000000})");
  const auto head_end = alice.find('.');
  const auto forged = alice.substr(0, head_end) + bob.substr(bob.find('.'), bob.rfind('.') - bob.find('.')) +
                      alice.substr(alice.rfind('.'));
  ASSERT_NE(forged, alice);
  EXPECT_EQ(rejected(hs(), forged).error, TokenError::invalid);
}

TEST(TokenVerifier, RefusesUnsignedTokens) {
  // libjwt writes alg none with an empty signature; by hand, with one.
  const auto unsigned_token = sign(JWT_ALG_NONE, "", kGood);
  ASSERT_EQ(unsigned_token.back(), '.');
  const auto with_sig = base64url(R"({"alg":"none","typ":"JWT"})") + "." + base64url(kGood) +
                        "." + base64url("not a signature");
  for (const auto* v : {&hs(), &rs(), &es()}) {
    EXPECT_EQ(rejected(*v, unsigned_token).error, TokenError::invalid);
    EXPECT_EQ(rejected(*v, with_sig).error, TokenError::invalid);
  }
  const auto alg_absent = hs256_by_hand(R"({"typ":"JWT"})", kGood, secret());
  EXPECT_EQ(rejected(hs(), alg_absent).error, TokenError::invalid);
}

TEST(TokenVerifier, RefusesHs256SignedWithThePublicKeyText) {
  // The classic alg confusion: the public key is public, so anyone can HMAC with it.
  for (const auto* key : {&rsa_key(), &ec_key()}) {
    const auto forged = sign(JWT_ALG_HS256, key->public_pem, kGood);
    // The attack is real against libjwt 1.10 alone: it verifies with the header's alg.
    jwt_t* raw = nullptr;
    EXPECT_EQ(jwt_decode(&raw, forged.c_str(),
                         reinterpret_cast<const unsigned char*>(key->public_pem.data()),
                         static_cast<int>(key->public_pem.size())),
              0);
    jwt_free(raw);
    const auto v = TokenVerifier::from_public_key_file(key->public_file);
    EXPECT_EQ(rejected(*v, forged).error, TokenError::invalid);
  }
}

TEST(TokenVerifier, RefusesAnotherFamilysToken) {
  const auto rs_token = sign(JWT_ALG_RS256, rsa_key().private_pem, kGood);
  const auto es_token = sign(JWT_ALG_ES256, ec_key().private_pem, kGood);
  const auto hs_token = sign(JWT_ALG_HS256, secret(), kGood);
  EXPECT_EQ(rejected(hs(), rs_token).error, TokenError::invalid);
  EXPECT_EQ(rejected(hs(), es_token).error, TokenError::invalid);
  EXPECT_EQ(rejected(rs(), es_token).error, TokenError::invalid);
  EXPECT_EQ(rejected(rs(), hs_token).error, TokenError::invalid);
  EXPECT_EQ(rejected(es(), rs_token).error, TokenError::invalid);
  EXPECT_EQ(rejected(es(), hs_token).error, TokenError::invalid);
  // The same family with another hash is not the configured algorithm either.
  EXPECT_EQ(rejected(hs(), sign(JWT_ALG_HS512, secret(), kGood)).error, TokenError::invalid);
  EXPECT_EQ(rejected(rs(), sign(JWT_ALG_RS512, rsa_key().private_pem, kGood)).error,
            TokenError::invalid);
}

TEST(TokenVerifier, TheAlgMustBeSpelledExactly) {
  // libjwt reads "rs256" as RS256 and would accept this token; the rule here is the exact name.
  const auto lower = rs256_by_hand(R"({"alg":"rs256","typ":"JWT"})", kGood, rsa_key());
  jwt_t* raw = nullptr;
  EXPECT_EQ(jwt_decode(&raw, lower.c_str(),
                       reinterpret_cast<const unsigned char*>(rsa_key().public_pem.data()),
                       static_cast<int>(rsa_key().public_pem.size())),
            0);
  jwt_free(raw);
  EXPECT_EQ(rejected(rs(), lower).error, TokenError::invalid);
  // The hand-made signer is right: with the exact name, the same token verifies.
  verified(rs(), rs256_by_hand(R"({"alg":"RS256","typ":"JWT"})", kGood, rsa_key()));
}

TEST(TokenVerifier, AHeaderNamingAlgTwiceCannotSmuggleHs256) {
  for (const auto* header : {R"({"alg":"RS256","alg":"HS256"})", R"({"alg":"HS256","alg":"RS256"})"}) {
    const auto forged = hs256_by_hand(header, kGood, rsa_key().public_pem);
    EXPECT_EQ(rejected(rs(), forged).error, TokenError::invalid) << header;
  }
}

TEST(TokenVerifier, RequiresSub) {
  auto token = [](const std::string& json) { return sign(JWT_ALG_HS256, secret(), json); };
  const auto exp = std::to_string(kNow + 600);
  auto f = rejected(hs(), token(R"({"exp":)" + exp + "}"));
  EXPECT_EQ(f.error, TokenError::invalid);
  EXPECT_EQ(f.detail, "the token has no sub claim");
  for (const auto* sub : {R"("")", "42", "null", R"(["alice"])"}) {
    f = rejected(hs(), token(R"({"sub":)" + std::string(sub) + R"(,"exp":)" + exp + "}"));
    EXPECT_EQ(f.error, TokenError::invalid) << sub;
    EXPECT_NE(f.detail.find("sub"), std::string::npos) << f.detail;
  }
}

TEST(TokenVerifier, RequiresAnIntegerExp) {
  auto f = rejected(hs(), sign(JWT_ALG_HS256, secret(), R"({"sub":"alice"})"));
  EXPECT_EQ(f.error, TokenError::invalid);
  EXPECT_EQ(f.detail, "the token has no exp claim");
  // libjwt's jwt_get_grant_int would read each of these as 0 (or truncate it); none is an exp.
  for (const auto* exp : {R"("1800000000")", "1800000000.5", "true", "null"}) {
    f = rejected(hs(), sign(JWT_ALG_HS256, secret(),
                            R"({"sub":"alice","exp":)" + std::string(exp) + "}"));
    EXPECT_EQ(f.error, TokenError::invalid) << exp;
    EXPECT_NE(f.detail.find("exp"), std::string::npos) << f.detail;
  }
}

TEST(TokenVerifier, NbfAllowsThirtySecondsOfClockSkew) {
  auto with_nbf = [](const std::string& nbf) {
    return sign(JWT_ALG_HS256, secret(), claims(kNow + 600, R"(,"nbf":)" + nbf));
  };
  verified(hs(), with_nbf(std::to_string(kNow - 100)));
  verified(hs(), with_nbf(std::to_string(kNow + 30)));
  EXPECT_EQ(rejected(hs(), with_nbf(std::to_string(kNow + 31))).error, TokenError::invalid);
  EXPECT_EQ(rejected(hs(), with_nbf(R"("soon")")).error, TokenError::invalid);
}

TEST(TokenVerifier, SymbolsAreStoredSortedAndUnique) {
  const auto c = verified(
      hs(), sign(JWT_ALG_HS256, secret(), claims(kNow + 60, R"(,"symbols":["MSFT","AAPL","BRK.B","MSFT"])")));
  ASSERT_TRUE(c.symbols);
  EXPECT_EQ(*c.symbols, (std::vector<std::string>{"AAPL", "BRK.B", "MSFT"}));
}

TEST(TokenVerifier, StarAloneOrNoSymbolsClaimMeansEverySymbol) {
  EXPECT_FALSE(verified(hs(), sign(JWT_ALG_HS256, secret(), claims(kNow + 60, R"(,"symbols":["*"])")))
                   .symbols);
  EXPECT_FALSE(verified(hs(), sign(JWT_ALG_HS256, secret(), claims(kNow + 60))).symbols);
  // An empty list grants nothing, which is not the same as every symbol.
  const auto none = verified(hs(), sign(JWT_ALG_HS256, secret(), claims(kNow + 60, R"(,"symbols":[])")));
  ASSERT_TRUE(none.symbols);
  EXPECT_TRUE(none.symbols->empty());
}

TEST(TokenVerifier, RefusesASymbolsClaimThatIsNotAListOfSymbols) {
  for (const auto* bad : {R"("AAPL")", R"("*")", "null", R"({"AAPL":1})", R"(["aapl"])",
                          R"(["AAPL",7])", R"(["*","AAPL"])", R"(["TOOLONGSYMBOL1"])", R"([""])"}) {
    const auto f = rejected(
        hs(), sign(JWT_ALG_HS256, secret(), claims(kNow + 60, R"(,"symbols":)" + std::string(bad))));
    EXPECT_EQ(f.error, TokenError::invalid) << bad;
    EXPECT_NE(f.detail.find("symbols"), std::string::npos) << f.detail;
  }
}

TEST(TokenVerifier, RefusesGarbage) {
  EXPECT_EQ(rejected(hs(), "").error, TokenError::missing);
  const auto good = sign(JWT_ALG_HS256, secret(), kGood);
  const auto header = good.substr(0, good.find('.'));
  for (const auto& bad : std::vector<std::string>{
           "a", "a.b", "a.b.c", "...", "a..c", good + ".", "." + good, good + ".x", header + ".e30.",
        header + ".e30.c2ln", header + ".bm90IGpzb24.c2ln", good + "=", std::string(good).insert(20, " "),
        std::string(good).insert(20, std::string(1, '\0')), std::string(good).replace(5, 1, "+"),
        std::string(good).replace(good.rfind('.') + 3, 1, "/")}) {
    EXPECT_EQ(rejected(hs(), bad).error, TokenError::invalid) << bad;
  }
}

TEST(TokenVerifier, RefusesHugeTokensBeforeParsing) {
  std::string list = R"(,"symbols":["A0")";
  for (int i = 1; i < 2000; ++i) list += R"(,"A)" + std::to_string(i) + R"(")";
  list += "]";
  const auto huge = sign(JWT_ALG_HS256, secret(), claims(kNow + 60, list));
  ASSERT_GT(huge.size(), kMaxTokenBytes);
  const auto f = rejected(hs(), huge);
  EXPECT_EQ(f.error, TokenError::invalid);
  EXPECT_NE(f.detail.find("longer than"), std::string::npos) << f.detail;
  EXPECT_EQ(rejected(hs(), std::string(1 << 20, 'a')).error, TokenError::invalid);
  // A long but reasonable entitlement list is fine.
  std::string fits = R"(,"symbols":["A0")";
  for (int i = 1; i < 500; ++i) fits += R"(,"A)" + std::to_string(i) + R"(")";
  fits += "]";
  const auto long_token = sign(JWT_ALG_HS256, secret(), claims(kNow + 60, fits));
  ASSERT_LT(long_token.size(), kMaxTokenBytes);
  EXPECT_EQ(verified(hs(), long_token).symbols->size(), 500u);
}

TEST(TokenVerifier, VerifiesFromManyThreadsAtOnce) {
  const auto good = sign(JWT_ALG_ES256, ec_key().private_pem, kGood);
  const auto forged = sign(JWT_ALG_ES256, other_ec_key().private_pem, kGood);
  std::atomic<int> right{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        const bool good_ok = std::holds_alternative<Claims>(es().verify(good, kNow));
        const bool forged_ok = std::holds_alternative<Claims>(es().verify(forged, kNow));
        if (good_ok && !forged_ok) ++right;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(right.load(), 400);
}

}  // namespace
}  // namespace tickwire::auth
