#include "redis_server.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace tickwire::test {

namespace asio = boost::asio;

// Debian's redis-server (packaging/install-deps.sh installs it).
#ifndef REDIS_SERVER_PATH
#define REDIS_SERVER_PATH "/usr/bin/redis-server"
#endif

namespace {
unsigned short free_loopback_port() {
  asio::io_context ioc;
  asio::ip::tcp::acceptor a(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}
}  // namespace

std::string redis_command(unsigned short port, const std::string& command) {
  try {
    asio::io_context ioc;
    asio::ip::tcp::socket s(ioc);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(s, asio::buffer(command + "\r\n"));
    std::string line;
    asio::read_until(s, asio::dynamic_buffer(line), "\r\n");
    return line.substr(0, line.find("\r\n"));
  } catch (const std::exception&) {
    return {};
  }
}

RedisServer::RedisServer(const std::string& name, Durability durability)
    : name_(name), durability_(durability) {
  if (durability_ == Durability::append_only) {
    std::filesystem::remove_all(name_ + "-data");
    std::filesystem::create_directories(name_ + "-data");
  }
  // The port is free when picked; a server that loses the race to another process fails to
  // start, and another port is tried.
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_loopback_port();
    try {
      start();
      return;
    } catch (const std::runtime_error&) {
      process_.reset();
    }
  }
  throw std::runtime_error("redis-server did not start; see " + name_ + "*.log");
}

RedisServer::~RedisServer() { process_.reset(); }  // SIGKILL by PID if still running

void RedisServer::start() {
  const auto log = "./" + name_ + "-" + std::to_string(++starts_) + ".log";
  std::vector<std::string> args{REDIS_SERVER_PATH, "--port", std::to_string(port_), "--bind",
                                "127.0.0.1",       "--save", "",   "--daemonize",
                                "no",              "--protected-mode", "yes"};
  if (durability_ == Durability::append_only) {
    args.insert(args.end(), {"--appendonly", "yes", "--appendfsync", "always", "--dir",
                             std::filesystem::absolute(name_ + "-data").string()});
  } else {
    args.insert(args.end(), {"--appendonly", "no"});
  }
  process_ = std::make_unique<ChildProcess>(ChildProcess::Options{std::move(args), log, 0});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline && process_->running()) {
    if (redis_command(port_, "PING") == "+PONG") return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("redis-server did not answer on port " + std::to_string(port_) +
                           "; see " + log);
}

void RedisServer::pause() {
  if (process_) process_->signal(SIGSTOP);
}

void RedisServer::resume() {
  if (process_) process_->signal(SIGCONT);
}

void RedisServer::stop(int sig) {
  if (!process_) return;
  process_->signal(sig);
  process_->wait_exit(std::chrono::seconds(5));
  process_.reset();
}

}  // namespace tickwire::test
