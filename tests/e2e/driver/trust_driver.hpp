// The "trust" script of the desktop e2e tests (issue 16, point 1), run against a fleet that
// tests/e2e/desktop_trust.sh starts and disturbs. In order, each step waiting (at most 40 s)
// for what the user would see:
//   1. a list saved with a symbol the server no longer lists (ZZZZ) keeps its other rows
//      ticking, and that row says it is not listed;
//   2. "micro" typed in the add field and Enter: refused at entry with a message, no row added;
//   3. "nfl" typed, ↓ then Enter: the highlighted suggestion is added;
//   4. the frontend paused with SIGSTOP: the badge says "No data for N s" (time measured from
//      the pause), and "Live" again after SIGCONT;
//   5. a dispatcher killed with -9: its card leaves the operator view (time measured from the
//      kill).
// The shell script acts on the driver's signals (ScriptDriver); what the driver saw goes to the
// JSON report that check_trust.py reads. Test code: only in tickwire-e2e.
#pragma once

#include "script_driver.hpp"

namespace tickwire::desktop {

class TrustDriver : public ScriptDriver {
  Q_OBJECT
 public:
  TrustDriver(AppController& app, QQuickWindow& window, Options options);

 private:
  QHash<QString, int> ticksBefore_;
  QString picked_;
  int attemptsBefore_ = 0;
  int ticksAtReconnect_ = -1;
};

}  // namespace tickwire::desktop
