#include "fake_provider_log.hpp"

#include <algorithm>
#include <thread>

namespace tickwire::test {

std::size_t FakeProviderLog::connections_total() const {
  std::lock_guard lock(mu_);
  return total_;
}
std::size_t FakeProviderLog::max_concurrent_connections() const {
  std::lock_guard lock(mu_);
  return max_concurrent_;
}
std::size_t FakeProviderLog::auth_failures() const {
  std::lock_guard lock(mu_);
  return auth_failures_;
}
std::size_t FakeProviderLog::rejected_connection_limit() const {
  std::lock_guard lock(mu_);
  return rejected_;
}
std::vector<std::string> FakeProviderLog::received() const {
  std::lock_guard lock(mu_);
  return received_;
}
std::size_t FakeProviderLog::rest_requests(const std::string& path) const {
  std::lock_guard lock(mu_);
  const auto it = rest_count_.find(path);
  return it == rest_count_.end() ? 0 : it->second;
}
std::string FakeProviderLog::last_rest_query(const std::string& path) const {
  std::lock_guard lock(mu_);
  const auto it = rest_query_.find(path);
  return it == rest_query_.end() ? std::string() : it->second;
}

bool FakeProviderLog::wait_for(const std::function<bool()>& pred,
                               std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return pred();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

void FakeProviderLog::note_rest(const std::string& target) {
  const auto path = target.substr(0, target.find('?'));
  ++rest_count_[path];
  rest_query_[path] = target.size() > path.size() ? target.substr(path.size() + 1) : std::string();
}

}  // namespace tickwire::test
