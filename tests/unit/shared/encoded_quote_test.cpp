#include "tickwire/encoded_quote.hpp"

#include <gtest/gtest.h>

namespace tickwire {
namespace {

TEST(Envelope, HeaderAndQuoteRoundTrip) {
  EncodedQuote q;
  q.symbol = "AAPL";
  q.seq = 42;
  q.ts = 1'700'000'000'000'000;
  q.json = std::make_shared<const std::string>(R"({"symbol":"AAPL","seq":42})");
  const auto envelope = to_envelope(q);
  const auto h = envelope_header(envelope);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->seq, 42u);
  EXPECT_EQ(h->ts, q.ts);
  EXPECT_EQ(envelope.substr(h->json_at), *q.json);
  const auto back = from_envelope("AAPL", envelope);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->seq, 42u);
  EXPECT_EQ(back->json_view(), *q.json);
}

TEST(Envelope, AnythingElseIsRefused) {
  for (const char* bad : {"", "42", "42 ", "0 1 {}", "x 1 {}", "42 y {}", "42 1", "-1 1 {}"}) {
    EXPECT_FALSE(envelope_header(bad)) << bad;
  }
  EXPECT_TRUE(envelope_header("42 -5 "));  // the header alone: from_envelope checks the JSON
  EXPECT_FALSE(from_envelope("AAPL", "42 -5 "));
  EXPECT_FALSE(from_envelope("AAPL", "42 1 {truncated"));
}

}  // namespace
}  // namespace tickwire
