#include "net/connection_limits.hpp"

namespace tickwire::net {

ConnectionLimits::Ticket& ConnectionLimits::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = std::exchange(other.owner_, nullptr);
    entry_ = std::exchange(other.entry_, nullptr);
  }
  return *this;
}

void ConnectionLimits::Ticket::release() noexcept {
  if (!owner_) return;
  owner_->release(entry_);
  owner_ = nullptr;
  entry_ = nullptr;
}

ConnectionLimits::Verdict ConnectionLimits::admit(const boost::asio::ip::address& ip,
                                                  Ticket& ticket) {
  if (!enabled()) return Verdict::admitted;
  std::lock_guard lock(mu_);
  if (caps_.total > 0 && total_ >= caps_.total) return Verdict::over_total;
  std::pair<const boost::asio::ip::address, std::size_t>* entry = nullptr;
  if (caps_.per_ip > 0) {
    auto& slot = *per_ip_.try_emplace(ip, 0).first;
    if (slot.second >= caps_.per_ip) return Verdict::over_ip;
    ++slot.second;
    entry = &slot;
  }
  ++total_;
  ticket.release();
  ticket.owner_ = this;
  ticket.entry_ = entry;
  return Verdict::admitted;
}

void ConnectionLimits::release(std::pair<const boost::asio::ip::address, std::size_t>* entry) noexcept {
  std::lock_guard lock(mu_);
  --total_;
  if (entry && --entry->second == 0) {
    const auto ip = entry->first;  // a copy: the key goes with the node
    per_ip_.erase(ip);
  }
}

std::size_t ConnectionLimits::open() const {
  std::lock_guard lock(mu_);
  return total_;
}

}  // namespace tickwire::net
