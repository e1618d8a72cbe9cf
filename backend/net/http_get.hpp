// A one-shot asynchronous HTTP GET (for small JSON documents such as the symbol directory).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <string>

namespace tickwire::net {

struct HttpGetResult {
  std::string error;  // empty on a completed exchange (whatever the status)
  unsigned status = 0;
  std::string body;
};

void http_get(boost::asio::any_io_executor ex, std::string host, std::string port,
              std::string target, std::chrono::seconds timeout, std::size_t body_limit,
              std::function<void(HttpGetResult)> done);

}  // namespace tickwire::net
