// mint_hs256: tokens the verifier accepts, and refusals of what it would not.
#include "auth/token_minter.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "auth/compact_token.hpp"
#include "auth/token_verifier.hpp"
#include "test_keys.hpp"

namespace tickwire::auth {
namespace {

using namespace test;

constexpr std::int64_t kNow = 1'700'000'000;

const TokenVerifier& verifier() {
  static const auto v = TokenVerifier::from_secret_file(secret_file());
  return *v;
}

Claims verify_ok(const std::string& token, std::int64_t now = kNow) {
  auto result = verifier().verify(token, now);
  if (auto* c = std::get_if<Claims>(&result)) return std::move(*c);
  ADD_FAILURE() << "refused: " << std::get<TokenFailure>(result).detail;
  return {};
}

TEST(TokenMinter, RoundTripsThroughTheVerifier) {
  const auto token = mint_hs256(secret(), "desk-7", kNow, 90,
                                std::vector<std::string>{"MSFT", "AAPL", "BRK.B"});
  const auto c = verify_ok(token);
  EXPECT_EQ(c.sub, "desk-7");
  EXPECT_EQ(c.exp, kNow + 90);
  ASSERT_TRUE(c.symbols);
  EXPECT_EQ(*c.symbols, (std::vector<std::string>{"AAPL", "BRK.B", "MSFT"}));
  // Good for exactly ttl seconds.
  verify_ok(token, kNow + 89);
  const auto late = verifier().verify(token, kNow + 90);
  ASSERT_TRUE(std::holds_alternative<TokenFailure>(late));
  EXPECT_EQ(std::get<TokenFailure>(late).error, TokenError::expired);
}

TEST(TokenMinter, WritesIatAndOnlyTheSymbolsItIsGiven) {
  std::string why;
  const auto all = read_compact_token(mint_hs256(secret(), "ops", kNow, 60, std::nullopt), why);
  ASSERT_TRUE(all) << why;
  EXPECT_EQ(all->payload.at("iat").as_int64(), kNow);
  EXPECT_EQ(all->payload.at("exp").as_int64(), kNow + 60);
  EXPECT_FALSE(all->payload.contains("symbols"));
  EXPECT_EQ(all->header.at("alg").as_string(), "HS256");
  EXPECT_FALSE(verify_ok(mint_hs256(secret(), "ops", kNow, 60, std::nullopt)).symbols);
  EXPECT_FALSE(verify_ok(mint_hs256(secret(), "ops", kNow, 60, std::vector<std::string>{"*"})).symbols);
}

TEST(TokenMinter, ATokenFromAnotherSecretDoesNotVerify) {
  const auto result =
      verifier().verify(mint_hs256(other_secret(), "eve", kNow, 60, std::nullopt), kNow);
  ASSERT_TRUE(std::holds_alternative<TokenFailure>(result));
  EXPECT_EQ(std::get<TokenFailure>(result).error, TokenError::invalid);
}

TEST(TokenMinter, RefusesWhatTheVerifierWouldRefuse) {
  using Symbols = std::optional<std::vector<std::string>>;
  EXPECT_THROW(mint_hs256(std::string(31, 'k'), "ops", kNow, 60, std::nullopt), std::invalid_argument);
  EXPECT_THROW(mint_hs256(secret(), "", kNow, 60, std::nullopt), std::invalid_argument);
  EXPECT_THROW(mint_hs256(secret(), std::string("a\0b", 3), kNow, 60, std::nullopt),
               std::invalid_argument);
  EXPECT_THROW(mint_hs256(secret(), "ops", kNow, 0, std::nullopt), std::invalid_argument);
  EXPECT_THROW(mint_hs256(secret(), "ops", kNow, -5, std::nullopt), std::invalid_argument);
  EXPECT_THROW(mint_hs256(secret(), "ops", kNow, 60, Symbols{{"AAPL", "msft"}}), std::invalid_argument);
  EXPECT_THROW(mint_hs256(secret(), "ops", kNow, 60, Symbols{{"*", "AAPL"}}), std::invalid_argument);
  EXPECT_NO_THROW(mint_hs256(std::string(32, 'k'), "ops", kNow, 1, Symbols{{"AAPL"}}));
}

}  // namespace
}  // namespace tickwire::auth
