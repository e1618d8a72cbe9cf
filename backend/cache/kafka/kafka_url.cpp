#include "cache/kafka/kafka_url.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>

#include "tickwire/host_name.hpp"
#include "tickwire/tcp_port.hpp"

namespace tickwire::cache::kafka {

std::string KafkaUrl::bootstrap_servers() const {
  std::string out;
  for (const auto& b : brokers) {
    if (!out.empty()) out += ',';
    const bool v6 = b.host.find(':') != std::string::npos;
    out += v6 ? "[" + b.host + "]" : b.host;
    out += ':' + std::to_string(b.port);
  }
  return out;
}

std::optional<KafkaUrl> parse_kafka_url(std::string_view url, std::string* why) {
  auto fail = [&](std::string message) -> std::optional<KafkaUrl> {
    if (why) *why = std::move(message);
    return std::nullopt;
  };
  constexpr std::string_view scheme = "kafka://";
  if (url.substr(0, scheme.size()) != scheme) {
    return fail("the scheme must be kafka:// (kafka://HOST:PORT[,HOST:PORT...])");
  }
  const std::string_view rest = url.substr(scheme.size());
  if (rest.find_first_of("/?#@") != std::string_view::npos) {
    return fail("only brokers are expected: no user, path, query or fragment");
  }
  // A URL has one authority; Kafka's bootstrap list has several, so each comma-separated
  // entry is parsed as an authority of its own (Boost.URL checks host and port).
  KafkaUrl out;
  std::size_t at = 0;
  while (at <= rest.size()) {
    const auto comma = std::min(rest.find(',', at), rest.size());
    const std::string_view entry = rest.substr(at, comma - at);
    at = comma + 1;
    if (entry.empty()) return fail("an empty broker in the list");
    const auto parsed = boost::urls::parse_authority(entry);
    if (!parsed) return fail("not a HOST:PORT: " + std::string(entry));
    const auto& a = *parsed;
    KafkaUrl::Broker b;
    b.host = a.host_type() == boost::urls::host_type::name ? std::string(a.host_name())
                                                           : std::string(a.host_address());
    if (b.host.empty()) return fail("no host in " + std::string(entry));
    if (a.host_type() == boost::urls::host_type::name && !is_host_name(a.encoded_host())) {
      return fail("not a host name: " + std::string(entry) + " " + std::string(kHostNameRule));
    }
    if (a.has_port()) {
      const auto port = parse_tcp_port(a.port());
      if (!port) return fail("bad port in " + std::string(entry) + " (1-65535)");
      b.port = *port;
    }
    out.brokers.push_back(std::move(b));
  }
  return out;
}

}  // namespace tickwire::cache::kafka
