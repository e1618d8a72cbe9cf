// FUZZ_CHECK: an invariant of a fuzz target. Unlike assert() it also holds in builds with
// NDEBUG, and it aborts, which libFuzzer reports as a crash and saves the input for.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#define FUZZ_CHECK(cond)                                                                  \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                       \
    }                                                                                     \
  } while (false)

namespace fuzz {

// KNOWN, NOT FIXED (docs/reliability.md, "Fuzzing"): Boost.JSON 1.81 parses numbers in its
// fast mode, documented as precise to 15 significant digits; the encoders write the shortest
// digits that round-trip (up to 17), and some computed values come back 1 or 2 ULP off. Until
// the codecs read numbers precisely, prices are compared within 2 ULP.
inline bool within_2_ulp(double a, double b) {
  if (a == b) return true;
  if (std::signbit(a) != std::signbit(b)) return false;
  std::int64_t x = 0, y = 0;
  std::memcpy(&x, &a, sizeof x);
  std::memcpy(&y, &b, sizeof y);
  return (x > y ? x - y : y - x) <= 2;
}

}  // namespace fuzz
