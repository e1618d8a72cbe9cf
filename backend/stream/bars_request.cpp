#include "stream/bars_request.hpp"

#include "tickwire/symbol.hpp"

namespace tickwire::stream {

std::variant<std::string, net::Response> bars_request(const SymbolDirectory& directory,
                                                      const net::Request& req,
                                                      const net::HttpTarget& target,
                                                      net::ErrorReplies& errors) {
  const auto* symbol = target.param("symbol");
  if (!symbol || symbol->empty()) {
    return errors.make(net::http::status::bad_request, "missing_parameter",
                       "name one symbol: /v1/bars?symbol=AAPL", req.version(), req.keep_alive());
  }
  if (!is_valid_symbol(*symbol)) {
    return errors.make(net::http::status::bad_request, "bad_symbol",
                       "invalid symbol: 1-12 characters, an upper-case letter then A-Z, 0-9, "
                       "'.' or '-'",
                       req.version(), req.keep_alive());
  }
  if (const auto* interval = target.param("interval"); interval && *interval != "1m") {
    return errors.make(net::http::status::bad_request, "bad_parameter",
                       "interval must be 1m (one-minute bars are the only ones kept)",
                       req.version(), req.keep_alive());
  }
  if (!directory.contains(*symbol)) {
    return errors.make(net::http::status::not_found, "unknown_symbol",
                       "the server does not list " + *symbol, req.version(), req.keep_alive());
  }
  return *symbol;
}

}  // namespace tickwire::stream
