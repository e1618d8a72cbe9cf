#include "proc_stats.hpp"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace tickwire::bench {

namespace {
// Fields of /proc/PID/stat after the command name (which may hold spaces and parentheses).
std::vector<std::string> stat_fields(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return {};
  const auto close = line.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(line.substr(close + 2));
  std::vector<std::string> f;
  for (std::string w; rest >> w;) f.push_back(w);
  return f;  // f[0] is field 3 (state); ppid is f[1], utime f[11], stime f[12]
}

long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}
}  // namespace

ProcStats read_proc_stats(const std::vector<pid_t>& pids) {
  const std::set<pid_t> parents(pids.begin(), pids.end());
  std::set<pid_t> all = parents;
  if (DIR* d = opendir("/proc")) {
    while (dirent* e = readdir(d)) {
      const pid_t p = static_cast<pid_t>(std::atol(e->d_name));
      if (p <= 0) continue;
      const auto f = stat_fields(p);
      if (f.size() > 1 && parents.contains(std::stoi(f[1]))) {
        all.insert(p);
      }
    }
    closedir(d);
  }
  ProcStats s;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  for (const pid_t p : all) {
    const auto f = stat_fields(p);
    if (f.size() < 13) continue;
    s.cpu_seconds += (std::stod(f[11]) + std::stod(f[12])) / tick;
    s.rss_kib += rss_kib(p);
    ++s.processes;
  }
  return s;
}

}  // namespace tickwire::bench
