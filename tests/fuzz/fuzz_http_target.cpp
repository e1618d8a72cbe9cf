// What a client controls in the request line of GET /v1/stream, /v1/ws, /v1/quotes and
// /v1/symbols: the target is split by net::parse_target (Boost.URL), then each query parameter
// goes where the servers send it: `symbols` to stream::requested_symbols (shared by every
// server), `lastEventId` to stream::last_event_id and `since` (a poll cursor) to EventId::parse
// as the hub does, `token` to auth::read_compact_token (the first thing the verifier does with
// it), `q` and `limit` to stream::symbol_search.
//
// Not reached: `wait` is read inline in FrontendServer::quotes (a private member; std::from_chars
// into a size_t, nothing to fuzz beyond the standard library).
//
// Input: the request target, as the client sent it.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "auth/compact_token.hpp"
#include "fuzz_check.hpp"
#include "net/http_reply.hpp"
#include "net/http_target.hpp"
#include "ops/metrics.hpp"
#include "stream/event_id.hpp"
#include "stream/stream_request.hpp"
#include "stream/symbol_search.hpp"
#include "tickwire/symbol.hpp"
#include "tickwire/symbol_directory.hpp"

namespace {

using namespace tickwire;

struct Server {
  ops::Registry metrics;
  net::ErrorReplies errors{metrics, "tickwire_fuzz"};
  SymbolDirectory directory{{{"AAPL", "Apple Inc."},
                             {"BRK.B", "Berkshire Hathaway Inc. Class B"},
                             {"BF-B", "Brown-Forman Corporation Class B"},
                             {"MSFT", "Microsoft Corporation"},
                             {"T", "AT&T Inc."}}};
};

void check_event_id(std::string_view text) {
  const auto id = stream::EventId::parse(text);
  if (!id) return;
  const auto again = stream::EventId::parse(id->str());
  FUZZ_CHECK(again && again->epoch == id->epoch && again->n == id->n);
}

void check_symbols(const net::Request& req, const net::HttpTarget& target, Server& server,
                   std::size_t max_symbols, bool listed_only) {
  stream::SymbolLimits limits{max_symbols, nullptr};
  if (listed_only) {
    limits.is_listed = [&](std::string_view s) { return server.directory.contains(s); };
  }
  auto result = stream::requested_symbols(req, target, limits, server.errors);
  if (const auto* symbols = std::get_if<std::vector<std::string>>(&result)) {
    FUZZ_CHECK(!symbols->empty() && symbols->size() <= max_symbols);
    std::set<std::string> distinct;
    for (const auto& s : *symbols) {
      FUZZ_CHECK(is_valid_symbol(s));
      FUZZ_CHECK(!listed_only || server.directory.contains(s));
      FUZZ_CHECK(distinct.insert(s).second);
    }
  } else {
    const auto& res = std::get<net::Response>(result);
    FUZZ_CHECK(res.result_int() == 400 || res.result_int() == 413);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  static Server server;
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  const auto target = net::parse_target(text);
  if (!target) return 0;
  FUZZ_CHECK(target->path.empty() || target->path.front() == '/');

  net::Request req{net::http::verb::get, "/", 11};
  check_symbols(req, *target, server, 500, false);
  check_symbols(req, *target, server, 2, true);

  // Without the header the query parameter is the resume point; with it, the header wins.
  const auto resume = stream::last_event_id(req, *target);
  const auto* param = target->param("lastEventId");
  FUZZ_CHECK(resume == (param ? *param : std::string()));
  check_event_id(resume);
  req.set("Last-Event-ID", "7.42");
  FUZZ_CHECK(stream::last_event_id(req, *target) == "7.42");
  if (const auto* since = target->param("since")) check_event_id(*since);

  if (const auto* token = target->param("token")) {
    std::string why;
    const auto parsed = auth::read_compact_token(*token, why);
    FUZZ_CHECK(parsed.has_value() == why.empty());
    const auto decoded = auth::base64url_decode(*token);
    if (decoded) FUZZ_CHECK(decoded->size() == token->size() * 3 / 4);
  }

  const auto res = stream::symbol_search(server.directory, req, *target, server.errors);
  FUZZ_CHECK(res.result_int() == 200 || res.result_int() == 400);
  return 0;
}
