#include "child_process.hpp"

#include "http_probe.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <sys/prctl.h>
#include <thread>

namespace tickwire::test {

ChildProcess::ChildProcess(const Options& options) {
  std::vector<char*> argv;
  for (const auto& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // A test that crashes never runs its destructors: its children must not outlive it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);  // it died before the line above
    if (!options.log_file.empty()) {
      const int fd = ::open(options.log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        ::close(fd);
      }
    }
    if (options.open_file_limit > 0) {
      rlimit lim{static_cast<rlim_t>(options.open_file_limit),
                 static_cast<rlim_t>(options.open_file_limit)};
      ::setrlimit(RLIMIT_NOFILE, &lim);
    }
    ::execv(argv[0], argv.data());
    std::perror("execv");
    ::_exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait_exit(std::chrono::seconds(5));
  }
}

bool ChildProcess::running() {
  if (status_) return false;
  int st = 0;
  const auto r = ::waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return false;
  }
  return r == 0;
}

void ChildProcess::signal(int sig) {
  if (running()) ::kill(pid_, sig);
}

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status_;
}

long ChildProcess::rss_kib() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      long kib = 0;
      in >> kib;
      return kib;
    }
    in.ignore(4096, '\n');
  }
  return -1;
}

Tickwired::Tickwired(std::vector<std::string> args, const std::string& name,
                     long open_file_limit, unsigned short fixed_port) {
  // Logs and port files go to the test's working directory (the build tree), kept for
  // post-mortems when a test fails.
  const std::string dir = ".";
  const std::string port_file = dir + "/" + name + ".port";
  log_file = dir + "/" + name + ".log";
  std::remove(port_file.c_str());
  std::vector<std::string> argv{TICKWIRED_PATH, "--port", std::to_string(fixed_port),
                                "--port-file", port_file};
  argv.insert(argv.end(), args.begin(), args.end());
  process = std::make_unique<ChildProcess>(ChildProcess::Options{argv, log_file, open_file_limit});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(port_file);
    int p = 0;
    if (in >> p && p > 0) {
      port = static_cast<unsigned short>(p);
      // Over TLS this plain probe cannot ask: the test waits for /readyz itself (https_get).
      if (std::find(args.begin(), args.end(), "--tls-cert") != args.end()) return;
      // Ready once the symbol directory is loaded from the (built-in) exchange.
      while (std::chrono::steady_clock::now() < deadline && process->running()) {
        if (http_get(port, "/readyz").status == 200) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      break;
    }
    if (!process->running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("tickwired did not start; see " + log_file);
}

}  // namespace tickwire::test
