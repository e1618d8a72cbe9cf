// Blocking HTTP/1.1 exchanges over loopback for tests, with a deadline. Takes raw request bytes,
// so tests can send malformed or oversized requests as an attacker would.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace tickwire::test {

struct HttpReply {
  bool ok = false;        // a complete response arrived
  std::string error;      // why not
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

HttpReply http_raw(unsigned short port, const std::string& request,
                   std::chrono::milliseconds timeout = std::chrono::seconds(5));
HttpReply http_get(unsigned short port, const std::string& target,
                   std::chrono::milliseconds timeout = std::chrono::seconds(5));

// The value of one series in Prometheus text ("name" or "name{label=\"v\"}"); NaN if absent.
double metric_value(const std::string& exposition, const std::string& series);
double scrape(unsigned short port, const std::string& series);

}  // namespace tickwire::test
