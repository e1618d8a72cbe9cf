// A server's resource use from /proc: CPU time (user + system) and resident memory, summed over
// the given processes and their direct children (nginx's workers, several tickwired frontends).
#pragma once

#include <sys/types.h>

#include <vector>

namespace tickwire::bench {

struct ProcStats {
  double cpu_seconds = 0;  // utime + stime
  long rss_kib = 0;
  int processes = 0;
};

// `pids` and their children; processes that are gone are skipped.
ProcStats read_proc_stats(const std::vector<pid_t>& pids);

}  // namespace tickwire::bench
