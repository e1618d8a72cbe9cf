#include "alert_rule.hpp"

#include <QCoreApplication>
#include <QLocale>
#include <algorithm>
#include <cmath>

namespace tickwire::desktop {

namespace {
constexpr double kPriceBand = 0.0025;   // of a price level
constexpr double kPercentBand = 0.10;   // of a percentage level

QString tr(const char* text) { return QCoreApplication::translate("AlertRule", text); }
}  // namespace

QString AlertRule::problemWith(Kind kind, double level, int minutes) {
  if (!std::isfinite(level) || level <= 0) {
    return kind == Kind::Above || kind == Kind::Below ? tr("Enter a price above zero")
                                                      : tr("Enter a percentage above zero");
  }
  if ((kind == Kind::DayChange || kind == Kind::Move) && level >= 100) {
    return tr("Enter a percentage below 100");
  }
  if (kind == Kind::Move && (minutes < 1 || minutes > kMaxMinutes)) {
    return tr("Enter a window of 1 to 60 minutes");
  }
  return {};
}

std::optional<AlertRule::Kind> AlertRule::kindFromName(const QString& name) {
  if (name == QLatin1String("above")) return Kind::Above;
  if (name == QLatin1String("below")) return Kind::Below;
  if (name == QLatin1String("dayChange")) return Kind::DayChange;
  if (name == QLatin1String("move")) return Kind::Move;
  return std::nullopt;
}

QString AlertRule::kindName(Kind kind) {
  switch (kind) {
    case Kind::Above: return QStringLiteral("above");
    case Kind::Below: return QStringLiteral("below");
    case Kind::DayChange: return QStringLiteral("dayChange");
    case Kind::Move: return QStringLiteral("move");
  }
  return {};
}

QString AlertRule::describe() const {
  const QLocale locale;
  switch (kind) {
    case Kind::Above: return tr("%1 above %2").arg(symbol, locale.toString(level, 'f', 2));
    case Kind::Below: return tr("%1 below %2").arg(symbol, locale.toString(level, 'f', 2));
    case Kind::DayChange:
      return tr("%1 day change beyond ±%2%").arg(symbol, locale.toString(level, 'g', 4));
    case Kind::Move:
      return tr("%1 moves %2% within %3 min")
          .arg(symbol, locale.toString(level, 'g', 4))
          .arg(minutes);
  }
  return symbol;
}

bool evaluate(AlertRule& r, const AlertInput& in, qint64 nowMs) {
  if (r.state != AlertRule::State::Armed || !std::isfinite(in.last) || in.last <= 0) return false;
  double value = 0;
  bool reached = false, quiet = false, pastBand = false;
  switch (r.kind) {
    case AlertRule::Kind::Above:
      value = in.last;
      reached = in.last >= r.level;
      quiet = !reached;
      pastBand = in.last <= r.level * (1 - kPriceBand);
      break;
    case AlertRule::Kind::Below:
      value = in.last;
      reached = in.last <= r.level;
      quiet = !reached;
      pastBand = in.last >= r.level * (1 + kPriceBand);
      break;
    case AlertRule::Kind::DayChange:
      if (!in.hasChangePct || !std::isfinite(in.changePct)) return false;
      value = in.changePct;
      reached = std::abs(value) >= r.level;
      quiet = !reached;
      pastBand = std::abs(value) <= r.level * (1 - kPercentBand);
      break;
    case AlertRule::Kind::Move: {
      if (!(in.windowLow > 0) || !(in.windowHigh > 0)) return false;
      const double up = (in.last / in.windowLow - 1) * 100;
      const double down = (1 - in.last / in.windowHigh) * 100;
      value = up >= down ? up : -down;
      reached = std::max(up, down) >= r.level;
      quiet = !reached;
      pastBand = std::max(up, down) <= r.level * (1 - kPercentBand);
      break;
    }
  }
  if (!r.primed) {
    if (r.needsBand ? pastBand : quiet) {
      r.primed = true;
      r.needsBand = false;
    }
    return false;
  }
  if (!reached) return false;
  r.firedAtMs = nowMs;
  r.firedValue = value;
  if (r.autoRearm) {
    rearm(r);
  } else {
    r.state = AlertRule::State::Fired;
  }
  return true;
}

void rearm(AlertRule& r) {
  r.state = AlertRule::State::Armed;
  r.primed = false;
  r.needsBand = true;
}

void PriceWindow::add(qint64 nowMs, double price) {
  if (!std::isfinite(price) || price <= 0) return;
  if (!points_.isEmpty() && points_.back().first / 1000 == nowMs / 1000) {
    points_.back() = {nowMs, price};
  } else {
    points_.append({nowMs, price});
  }
  trim(nowMs, AlertRule::kMaxMinutes);
}

void PriceWindow::trim(qint64 nowMs, int minutes) {
  const qint64 from = nowMs - qint64{minutes} * 60'000;
  qsizetype drop = 0;
  while (drop < points_.size() && points_[drop].first < from) ++drop;
  if (drop > 0) points_.remove(0, drop);
}

QPair<double, double> PriceWindow::range(qint64 nowMs, int minutes) const {
  const qint64 from = nowMs - qint64{minutes} * 60'000;
  double lo = 0, hi = 0;
  for (auto it = points_.rbegin(); it != points_.rend() && it->first >= from; ++it) {
    lo = lo == 0 ? it->second : std::min(lo, it->second);
    hi = std::max(hi, it->second);
  }
  return {lo, hi};
}

}  // namespace tickwire::desktop
