// The SSE parser against the WHATWG "Server-sent events" parsing rules.
#include <gtest/gtest.h>

#include <string>

using namespace std::string_literals;
#include <vector>

#include "tickwire/sse.hpp"

namespace tickwire::sse {
namespace {

struct Got {
  std::string type, data, id;
  bool operator==(const Got&) const = default;
};

struct Collector {
  std::vector<Got> events;
  std::vector<std::string> comments;
  Parser parser{[this](const Event& e) {
                  events.push_back({std::string(e.type), std::string(e.data), std::string(e.id)});
                },
                1 << 20};
  Collector() {
    parser.on_comment([this](std::string_view c) { comments.emplace_back(c); });
  }
};

std::vector<Got> parse(std::string_view stream) {
  Collector c;
  c.parser.feed(stream);
  return c.events;
}

TEST(SseParser, DispatchesOnBlankLineWithDefaultType) {
  EXPECT_EQ(parse("data: hello\n\n"), (std::vector<Got>{{"message", "hello", ""}}));
}

TEST(SseParser, AcceptsLfCrAndCrlfLineEnds) {
  const std::vector<Got> want{{"quote", "a", "1"}, {"quote", "b", "2"}};
  EXPECT_EQ(parse("event: quote\nid: 1\ndata: a\n\nevent: quote\nid: 2\ndata: b\n\n"), want);
  EXPECT_EQ(parse("event: quote\rid: 1\rdata: a\r\revent: quote\rid: 2\rdata: b\r\r"), want);
  EXPECT_EQ(parse("event: quote\r\nid: 1\r\ndata: a\r\n\r\nevent: quote\r\nid: 2\r\ndata: b\r\n\r\n"),
            want);
  EXPECT_EQ(parse("event: quote\r\nid: 1\rdata: a\n\r\nevent: quote\nid: 2\r\ndata: b\r\r"), want);
}

TEST(SseParser, JoinsMultiLineDataWithLineFeeds) {
  EXPECT_EQ(parse("data: one\ndata: two\ndata:\ndata: four\n\n"),
            (std::vector<Got>{{"message", "one\ntwo\n\nfour", ""}}));
}

TEST(SseParser, StripsOnlyOneLeadingSpaceAndKeepsColonsInValues) {
  EXPECT_EQ(parse("data:  two spaces\n\n"), (std::vector<Got>{{"message", " two spaces", ""}}));
  EXPECT_EQ(parse("data:no space\n\n"), (std::vector<Got>{{"message", "no space", ""}}));
  EXPECT_EQ(parse("data: a:b:c\n\n"), (std::vector<Got>{{"message", "a:b:c", ""}}));
}

TEST(SseParser, FieldWithoutColonHasEmptyValue) {
  EXPECT_EQ(parse("data\ndata\n\n"), (std::vector<Got>{{"message", "\n", ""}}));
}

TEST(SseParser, CommentsAreReportedAndNeverDispatched) {
  Collector c;
  c.parser.feed(": heartbeat\n\n:x\ndata: d\n\n");
  EXPECT_EQ(c.events, (std::vector<Got>{{"message", "d", ""}}));
  EXPECT_EQ(c.comments, (std::vector<std::string>{" heartbeat", "x"}));
}

TEST(SseParser, EventWithoutDataIsNotDispatchedAndResetsType) {
  EXPECT_EQ(parse("event: lonely\n\ndata: x\n\n"), (std::vector<Got>{{"message", "x", ""}}));
}

TEST(SseParser, LastEventIdPersistsAcrossEventsAndIgnoresNul) {
  Collector c;
  c.parser.feed("id: 7\ndata: a\n\ndata: b\n\nid: bad\0id\ndata: c\n\nid\ndata: d\n\n"s);
  ASSERT_EQ(c.events.size(), 4u);
  EXPECT_EQ(c.events[0].id, "7");
  EXPECT_EQ(c.events[1].id, "7");
  EXPECT_EQ(c.events[2].id, "7");  // an id containing NUL is ignored
  EXPECT_EQ(c.events[3].id, "");   // a bare "id" sets it to empty
  EXPECT_EQ(c.parser.last_event_id(), "");
}

TEST(SseParser, RetryTakesOnlyAsciiDigits) {
  Collector c;
  c.parser.feed("retry: 2500\n\n");
  EXPECT_EQ(c.parser.retry_ms(), 2500u);
  c.parser.feed("retry: 12x\n\nretry: -1\n\nretry:\n\n");
  EXPECT_EQ(c.parser.retry_ms(), 2500u);
}

TEST(SseParser, UnknownFieldsAreIgnored) {
  EXPECT_EQ(parse("foo: bar\ndata: x\nbaz\n\n"), (std::vector<Got>{{"message", "x", ""}}));
}

TEST(SseParser, DropsOneLeadingBomEvenWhenSplit) {
  const std::string bom = "\xEF\xBB\xBF";
  EXPECT_EQ(parse(bom + "data: x\n\n"), (std::vector<Got>{{"message", "x", ""}}));
  Collector c;
  for (char ch : bom + "data: y\n\n") c.parser.feed(std::string_view(&ch, 1));
  EXPECT_EQ(c.events, (std::vector<Got>{{"message", "y", ""}}));
  // Only the first BOM is special: a second one is part of the field name.
  EXPECT_EQ(parse(bom + bom + "data: z\n\n"), std::vector<Got>{});
}

TEST(SseParser, IncompleteEventAtEndOfStreamIsNotDispatched) {
  EXPECT_EQ(parse("data: a\n\ndata: never finished\n"), (std::vector<Got>{{"message", "a", ""}}));
}

TEST(SseParser, EveryByteSplitGivesTheSameEvents) {
  const std::string stream =
      "\xEF\xBB\xBF: c\r\nretry: 100\r\nevent: quote\r\nid: 1.5\r\ndata: {\"a\":1}\r\ndata: x\r\n"
      "\r\nevent: snapshot\rdata: s\r\rdata: last\n\n";
  const auto whole = parse(stream);
  ASSERT_EQ(whole.size(), 3u);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    Collector c;
    c.parser.feed(std::string_view(stream).substr(0, cut));
    c.parser.feed(std::string_view(stream).substr(cut));
    EXPECT_EQ(c.events, whole) << "split at byte " << cut;
  }
  Collector bytewise;
  for (char ch : stream) bytewise.parser.feed(std::string_view(&ch, 1));
  EXPECT_EQ(bytewise.events, whole);
}

TEST(SseParser, CrAtChunkEndFollowedByLfIsOneLineBreak) {
  Collector c;
  c.parser.feed("data: a\r");
  c.parser.feed("\n\r");
  c.parser.feed("\n");
  EXPECT_EQ(c.events, (std::vector<Got>{{"message", "a", ""}}));
}

TEST(SseParser, OversizedLineFailsInsteadOfGrowing) {
  std::vector<Got> got;
  Parser p([&](const Event& e) { got.push_back({std::string(e.type), std::string(e.data), ""}); },
           64);
  EXPECT_TRUE(p.feed("data: ok\n\n"));
  EXPECT_FALSE(p.feed("data: " + std::string(100, 'x')));
  EXPECT_TRUE(p.failed());
  EXPECT_FALSE(p.feed("data: more\n\n"));
  EXPECT_EQ(got.size(), 1u);
}

// Found by fuzz_sse_parser: a line over the limit failed the stream only when it arrived in
// several reads; whole in one read it was accepted (an `event:` or `id:` line of any size).
TEST(SseParser, OversizedLineFailsHoweverItIsSplit) {
  const std::string stream = "event: " + std::string(100, 'x') + "\ndata: a\n\n";
  for (const std::size_t step : {std::size_t{1}, std::size_t{10}, stream.size()}) {
    std::vector<Got> got;
    Parser p([&](const Event& e) { got.push_back({std::string(e.type), std::string(e.data), ""}); },
             64);
    for (std::size_t at = 0; at < stream.size(); at += step) p.feed(stream.substr(at, step));
    EXPECT_TRUE(p.failed()) << "step " << step;
    EXPECT_TRUE(got.empty()) << "step " << step;
  }
}

TEST(SseParser, ResetStreamKeepsLastEventId) {
  Collector c;
  c.parser.feed("id: 9\ndata: a\n\ndata: half");
  c.parser.reset_stream();
  c.parser.feed("data: b\n\n");
  ASSERT_EQ(c.events.size(), 2u);
  EXPECT_EQ(c.events[1], (Got{"message", "b", "9"}));
}

TEST(SseEncoder, RoundTripsThroughTheParser) {
  std::string out;
  append_event(out, "quote", "3.4", "line1\r\nline2\rline3\nline4");
  out += comment("keep-alive");
  out += retry(1500);
  Collector c;
  c.parser.feed(out);
  EXPECT_EQ(c.events, (std::vector<Got>{{"quote", "line1\nline2\nline3\nline4", "3.4"}}));
  EXPECT_EQ(c.comments, (std::vector<std::string>{" keep-alive"}));
  EXPECT_EQ(c.parser.retry_ms(), 1500u);
  EXPECT_EQ(event("quote", "1.1", "{}"), "event: quote\nid: 1.1\ndata: {}\n\n");
}

}  // namespace
}  // namespace tickwire::sse
