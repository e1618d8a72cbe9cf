// What the Kafka cache tier reads from the brokers (and from --cache), on arbitrary bytes:
// a frontend's demand record as a dispatcher decodes it (decode_demand), a quote record's
// envelope as a dispatcher reads its header (envelope_header) and a frontend the whole quote
// (from_envelope), and the kafka:// URL (parse_kafka_url). Anyone who can write to the topics
// can send these bytes.
//
// Input: byte 0 picks the reader, the rest is the record value (or the URL).
// Invariants: a refusal says why; a decoded demand record holds valid symbols and a lease within
// a day, and encodes to a record that decodes to the same; an envelope's header and its quote
// agree, and the quote written out as an envelope again reads back to the same JSON bytes; a
// parsed URL's broker list, written out and parsed again, is the same list.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cache/kafka/demand_record.hpp"
#include "cache/kafka/kafka_url.hpp"
#include "fuzz_check.hpp"
#include "tickwire/encoded_quote.hpp"
#include "tickwire/symbol.hpp"

namespace {

using namespace tickwire;
using namespace tickwire::cache::kafka;

void check_demand(std::string_view value) {
  std::string why;
  const auto record = decode_demand(value, &why);
  if (!record) {
    FUZZ_CHECK(!why.empty());
    return;
  }
  FUZZ_CHECK(record->lease.count() >= 0 && record->lease.count() <= 24LL * 60 * 60 * 1000);
  for (const auto& s : record->symbols) FUZZ_CHECK(is_valid_symbol(s));
  const auto again = decode_demand(encode_demand(*record), &why);
  FUZZ_CHECK(again && again->lease == record->lease && again->symbols == record->symbols);
}

void check_envelope(std::string_view value) {
  const auto header = envelope_header(value);
  const auto quote = from_envelope("AAPL", value);
  if (!header) {
    FUZZ_CHECK(!quote);
    return;
  }
  FUZZ_CHECK(header->seq > 0 && header->json_at <= value.size());
  if (!quote) return;  // a header without a JSON object after it
  FUZZ_CHECK(quote->seq == header->seq && quote->ts == header->ts);
  FUZZ_CHECK(quote->json_view() == value.substr(header->json_at));
  const auto again = from_envelope("AAPL", to_envelope(*quote));
  FUZZ_CHECK(again && again->seq == quote->seq && again->json_view() == quote->json_view());
}

void check_url(std::string_view text) {
  std::string why;
  const auto url = parse_kafka_url(text, &why);
  if (!url) {
    FUZZ_CHECK(!why.empty());
    return;
  }
  FUZZ_CHECK(!url->brokers.empty());
  const auto again = parse_kafka_url(url->str(), &why);
  FUZZ_CHECK(again && again->bootstrap_servers() == url->bootstrap_servers());
  for (const auto& b : url->brokers) FUZZ_CHECK(b.port >= 1 && b.port <= 65535);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: check_demand(rest); break;
    case 1: check_envelope(rest); break;
    default: check_url(rest); break;
  }
  return 0;
}
