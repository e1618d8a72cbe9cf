#include "market_hours.hpp"

#include <QObject>
#include <QTimeZone>

namespace tickwire::desktop {

namespace {

// The n-th (1-based) `weekday` of a month; n = -1 for the last one.
QDate nthWeekday(int year, int month, int weekday, int n) {
  if (n < 0) {
    QDate d(year, month, QDate(year, month, 1).daysInMonth());
    while (d.dayOfWeek() != weekday) d = d.addDays(-1);
    return d;
  }
  QDate d(year, month, 1);
  while (d.dayOfWeek() != weekday) d = d.addDays(1);
  return d.addDays(7 * (n - 1));
}

// Easter Sunday (Gregorian; the anonymous algorithm, also known as Meeus/Jones/Butcher).
QDate easter(int y) {
  const int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return QDate(y, month, day);
}

// A fixed-date holiday as the exchanges observe it.
QDate observed(const QDate& d) {
  if (d.dayOfWeek() == Qt::Saturday) return d.addDays(-1);
  if (d.dayOfWeek() == Qt::Sunday) return d.addDays(1);
  return d;
}

}  // namespace

bool MarketHours::isHoliday(const QDate& day) {
  const int y = day.year();
  // New Year's Day on a Saturday is not made up on the Friday before (that is another year).
  const QDate newYear(y, 1, 1);
  if (newYear.dayOfWeek() != Qt::Saturday && day == observed(newYear)) return true;
  if (day == nthWeekday(y, 1, Qt::Monday, 3)) return true;   // Martin Luther King Jr. Day
  if (day == nthWeekday(y, 2, Qt::Monday, 3)) return true;   // Washington's Birthday
  if (day == easter(y).addDays(-2)) return true;             // Good Friday
  if (day == nthWeekday(y, 5, Qt::Monday, -1)) return true;  // Memorial Day
  if (y >= 2022 && day == observed(QDate(y, 6, 19))) return true;  // Juneteenth
  if (day == observed(QDate(y, 7, 4))) return true;          // Independence Day
  if (day == nthWeekday(y, 9, Qt::Monday, 1)) return true;   // Labor Day
  if (day == nthWeekday(y, 11, Qt::Thursday, 4)) return true;  // Thanksgiving
  if (day == observed(QDate(y, 12, 25))) return true;        // Christmas
  return false;
}

bool MarketHours::isEarlyClose(const QDate& day) {
  if (day.dayOfWeek() > Qt::Friday || isHoliday(day)) return false;
  const int y = day.year();
  return day == QDate(y, 7, 3) || day == nthWeekday(y, 11, Qt::Thursday, 4).addDays(1) ||
         day == QDate(y, 12, 24);
}

QDateTime MarketHours::inNewYork(const QDateTime& at) {
  static const QTimeZone newYork = [] {
    QTimeZone tz("America/New_York");
    // Without the time zone database (tzdata), Eastern Standard Time: off by an hour in summer.
    return tz.isValid() ? tz : QTimeZone(-5 * 3600);
  }();
  return at.toTimeZone(newYork);
}

namespace {

struct Bounds {
  QTime open, close, afterEnd;
};
Bounds boundsOf(const QDate& day) {
  if (MarketHours::isEarlyClose(day)) return {QTime(9, 30), QTime(13, 0), QTime(17, 0)};
  return {QTime(9, 30), QTime(16, 0), QTime(20, 0)};
}

}  // namespace

MarketHours::Session MarketHours::session(const QDateTime& at) {
  const QDateTime local = inNewYork(at);
  const QDate day = local.date();
  if (day.dayOfWeek() > Qt::Friday || isHoliday(day)) return Session::Closed;
  const QTime t = local.time();
  const Bounds b = boundsOf(day);
  if (t < QTime(4, 0)) return Session::Closed;
  if (t < b.open) return Session::PreMarket;
  if (t < b.close) return Session::Regular;
  if (t < b.afterEnd) return Session::AfterHours;
  return Session::Closed;
}

QDate MarketHours::lastClosedSession(const QDateTime& at) {
  const auto trading = [](const QDate& d) { return d.dayOfWeek() <= Qt::Friday && !isHoliday(d); };
  const QDateTime local = inNewYork(at);
  QDate day = local.date();
  if (trading(day) && local.time() >= boundsOf(day).close) return day;
  do {
    day = day.addDays(-1);
  } while (!trading(day));
  return day;
}

bool MarketHours::inRegularSession(qint64 ts_us, QDate* day) {
  // GUI thread only (the quote book's).
  static qint64 cachedMinute = -1;
  static bool cachedRegular = false;
  static QDate cachedDay;
  const qint64 minute = ts_us / 60'000'000;
  if (minute != cachedMinute) {
    const auto at = QDateTime::fromSecsSinceEpoch(minute * 60, QTimeZone::utc());
    cachedMinute = minute;
    cachedRegular = session(at) == Session::Regular;
    cachedDay = inNewYork(at).date();
  }
  if (day) *day = cachedDay;
  return cachedRegular;
}

QTime MarketHours::sessionEnd(const QDateTime& at) {
  const Bounds b = boundsOf(inNewYork(at).date());
  switch (session(at)) {
    case Session::PreMarket: return b.open;
    case Session::Regular: return b.close;
    case Session::AfterHours: return b.afterEnd;
    case Session::Closed: break;
  }
  return {};
}

QString MarketHours::sessionName(Session s) {
  switch (s) {
    case Session::PreMarket: return QObject::tr("Pre-market");
    case Session::Regular: return QObject::tr("Market open");
    case Session::AfterHours: return QObject::tr("After hours");
    case Session::Closed: break;
  }
  return QObject::tr("Market closed");
}

}  // namespace tickwire::desktop
