// The edge against a real tickwired over loopback: TLS with certificates made at test time
// (curl --cacert and our own clients verify them; plain HTTP to the TLS port is counted and does
// not disturb anyone; SIGHUP swaps the certificate), client tokens (401 codes, 403 naming the
// symbols, streams ending at exp, a WebSocket refresh extending it), the admin token, and the
// refusal to serve anonymous clients on a public address.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "auth/token_minter.hpp"
#include "child_process.hpp"
#include "http_probe.hpp"
#include "sse_reader.hpp"
#include "test_certificates.hpp"
#include "tickwire/clock.hpp"
#include "tls_client.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

const std::string kSecret = "an HS256 secret of at least 32 bytes, for tests only";
const std::string kAdminToken = "admin-token-for-tests-0123456789";

std::string write_file(const std::string& name, const std::string& contents) {
  std::ofstream(name) << contents << "\n";
  return name;
}

std::int64_t now_unix() { return unix_micros_now() / 1'000'000; }

std::string mint(std::int64_t ttl, std::optional<std::vector<std::string>> symbols = {},
                 const std::string& sub = "alice") {
  return auth::mint_hs256(kSecret, sub, now_unix(), ttl, symbols);
}

std::string bearer(const std::string& token) { return "Authorization: Bearer " + token + "\r\n"; }

std::string get_request(const std::string& target, const std::string& headers = {}) {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + headers + "Connection: close\r\n\r\n";
}

bool wait_ready_tls(unsigned short port, const std::string& ca) {
  for (int i = 0; i < 250; ++i) {
    if (https_get(port, ca, "/readyz").status == 200) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

template <typename F>
bool eventually_true(F cond, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!cond()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

std::string curl(const std::string& args) {
  return run_command("curl -sS --max-time 5 " + args + " 2>&1").out;
}

class EdgeTls : public ::testing::Test {
 protected:
  void SetUp() override {
    // Each test its own files and logs: ctest runs them in parallel, and one rewrites its own.
    name_ = std::string("edge-tls-") +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    certs_ = make_test_certificates(name_, "tls");
    server_ = std::make_unique<Tickwired>(
        std::vector<std::string>{"--threads", "2", "--tls-cert", certs_.cert, "--tls-key",
                                 certs_.key},
        name_);
    ASSERT_TRUE(wait_ready_tls(port(), certs_.ca)) << "see " << server_->log_file;
  }
  unsigned short port() const { return server_->port; }
  std::string url(const std::string& target) const {
    return "'https://127.0.0.1:" + std::to_string(port()) + target + "'";
  }
  double metric(const std::string& series) {
    return metric_value(https_get(port(), certs_.ca, "/metrics").body, series);
  }

  std::string name_;
  TestCertificates certs_;
  std::unique_ptr<Tickwired> server_;
};

TEST_F(EdgeTls, CurlWithTheCaFileGetsSsePollingAndHealth) {
  // SSE: the stream runs until curl's own time limit (exit 28) with a snapshot and quotes.
  const auto sse = run_command("curl -sSN --max-time 2 --cacert " + certs_.ca + " " +
                               url("/v1/stream?symbols=AAPL,MSFT") + " 2>/dev/null");
  EXPECT_EQ(sse.status, 28) << sse.out;
  EXPECT_NE(sse.out.find("event: snapshot"), std::string::npos) << sse.out.substr(0, 300);
  EXPECT_NE(sse.out.find("event: quote"), std::string::npos) << sse.out.substr(0, 300);

  const auto poll = curl("--cacert " + certs_.ca + " " + url("/v1/quotes?symbols=AAPL"));
  boost::system::error_code ec;
  const auto doc = boost::json::parse(poll, ec);
  ASSERT_FALSE(ec) << poll;
  EXPECT_EQ(doc.at("quotes").as_array().at(0).at("symbol").as_string(), "AAPL") << poll;

  // ALPN picks http/1.1, and TLS 1.0/1.1 are refused.
  const auto alpn = curl("-v --cacert " + certs_.ca + " " + url("/healthz"));
  EXPECT_NE(alpn.find("ALPN: server accepted http/1.1"), std::string::npos) << alpn;
  const auto old = run_command("curl -sS --max-time 5 --tlsv1.1 --tls-max 1.1 --cacert " +
                               certs_.ca + " " + url("/healthz") + " 2>&1");
  EXPECT_NE(old.status, 0) << old.out;
}

TEST_F(EdgeTls, ACertificateFromAnotherCaIsRefusedByTheClient) {
  const auto other = make_test_certificates(name_, "other");
  const auto r = run_command("curl -sS --max-time 5 --cacert " + other.ca + " " +
                             url("/healthz") + " 2>&1");
  EXPECT_EQ(r.status, 60) << r.out;  // curl: peer certificate cannot be authenticated
  const auto ours = https_get(port(), other.ca, "/healthz");
  EXPECT_FALSE(ours.ok);
}

TEST_F(EdgeTls, WebSocketOverTlsSubscribesAndReceivesQuotes) {
  WssClient ws(port(), certs_.ca, "/v1/ws");
  ws.send(R"({"action":"subscribe","symbols":["AAPL"]})");
  const auto snap = ws.next("snapshot");
  ASSERT_FALSE(snap.empty());
  EXPECT_EQ(snap.at("quotes").as_array().size(), 1u);
  EXPECT_EQ(ws.next("quote").at("quote").at("symbol").as_string(), "AAPL");
}

TEST_F(EdgeTls, PlainHttpAndGarbageToTheTlsPortAreCountedAndDisturbNoOne) {
  // A TLS stream that must keep ticking throughout.
  WssClient ws(port(), certs_.ca, "/v1/ws");
  ws.send(R"({"action":"subscribe","symbols":["AAPL"]})");
  ASSERT_FALSE(ws.next("snapshot").empty());

  for (int i = 0; i < 5; ++i) {
    const auto plain = http_get(port(), "/healthz", 2s);
    EXPECT_NE(plain.status, 200u);
    http_raw(port(), std::string(3000, '\x16') + "\x03\x01garbage", 2s);
  }
  EXPECT_TRUE(eventually_true([&] {
    return metric("tickwire_frontend_tls_handshake_failures_total{reason=\"plain_http\"}") >= 5;
  }));
  EXPECT_GE(metric("tickwire_frontend_tls_handshake_failures_total{reason=\"failed\"}"), 5);
  EXPECT_FALSE(ws.next("quote").empty());
  EXPECT_TRUE(server_->process->running());
  EXPECT_EQ(https_get(port(), certs_.ca, "/healthz").status, 200u);
}

TEST_F(EdgeTls, SighupSwapsTheCertificateForNewConnectionsAndKeepsOpenOnes) {
  WssClient ws(port(), certs_.ca, "/v1/ws");
  ws.send(R"({"action":"subscribe","symbols":["AAPL"]})");
  ASSERT_FALSE(ws.next("snapshot").empty());

  // A new certificate from a new CA, written over the files tickwired was started with.
  const auto next = make_test_certificates(name_, "rotated");
  std::filesystem::copy_file(next.cert, certs_.cert,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(next.key, certs_.key,
                             std::filesystem::copy_options::overwrite_existing);
  server_->process->signal(SIGHUP);
  EXPECT_TRUE(eventually_true([&] { return https_get(port(), next.ca, "/healthz").status == 200; }));
  EXPECT_FALSE(https_get(port(), certs_.ca, "/healthz").ok);  // the old CA no longer applies
  EXPECT_EQ(metric_value(https_get(port(), next.ca, "/metrics").body,
                         "tickwire_frontend_tls_reloads_total{result=\"ok\"}"),
            1);
  EXPECT_FALSE(ws.next("quote").empty());  // the open connection kept going

  // A broken file on the next SIGHUP keeps the current certificate.
  write_file(certs_.key, "not a key");
  server_->process->signal(SIGHUP);
  EXPECT_TRUE(eventually_true([&] {
    return metric_value(https_get(port(), next.ca, "/metrics").body,
                        "tickwire_frontend_tls_reloads_total{result=\"failed\"}") == 1;
  }));
  EXPECT_EQ(https_get(port(), next.ca, "/healthz").status, 200u);
}

class EdgeAuth : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string name = std::string("edge-auth-") +
                             ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(name);
    secret_file_ = write_file(name + "/secret", kSecret);
    admin_file_ = write_file(name + "/admin", kAdminToken);
    server_ = std::make_unique<Tickwired>(
        std::vector<std::string>{"--threads", "2", "--auth", "jwt", "--jwt-secret-file",
                                 secret_file_, "--admin-token-file", admin_file_},
        name);
  }
  unsigned short port() const { return server_->port; }
  HttpReply get(const std::string& target, const std::string& headers = {}) {
    return http_raw(port(), get_request(target, headers));
  }
  static std::string error_of(const HttpReply& r) {
    boost::system::error_code ec;
    const auto v = boost::json::parse(r.body, ec);
    return !ec && v.is_object() && v.as_object().contains("error")
               ? std::string(v.at("error").as_string())
               : "(no error in: " + r.body + ")";
  }

  std::string secret_file_, admin_file_;
  std::unique_ptr<Tickwired> server_;
};

TEST_F(EdgeAuth, TokensAreCheckedOnEveryTransport) {
  const auto good = mint(3600);
  EXPECT_EQ(get("/v1/quotes?symbols=AAPL").status, 401u);
  EXPECT_EQ(error_of(get("/v1/quotes?symbols=AAPL")), "token_missing");
  EXPECT_EQ(get("/v1/quotes?symbols=AAPL", bearer(good)).status, 200u);
  EXPECT_EQ(get("/v1/quotes?symbols=AAPL&token=" + good).status, 200u);
  EXPECT_EQ(get("/v1/symbols?q=AA", bearer(good)).status, 200u);
  EXPECT_EQ(get("/v1/symbols?q=AA").status, 401u);

  const auto expired = auth::mint_hs256(kSecret, "alice", now_unix() - 120, 60, std::nullopt);
  const auto r_expired = get("/v1/stream?symbols=AAPL", bearer(expired));
  EXPECT_EQ(r_expired.status, 401u);
  EXPECT_EQ(error_of(r_expired), "token_expired");
  EXPECT_EQ(r_expired.body.find(expired), std::string::npos);  // never echoed

  auto forged = auth::mint_hs256("another secret, also at least 32 bytes long", "alice",
                                 now_unix(), 3600, std::nullopt);
  EXPECT_EQ(error_of(get("/v1/stream?symbols=AAPL", bearer(forged))), "token_invalid");
  EXPECT_EQ(error_of(get("/v1/stream?symbols=AAPL", bearer("not.a.token"))), "token_invalid");
  EXPECT_EQ(get("/v1/stream?symbols=AAPL", bearer("not.a.token")).headers.count(
                "www-authenticate"),
            1u);

  // The WebSocket upgrade is refused before it happens.
  const auto upgrade = http_raw(
      port(), "GET /v1/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  EXPECT_EQ(upgrade.status, 401u);
  const auto metrics = get("/metrics", bearer(kAdminToken)).body;
  EXPECT_GE(metric_value(metrics, "tickwire_frontend_rejected_requests_total{reason=\"token_missing\"}"),
            3);
  EXPECT_GE(metric_value(metrics, "tickwire_frontend_rejected_requests_total{reason=\"token_invalid\"}"),
            3);
  // Tokens never reach the log.
  std::ifstream log(server_->log_file);
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find(good), std::string::npos);
  EXPECT_EQ(text.find(expired), std::string::npos);
}

TEST_F(EdgeAuth, SymbolsOutsideTheTokenAre403NamingThem) {
  const auto limited = mint(3600, std::vector<std::string>{"AAPL", "MSFT"});
  EXPECT_EQ(get("/v1/quotes?symbols=AAPL,MSFT", bearer(limited)).status, 200u);
  const auto r = get("/v1/stream?symbols=AAPL,TSLA,NVDA", bearer(limited));
  EXPECT_EQ(r.status, 403u);
  const auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("error").as_string(), "forbidden");
  EXPECT_EQ(boost::json::serialize(body.at("symbols")), R"(["TSLA","NVDA"])");
  EXPECT_EQ(get("/v1/quotes?symbols=TSLA", bearer(limited)).status, 403u);
  // ["*"] means every symbol.
  EXPECT_EQ(get("/v1/quotes?symbols=TSLA", bearer(mint(3600, std::vector<std::string>{"*"})))
                .status,
            200u);
}

TEST_F(EdgeAuth, AnSseStreamEndsWithTheExpiredStatusAtExp) {
  SseReader sse(port(), "/v1/stream?symbols=AAPL", bearer(mint(2)));
  ASSERT_TRUE(sse.pump_until([&] { return !sse.events().empty(); }, 5s));
  EXPECT_EQ(sse.status(), 200u);
  ASSERT_TRUE(sse.pump_until(
      [&] { return !sse.events().empty() && sse.events().back().type == "status"; }, 6s));
  EXPECT_NE(sse.events().back().data.find("\"state\":\"expired\""), std::string::npos);
  EXPECT_TRUE(sse.pump_until([&] { return sse.closed(); }, 3s));  // and the server ended it
}

TEST_F(EdgeAuth, AWebSocketIsRefusedUnentitledSymbolsAndRefreshesItsTokenInBand) {
  namespace beast = boost::beast;
  boost::asio::io_context ioc;
  beast::websocket::stream<boost::asio::ip::tcp::socket> ws(ioc);
  ws.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port()});
  ws.handshake("127.0.0.1", "/v1/ws?token=" + mint(3, std::vector<std::string>{"AAPL", "MSFT"}));
  auto next = [&](const std::string& type) {
    for (;;) {
      beast::flat_buffer b;
      ws.read(b);
      auto v = boost::json::parse(beast::buffers_to_string(b.data())).as_object();
      if (v.at("type").as_string() == type) return v;
    }
  };
  auto send = [&](const std::string& text) { ws.write(boost::asio::buffer(text)); };
  ws.text(true);

  send(R"({"action":"subscribe","symbols":["AAPL","TSLA"]})");
  const auto refused = next("error");
  EXPECT_EQ(refused.at("error").as_string(), "forbidden");
  EXPECT_EQ(boost::json::serialize(refused.at("symbols")), R"(["TSLA"])");
  send(R"({"action":"subscribe","symbols":["AAPL"]})");  // the connection stayed
  EXPECT_EQ(next("snapshot").at("quotes").as_array().size(), 1u);

  // A token for someone else, or one that does not cover AAPL, does not replace it.
  send(R"({"action":"refresh","token":")" + mint(60, std::nullopt, "mallory") + R"("})");
  EXPECT_EQ(next("error").at("error").as_string(), "token_invalid");
  send(R"({"action":"refresh","token":")" + mint(60, std::vector<std::string>{"MSFT"}) + R"("})");
  EXPECT_EQ(next("error").at("error").as_string(), "forbidden");
  // A good one extends the connection past the first token's exp (3 s).
  send(R"({"action":"refresh","token":")" + mint(60, std::vector<std::string>{"AAPL"}) + R"("})");
  EXPECT_GT(next("refreshed").at("exp").to_number<std::int64_t>(), now_unix() + 50);
  const auto until = std::chrono::steady_clock::now() + 5s;
  int quotes = 0;
  while (std::chrono::steady_clock::now() < until) {
    beast::flat_buffer b;
    ws.read(b);
    const auto v = boost::json::parse(beast::buffers_to_string(b.data())).as_object();
    ASSERT_NE(v.at("type").as_string(), "status") << boost::json::serialize(v);
    if (v.at("type").as_string() == "quote") ++quotes;
  }
  EXPECT_GT(quotes, 0);
}

TEST_F(EdgeAuth, AWebSocketWithoutRefreshGetsTheExpiredStatusAndIsClosed) {
  namespace beast = boost::beast;
  boost::asio::io_context ioc;
  beast::websocket::stream<boost::asio::ip::tcp::socket> ws(ioc);
  ws.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port()});
  ws.handshake("127.0.0.1", "/v1/ws?symbols=AAPL&token=" + mint(2));
  std::string last_status;
  beast::error_code ec;
  for (;;) {
    beast::flat_buffer b;
    ws.read(b, ec);
    if (ec) break;
    const auto v = boost::json::parse(beast::buffers_to_string(b.data())).as_object();
    if (v.at("type").as_string() == "status") last_status = v.at("state").as_string();
  }
  EXPECT_EQ(last_status, "expired");
  EXPECT_EQ(ec, beast::websocket::error::closed);
  EXPECT_EQ(ws.reason().code, beast::websocket::close_code::policy_error);
}

TEST_F(EdgeAuth, AdminEndpointsNeedTheAdminTokenAndHealthStaysOpen) {
  EXPECT_EQ(get("/metrics").status, 401u);
  EXPECT_EQ(error_of(get("/metrics")), "admin_token_required");
  EXPECT_EQ(get("/v1/admin/metrics").status, 401u);
  EXPECT_EQ(get("/v1/admin/metrics", bearer("admin-token-for-tests-0123456780")).status, 401u);
  EXPECT_EQ(get("/v1/admin/metrics", bearer(mint(3600))).status, 401u);  // a client token is not it
  EXPECT_EQ(get("/metrics", bearer(kAdminToken)).status, 200u);
  EXPECT_EQ(get("/v1/admin/metrics", bearer(kAdminToken)).status, 200u);
  EXPECT_EQ(get("/healthz").status, 200u);
  EXPECT_EQ(get("/readyz").status, 200u);
}

TEST(EdgeDefaults, APublicBindWithoutAuthRefusesToStartNamingBothWaysOut) {
  const auto r = run_command(std::string(TICKWIRED_PATH) + " --bind 0.0.0.0 --port 0 2>&1");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--auth jwt"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--allow-anonymous"), std::string::npos) << r.out;
  // The explicit opt-out is accepted (checked without binding a public address).
  EXPECT_EQ(run_command(std::string(TICKWIRED_PATH) +
                        " --bind 0.0.0.0 --allow-anonymous --check 2>&1").status,
            0);
  // The simulator never checks tokens: --auth jwt does not make its public bind acceptable.
  EXPECT_EQ(run_command(std::string(TICKWIRED_PATH) +
                        " --role exchange --bind 0.0.0.0 --auth jwt --check 2>&1").status,
            2);
  // Loopback needs no opt-out.
  EXPECT_EQ(run_command(std::string(TICKWIRED_PATH) + " --bind 127.0.0.1 --check 2>&1").status, 0);
}

TEST(EdgeDefaults, UnusableTlsOrTokenFilesStopTheStartWithTheReason) {
  std::filesystem::create_directories("edge-bad-files");
  const auto junk = write_file("edge-bad-files/junk.pem", "not a certificate");
  const auto short_secret = write_file("edge-bad-files/short", "SECRETVALUE9");
  const auto r = run_command(std::string(TICKWIRED_PATH) + " --port 0 --tls-cert " + junk +
                             " --tls-key " + junk + " 2>&1");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("cannot load the TLS certificate " + junk), std::string::npos) << r.out;
  const auto s = run_command(std::string(TICKWIRED_PATH) +
                             " --port 0 --auth jwt --jwt-secret-file " + short_secret + " 2>&1");
  EXPECT_EQ(s.status, 2) << s.out;
  EXPECT_NE(s.out.find(short_secret), std::string::npos) << s.out;
  EXPECT_EQ(s.out.find("SECRETVALUE9"), std::string::npos) << "the secret itself is never shown";
  const auto lone = run_command(std::string(TICKWIRED_PATH) + " --port 0 --jwt-secret-file " +
                                short_secret + " 2>&1");
  EXPECT_EQ(lone.status, 2) << lone.out;
  EXPECT_NE(lone.out.find("--auth jwt"), std::string::npos) << lone.out;
}

TEST(EdgeDefaults, TheTokenCommandMintsTokensTheServerAccepts) {
  std::filesystem::create_directories("edge-cli-token");
  const auto secret = write_file("edge-cli-token/secret", kSecret);
  const auto minted = run_command(std::string(TICKWIRED_PATH) + " token --jwt-secret-file " +
                                  secret + " --sub bob --ttl 600 --symbols AAPL,MSFT");
  ASSERT_EQ(minted.status, 0) << minted.out;
  std::string token = minted.out;
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  Tickwired server({"--auth", "jwt", "--jwt-secret-file", secret}, "edge-cli-token");
  const auto ok = http_raw(server.port, get_request("/v1/quotes?symbols=MSFT", bearer(token)));
  EXPECT_EQ(ok.status, 200u) << ok.body;
  const auto no = http_raw(server.port, get_request("/v1/quotes?symbols=TSLA", bearer(token)));
  EXPECT_EQ(no.status, 403u) << no.body;
}

}  // namespace
}  // namespace tickwire::test
