#include "machine_cpu.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace tickwire::bench {

MachineCpu read_machine_cpu() {
  MachineCpu m;
  std::ifstream in("/proc/stat");
  std::string line;
  if (!std::getline(in, line) || line.rfind("cpu ", 0) != 0) return m;
  std::istringstream fields(line.substr(4));
  for (auto& t : m.ticks) {
    if (!(fields >> t)) return MachineCpu{};
  }
  return m;
}

boost::json::object cpu_between(const MachineCpu& from, const MachineCpu& to) {
  std::array<double, 8> d{};
  double total = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    d[i] = to.ticks[i] >= from.ticks[i] ? static_cast<double>(to.ticks[i] - from.ticks[i]) : 0.0;
    total += d[i];
  }
  if (total <= 0) {
    return {{"seconds", nullptr}, {"busy", nullptr}, {"user", nullptr}, {"system", nullptr},
            {"softirq", nullptr}};
  }
  enum { user, nice, system, idle, iowait, irq, softirq, steal };
  return {{"seconds", total / static_cast<double>(sysconf(_SC_CLK_TCK))},
          {"busy", 1.0 - (d[idle] + d[iowait]) / total},
          {"user", (d[user] + d[nice]) / total},
          {"system", d[system] / total},
          {"softirq", (d[irq] + d[softirq]) / total}};
}

}  // namespace tickwire::bench
