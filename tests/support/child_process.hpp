// A process a test starts (tickwired), always ended by its PID: explicitly, or by the
// destructor (SIGKILL) when the test fails early.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tickwire::test {

class ChildProcess {
 public:
  struct Options {
    std::vector<std::string> argv;
    std::string log_file;            // stdout and stderr go here
    long open_file_limit = 0;        // > 0: soft and hard RLIMIT_NOFILE for the child
  };
  explicit ChildProcess(const Options& options);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void signal(int sig);
  // The exit status (or 128 + signal), or nullopt if still running after `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  // Resident set size in KiB, read from /proc/<pid>/status.
  long rss_kib() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

// Starts tickwired (TICKWIRED_PATH) on a free loopback port (or `port`) with `args`, and waits
// until it answers /readyz (with --tls-cert: only until it listens).
struct Tickwired {
  Tickwired(std::vector<std::string> args, const std::string& name, long open_file_limit = 0,
            unsigned short port = 0);
  std::unique_ptr<ChildProcess> process;
  unsigned short port = 0;
  std::string log_file;
};

}  // namespace tickwire::test
