// One GET of a provider's REST API, read into a typed document: `parse` turns a 200 answer's
// body into T (or says why not); any failure on the way (TLS, status, parse) reaches `done` as a
// reason for the logs, never holding a key (see net::http_get).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_get.hpp"

namespace tickwire::dispatch {

template <class T>
void fetch_document(boost::asio::any_io_executor ex,
                    std::shared_ptr<boost::asio::ssl::context> tls, net::HttpGetRequest request,
                    std::function<std::optional<T>(std::string_view, std::string*)> parse,
                    std::function<void(std::optional<T>, const std::string& why)> done) {
  net::http_get(ex, std::move(tls), std::move(request),
                [parse = std::move(parse), done = std::move(done)](net::HttpGetResult r) {
                  std::string why = r.error;
                  if (why.empty() && r.status != 200) why = "HTTP " + std::to_string(r.status);
                  std::optional<T> doc;
                  if (why.empty()) doc = parse(r.body, &why);
                  done(std::move(doc), why);
                });
}

}  // namespace tickwire::dispatch
