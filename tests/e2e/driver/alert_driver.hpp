// The alerts script of the desktop e2e tests (issue 16, point 2), run by
// tests/e2e/desktop_alerts.sh with the bundled backend, under a session bus the test started
// with a notification service of its own (fake-notifications) and a monitor on it:
//   1. quotes of NVDA come;
//   2. Ctrl+5 opens the Alerts screen;
//   3. two alerts typed into its form: NVDA at or above one cent over the last price, and at
//      or below one cent under it (whichever way the price goes next, one crossing comes);
//   4. an alert fires: its state, the notification's way out (the desktop's service, or the
//      app's own banner) and the highlighted watchlist row are reported;
//   5. two seconds more: nothing fires twice.
// With `viaTray` (tests/e2e/desktop_alerts.sh's second run: a tray host, no notification
// service), the window is closed to the tray after step 3; the alert must still fire, and go
// out as the tray icon's message, which step 5 grabs from the screen (tray-notification.png).
// check_alerts.py compares the report with what the notification service and the monitor saw.
#pragma once

#include "script_driver.hpp"

namespace tickwire::desktop {

class AlertDriver : public ScriptDriver {
  Q_OBJECT
 public:
  AlertDriver(AppController& app, QQuickWindow& window, Options options, bool viaTray = false);

 private:
  void typeAlert(int kindIndex, double level);
  qint64 quietSince_ = 0;
};

}  // namespace tickwire::desktop
