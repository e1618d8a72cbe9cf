// --cache kafka://HOST:PORT[,HOST:PORT...]: the Kafka brokers the cache tier bootstraps from
// (issue 17; docs/operations.md, "Scale-out on Kafka").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tickwire::cache::kafka {

struct KafkaUrl {
  struct Broker {
    std::string host;  // a name, an IPv4 address, or an IPv6 address without brackets
    int port = 9092;
  };
  std::vector<Broker> brokers;  // in the URL's order, at least one
  // librdkafka's bootstrap.servers: "host:port,[v6]:port,...".
  std::string bootstrap_servers() const;
  std::string str() const { return "kafka://" + bootstrap_servers(); }
};

// kafka://host[:port][,host[:port]...], each host a name, an IPv4 address or a bracketed IPv6
// address, the port 1-65535 (default 9092); nullopt and `why` otherwise (no user, password,
// path, query or fragment: SASL and TLS to the brokers are not supported yet).
std::optional<KafkaUrl> parse_kafka_url(std::string_view url, std::string* why);

}  // namespace tickwire::cache::kafka
