// One price alert and the rule that decides when it fires; no Qt objects, no I/O, so that the
// rule is tested on its own (tests/desktop/tst_alerts.cpp).
//
// Kinds (`level` is a price for the first two, a percentage for the others):
//   above       the last price reaches `level` or more
//   below       the last price reaches `level` or less
//   dayChange   the day's change reaches ±`level` % (either way)
//   move        the price moves `level` % or more within `minutes` (from the lowest or the
//               highest price of that window to the last one)
//
// An alert fires once per crossing: armed, it first has to see the value on the quiet side of
// its level, and only then does reaching the level fire it, so an alert made while the price
// is already past its level waits for the price to come back and cross again. After firing it
// stays fired until the user re-arms it, or, with `autoRearm`, re-arms by itself. A re-armed
// alert needs the value back past a hysteresis band (0.25 % of a price level, a tenth of a
// percentage level) before it can fire again, so a price hovering at the level fires it once,
// not on every tick.
#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <optional>

namespace tickwire::desktop {

struct AlertRule {
  enum class Kind { Above, Below, DayChange, Move };
  enum class State { Armed, Fired };

  qint64 id = 0;
  QString symbol;
  Kind kind = Kind::Above;
  double level = 0;
  int minutes = 0;  // Move: the window, 1..60
  bool autoRearm = false;

  State state = State::Armed;
  bool primed = false;    // seen on the quiet side since it was armed
  bool needsBand = false;  // re-armed: "the quiet side" starts past the hysteresis band
  qint64 firedAtMs = 0;   // Unix ms of the last firing
  double firedValue = 0;  // the price (above/below) or percentage that fired it

  static constexpr int kMaxMinutes = 60;

  // Why a rule cannot be made, for the form; empty when it can. The symbol is checked by the
  // caller against the server's list.
  static QString problemWith(Kind kind, double level, int minutes);
  static std::optional<Kind> kindFromName(const QString& name);
  static QString kindName(Kind kind);
  // "AAPL above 230.00", "NVDA moves 7% within 5 min"
  QString describe() const;
};

// What a rule looks at: the last price, the day's change in percent, and, for `move`, the
// lowest and highest price within its window.
struct AlertInput {
  double last = 0;
  double changePct = 0;
  bool hasChangePct = false;
  double windowLow = 0, windowHigh = 0;  // move only; 0 when there is no history yet
};

// Feeds one observation to `rule` (Armed alerts only; a Fired one is left alone). Returns true
// when this observation fires it: the rule is then Fired (or, with autoRearm, Armed again and
// unprimed), with firedAtMs/firedValue set.
bool evaluate(AlertRule& rule, const AlertInput& in, qint64 nowMs);

// Puts a fired (or any) rule back to Armed, unprimed.
void rearm(AlertRule& rule);

// Prices within a sliding time window, for `move` rules: at most one point per second is kept
// (the newest of that second), so a window holds at most 3,600 points.
class PriceWindow {
 public:
  void add(qint64 nowMs, double price);
  // Lowest and highest price since nowMs - minutes; {0, 0} when empty.
  QPair<double, double> range(qint64 nowMs, int minutes) const;
  void trim(qint64 nowMs, int minutes);
  int size() const { return static_cast<int>(points_.size()); }

 private:
  QList<QPair<qint64, double>> points_;  // (ms, price), oldest first
};

}  // namespace tickwire::desktop
