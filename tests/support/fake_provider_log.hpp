// What a fake provider saw, kept the same way by fake_alpaca and fake_finnhub: connections,
// refused credentials, every client message, REST calls. Its accessors are thread-safe (tests
// read while the fake's thread writes under mu_).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace tickwire::test {

class FakeProviderLog {
 public:
  std::size_t connections_total() const;
  std::size_t max_concurrent_connections() const;  // live at once (Alpaca: authenticated)
  std::size_t auth_failures() const;               // credentials refused
  std::size_t rejected_connection_limit() const;   // connections refused over the limit
  std::vector<std::string> received() const;      // every client message, in order
  std::size_t rest_requests(const std::string& path) const;
  std::string last_rest_query(const std::string& path) const;

  // Polls `pred` (which may call the accessors above) until it holds or `timeout` passes; what
  // it returned last. Tests wait on what they can observe instead of sleeping.
  bool wait_for(const std::function<bool()>& pred, std::chrono::milliseconds timeout) const;

 protected:
  // The caller holds mu_.
  void note_rest(const std::string& target);
  void note_live(std::size_t live) { max_concurrent_ = std::max(max_concurrent_, live); }

  mutable std::mutex mu_;
  std::size_t total_ = 0;
  std::size_t max_concurrent_ = 0;
  std::size_t auth_failures_ = 0;
  std::size_t rejected_ = 0;
  std::vector<std::string> received_;
  std::map<std::string, std::size_t> rest_count_;
  std::map<std::string, std::string> rest_query_;
};

}  // namespace tickwire::test
