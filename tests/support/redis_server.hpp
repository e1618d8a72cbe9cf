// A redis-server (Debian's) that a test starts on a free loopback port, without persistence,
// and stops by its PID: explicitly, or from the destructor when the test fails early.
#pragma once

#include <memory>
#include <string>

#include "child_process.hpp"

namespace tickwire::test {

class RedisServer {
 public:
  // Picks a free loopback port; `name` names the log file in the working directory.
  explicit RedisServer(const std::string& name);
  ~RedisServer();

  unsigned short port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return process_ ? process_->pid() : -1; }

  // SIGKILL (a crash: everything held in memory is gone) or SIGTERM (a clean stop).
  void stop(int sig);
  // Starts again on the same port, empty (throws if it does not answer PING within 5 s).
  void start();

 private:
  std::string name_;
  unsigned short port_ = 0;
  int starts_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// Sends one command (inline protocol) and returns the first reply line, "" on failure.
std::string redis_command(unsigned short port, const std::string& command);

}  // namespace tickwire::test
