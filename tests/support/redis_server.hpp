// A redis-server (Debian's) that a test starts on a free loopback port, and stops by its PID:
// explicitly, or from the destructor when the test fails early. Without persistence, unless
// asked for an append-only file (fsync'd on every write, so a kill -9 loses nothing).
#pragma once

#include <memory>
#include <string>

#include "child_process.hpp"

namespace tickwire::test {

class RedisServer {
 public:
  enum class Durability { none, append_only };
  // Picks a free loopback port; `name` names the log file (and the data directory, for
  // append_only: emptied first) in the working directory.
  explicit RedisServer(const std::string& name, Durability durability = Durability::none);
  ~RedisServer();

  unsigned short port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return process_ ? process_->pid() : -1; }

  // SIGKILL (a crash: everything held in memory is gone) or SIGTERM (a clean stop).
  void stop(int sig);
  // Starts again on the same port (empty without persistence; throws if it does not answer
  // PING within 5 s).
  void start();
  // SIGSTOP / SIGCONT: a server that keeps its sockets open but stops answering.
  void pause();
  void resume();

 private:
  std::string name_;
  Durability durability_;
  unsigned short port_ = 0;
  int starts_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// Sends one command (inline protocol) and returns the first reply line, "" on failure.
std::string redis_command(unsigned short port, const std::string& command);

}  // namespace tickwire::test
