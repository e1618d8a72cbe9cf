// The whole machine's CPU time, from /proc/stat: two readings give how busy the cores were
// between them and where the time went. A run that holds more clients than the machine's cores
// can serve shows it here, whoever the busy processes were (the server, the generator, or the
// kernel's work for both ends of every loopback connection).
#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>

namespace tickwire::bench {

struct MachineCpu {
  // user, nice, system, idle, iowait, irq, softirq, steal (clock ticks); all 0 if unreadable.
  std::array<std::uint64_t, 8> ticks{};
};

MachineCpu read_machine_cpu();

// Between two readings: {"seconds": core-seconds in all, "busy": share of them not idle, and the
// shares of "user" (with nice), "system" and "softirq" (with irq)}; null fields when the readings
// are missing or no time passed.
boost::json::object cpu_between(const MachineCpu& from, const MachineCpu& to);

}  // namespace tickwire::bench
