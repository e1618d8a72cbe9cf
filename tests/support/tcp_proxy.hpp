// A loopback TCP proxy for fault injection: forwards connections to a target port, and cut()
// aborts every open connection at once (RST), as a network failure would. With a delay it is a
// slow link: each read is forwarded after the delay plus a jitter of up to half of it, in order
// (latency that tc netem would add, where the kernel has it; loss cannot be shown above TCP).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

namespace tickwire::test {

class TcpProxy {
 public:
  explicit TcpProxy(unsigned short target_port,
                    std::chrono::milliseconds delay = std::chrono::milliseconds(0));
  ~TcpProxy();
  unsigned short port() const { return port_; }
  void cut();  // abort all current connections; new ones are still accepted
  int connections_accepted() const { return accepted_.load(); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  unsigned short port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

}  // namespace tickwire::test
