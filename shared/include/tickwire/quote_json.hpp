// The JSON codec for quotes: the one place that knows the wire names (see docs/api.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tickwire/quote.hpp"

namespace tickwire {

// Appends the quote as a compact JSON object. The symbol must satisfy is_valid_symbol().
void append_quote_json(std::string& out, const Quote& q);
std::string encode_quote(const Quote& q);

// Parses one quote object. Returns nullopt (and a reason in *error) on anything that is not a
// well-formed quote: not an object, a missing or mistyped required field (symbol, seq, ts,
// last), an invalid symbol, or a negative number where none may be.
std::optional<Quote> decode_quote(std::string_view json, std::string* error = nullptr);

// Snapshot payload: {"quotes":[...]} built from already-encoded quote objects, and its decoder.
// `unknown`: requested symbols the server does not list, as {"quotes":[...],"unknown":[...]}.
// `heartbeat_s`, when not 0: the most seconds the stream stays silent, as "heartbeat":15 (a
// client that hears nothing for longer knows the server stopped answering).
std::string encode_snapshot(const std::vector<std::string_view>& encoded_quotes,
                            const std::vector<std::string>& unknown = {},
                            unsigned heartbeat_s = 0);
std::optional<std::vector<Quote>> decode_snapshot(std::string_view json,
                                                  std::string* error = nullptr);
// The `unknown` list of a snapshot or poll answer (empty when it has none or is not JSON).
std::vector<std::string> decode_unknown_symbols(std::string_view json);
// A snapshot's `heartbeat` in seconds; 0 when it has none, or not a positive whole number.
unsigned decode_snapshot_heartbeat(std::string_view json);

// A message from GET /v1/ws (see docs/api.md): "snapshot" (quotes, symbols), "quote" (one
// quote), "unsubscribed", or "error" (error, detail). nullopt when it is not one of these.
struct WsMessage {
  std::string type;
  std::string id;  // event id of a snapshot or quote
  std::vector<Quote> quotes;
  // snapshot: the connection's symbols; unsubscribed: removed; error: the ones it is about
  std::vector<std::string> symbols;
  std::string error, detail;  // error: code and detail; status: detail is the reason
  std::string state;          // status: "live" or "stale"
};
std::optional<WsMessage> decode_ws_message(std::string_view json, std::string* error = nullptr);

// An SSE `status` event's data, {"state":"live"|"stale","reason":...}: true when live; nullopt
// when it is not one.
std::optional<bool> decode_status_live(std::string_view json);

// A status that concerns one symbol (docs/api.md): {"state":"unavailable","reason":...,
// "symbol":...} while the upstream does not carry it, {"state":"available","symbol":...} when it
// does again. The data of an SSE `status` event, a WebSocket `status` message (with "type") or
// an entry of a poll answer's `unavailable`. nullopt when it is not one.
struct SymbolStatusMessage {
  std::string symbol;
  bool available = false;
  std::string reason;  // unavailable: a short code such as "upstream_symbol_limit"
};
std::optional<SymbolStatusMessage> decode_symbol_status(std::string_view json);

// A GET /v1/quotes answer: {"cursor": ..., "quotes": [...], "pending": [...],
// "unavailable": [...], "status": ...}.
struct PollAnswer {
  std::string cursor;
  std::vector<Quote> quotes;
  std::vector<std::string> pending;
  std::vector<SymbolStatusMessage> unavailable;  // requested symbols the upstream does not carry
  std::vector<std::string> unknown;  // requested symbols the server does not list
  bool stale = false;  // "status":"stale": the server cannot reach its cache tier
};
std::optional<PollAnswer> decode_poll_answer(std::string_view json, std::string* error = nullptr);

}  // namespace tickwire
