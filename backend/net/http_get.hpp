// A one-shot asynchronous HTTP(S) GET, for small JSON documents: the symbol directory, a
// provider's snapshots or symbol list.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "net/service_url.hpp"

namespace tickwire::net {

struct HttpGetResult {
  // Empty on a completed exchange (whatever the status). Never holds a header value or the
  // URL's query (they may carry keys).
  std::string error;
  unsigned status = 0;
  std::string body;
};

struct HttpGetRequest {
  ServiceUrl url;  // http or https
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::seconds timeout{10};  // the whole exchange
  std::size_t body_limit = 8 << 20;
};

// `tls` is needed for https (see tls_client_context.hpp); `done` runs on `ex`.
void http_get(boost::asio::any_io_executor ex, std::shared_ptr<boost::asio::ssl::context> tls,
              HttpGetRequest request, std::function<void(HttpGetResult)> done);

// Plain HTTP to host:port.
void http_get(boost::asio::any_io_executor ex, std::string host, std::string port,
              std::string target, std::chrono::seconds timeout, std::size_t body_limit,
              std::function<void(HttpGetResult)> done);

}  // namespace tickwire::net
