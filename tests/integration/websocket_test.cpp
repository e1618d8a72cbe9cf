// WebSocket specifics beyond the shared conformance scenarios: bad messages get JSON errors
// and the connection stays up, until a client keeps misbehaving.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <thread>

#include "backend_fixture.hpp"

namespace tickwire::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;

class Ws {
 public:
  explicit Ws(unsigned short port) : ws_(ioc_) {
    beast::get_lowest_layer(ws_).connect({asio::ip::make_address("127.0.0.1"), port});
    ws_.handshake("127.0.0.1", "/v1/ws");
  }
  void send(const std::string& text) {
    ws_.text(true);
    ws_.write(asio::buffer(text));
  }
  // The next message of `type` (others are skipped); throws on close.
  boost::json::object next(const std::string& type) {
    for (;;) {
      beast::flat_buffer b;
      ws_.read(b);
      auto v = boost::json::parse(beast::buffers_to_string(b.data())).as_object();
      if (v.at("type").as_string() == type) return v;
    }
  }
  websocket::stream<asio::ip::tcp::socket>& raw() { return ws_; }

 private:
  asio::io_context ioc_;
  websocket::stream<asio::ip::tcp::socket> ws_;
};

TEST(WebSocket, BadMessagesGetErrorsAndTheConnectionStaysUp) {
  Backend backend;
  Ws ws(backend.port());
  ws.send("this is not json");
  EXPECT_EQ(ws.next("error").at("error").as_string(), "bad_message");
  ws.send(R"({"action":"dance","symbols":["AAPL"]})");
  EXPECT_EQ(ws.next("error").at("error").as_string(), "bad_message");
  ws.send(R"({"action":"subscribe","symbols":["AAPL",42]})");
  EXPECT_EQ(ws.next("error").at("error").as_string(), "bad_symbol");
  ws.send(R"({"action":"subscribe","symbols":["ZZZZZZ"]})");
  EXPECT_EQ(ws.next("error").at("error").as_string(), "unknown_symbol");
  ws.send(std::string(20000, ' ') + "{}");  // over the 16 KiB message limit
  EXPECT_EQ(ws.next("error").at("error").as_string(), "message_too_large");
  // Still serving: a good subscribe gets its snapshot and live quotes.
  ws.send(R"({"action":"subscribe","symbols":["AAPL"]})");
  const auto snap = ws.next("snapshot");
  EXPECT_EQ(snap.at("quotes").as_array().size(), 1u);
  EXPECT_EQ(ws.next("quote").at("quote").at("symbol").as_string(), "AAPL");
  ws.send(R"({"action":"unsubscribe","symbols":["AAPL"]})");
  EXPECT_EQ(ws.next("unsubscribed").at("remaining").as_array().size(), 0u);
  EXPECT_GE(backend.metric("tickwire_frontend_rejected_requests_total{reason=\"bad_message\"}"), 2);
}

TEST(WebSocket, AMessageSentInSeveralFramesIsReadAsOne) {
  Backend backend;
  Ws ws(backend.port());
  // Frames longer than the server's read piece (256 bytes), split mid-token.
  const std::string msg = R"({"action":"subscribe","symbols":["AAPL"],"pad":")" +
                          std::string(600, 'x') + R"("})";
  ws.raw().text(true);
  ws.raw().write_some(false, asio::buffer(msg.substr(0, 10)));
  ws.raw().write_some(false, asio::buffer(msg.substr(10, 400)));
  ws.raw().write_some(true, asio::buffer(msg.substr(410)));
  const auto snap = ws.next("snapshot");
  ASSERT_EQ(snap.at("quotes").as_array().size(), 1u);
  EXPECT_EQ(snap.at("quotes").as_array()[0].at("symbol").as_string(), "AAPL");
}

TEST(WebSocket, AMessageOverTheHardLimitClosesTheConnectionWith1009) {
  Backend backend;
  Ws ws(backend.port());
  // The server refuses at the frame header, sends its close frame and drops the connection.
  beast::error_code ec;
  ws.raw().text(true);
  ws.raw().write(asio::buffer(std::string(1100 * 1024, ' ')), ec);  // over 1 MiB
  for (int i = 0; i < 20 && !ec; ++i) {
    beast::flat_buffer b;
    ws.raw().read(b, ec);
  }
  ASSERT_TRUE(ec) << "the connection is still open";
  // A clean close carries 1009; otherwise the client saw the drop as a socket error (a reset,
  // a broken pipe or "not connected", depending on where its write was).
  if (ec == websocket::error::closed) {
    EXPECT_EQ(ws.raw().reason().code, websocket::close_code::too_big);
  }
  EXPECT_GE(backend.metric("tickwire_frontend_rejected_requests_total{reason=\"message_too_large\"}"), 1);
  Ws next(backend.port());  // others are served as before
  next.send(R"({"action":"subscribe","symbols":["AAPL"]})");
  EXPECT_EQ(next.next("snapshot").at("quotes").as_array().size(), 1u);
}

TEST(WebSocket, AClientThatKeepsMisbehavingIsClosedWithPolicyViolation) {
  Backend backend;
  Ws ws(backend.port());
  for (int i = 0; i < 11; ++i) ws.send("nonsense");
  beast::error_code ec;
  for (int i = 0; i < 20 && !ec; ++i) {
    beast::flat_buffer b;
    ws.raw().read(b, ec);
  }
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(ws.raw().reason().code, websocket::close_code::policy_error);
}

TEST(WebSocket, PlainGetIsToldToUpgrade) {
  Backend backend;
  const auto r = http_get(backend.port(), "/v1/ws");
  EXPECT_EQ(r.status, 426u);
  EXPECT_NE(r.body.find("upgrade_required"), std::string::npos);
}

TEST(Polling, EtagAnswers304WhileNothingChanged) {
  auto config = test_config();
  config.exchange.tick_rate = 0;  // a still market
  Backend backend(config);
  const auto first = http_get(backend.port(), "/v1/quotes?symbols=AAPL,MSFT");
  ASSERT_EQ(first.status, 200u);
  const auto etag = first.headers.at("etag");
  const auto again = http_raw(backend.port(),
                              "GET /v1/quotes?symbols=AAPL,MSFT HTTP/1.1\r\nHost: x\r\n"
                              "If-None-Match: " + etag + "\r\n\r\n");
  EXPECT_EQ(again.status, 304u);
  EXPECT_TRUE(again.body.empty());
  const auto other = http_raw(backend.port(),
                              "GET /v1/quotes?symbols=AAPL HTTP/1.1\r\nHost: x\r\n"
                              "If-None-Match: " + etag + "\r\n\r\n");
  EXPECT_EQ(other.status, 200u) << "another question must not match";
}

TEST(Polling, LongPollAnswersOnChangeOrAtTheDeadline) {
  Backend backend;
  auto r = http_get(backend.port(), "/v1/quotes?symbols=AAPL");
  const auto cursor = std::string(boost::json::parse(r.body).at("cursor").as_string());
  const auto start = std::chrono::steady_clock::now();
  r = http_get(backend.port(), "/v1/quotes?symbols=AAPL&since=" + cursor + "&wait=10", 15s);
  ASSERT_EQ(r.status, 200u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s) << "AAPL ticks several times a second";
  EXPECT_EQ(boost::json::parse(r.body).at("quotes").as_array().size(), 1u);

  auto still = test_config();
  still.exchange.tick_rate = 0;
  Backend quiet(still);
  r = http_get(quiet.port(), "/v1/quotes?symbols=AAPL");
  const auto c2 = std::string(boost::json::parse(r.body).at("cursor").as_string());
  const auto t0 = std::chrono::steady_clock::now();
  r = http_get(quiet.port(), "/v1/quotes?symbols=AAPL&since=" + c2 + "&wait=2", 10s);
  const auto waited = std::chrono::steady_clock::now() - t0;
  ASSERT_EQ(r.status, 200u);
  EXPECT_GE(waited, 1500ms);
  EXPECT_EQ(boost::json::parse(r.body).at("quotes").as_array().size(), 0u);
  EXPECT_EQ(http_get(quiet.port(), "/v1/quotes?symbols=AAPL&wait=soon").status, 400u);
}

// A client that goes silent (it neither sends nor answers the server's ping) is closed after
// the idle timeout, and counted: a degraded path with its own metric.
TEST(WebSocket, ASilentClientIsPingedThenClosedAndCounted) {
  auto config = test_config();
  config.frontend.ws_idle_timeout = 2s;  // pinged after 1 s of silence, closed after 2 s
  Backend backend(config);
  Ws silent(backend.port());
  silent.send(R"({"action":"subscribe","symbols":["AAPL"]})");
  // Not reading: Beast answers pings only while a read runs, so this client stays silent.
  const std::string metric =
      "tickwire_frontend_disconnects_total{transport=\"websocket\",reason=\"idle_timeout\"}";
  EXPECT_EQ(backend.metric(metric), 0);
  ASSERT_TRUE(eventually([&] { return backend.metric(metric) == 1; }, 6s))
      << "the silent client was not closed for it";
  // A client that talks is not closed.
  Ws talking(backend.port());
  for (int i = 0; i < 4; ++i) {
    talking.send(R"({"action":"subscribe","symbols":["MSFT"]})");
    std::this_thread::sleep_for(800ms);
  }
  EXPECT_EQ(backend.metric(metric), 1);
}

}  // namespace
}  // namespace tickwire::test
