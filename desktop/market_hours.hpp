// The US stock market's trading sessions in New York time: pre-market 4:00-9:30, the regular
// session 9:30-16:00 and after-hours 16:00-20:00, Monday to Friday, except the NYSE/Nasdaq full
// holidays; on their early-close days the regular session ends at 13:00 and after-hours at
// 17:00.
// Real providers send nothing outside it, so the app says "market closed" then instead of
// calling quotes stale. Written here because neither Qt nor the C++ library knows exchange
// calendars; the holidays follow the exchanges' published rules (observed on the Friday before
// a Saturday holiday and the Monday after a Sunday one, except New Year's Day on a Saturday).
#pragma once

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QTime>

namespace tickwire::desktop {

class MarketHours {
 public:
  enum class Session { PreMarket, Regular, AfterHours, Closed };

  // Whether the regular session is open.
  static bool isOpen(const QDateTime& at) { return session(at) == Session::Regular; }
  static Session session(const QDateTime& at);
  // `at` in America/New_York time (Eastern Standard Time if the tz database is missing).
  static QDateTime inNewYork(const QDateTime& at);
  // "Pre-market", "Market open", "After hours", "Market closed".
  static QString sessionName(Session s);
  // When the session in force at `at` ends (the next change), as a New York time of day;
  // invalid when closed.
  static QTime sessionEnd(const QDateTime& at);
  // A full holiday of the exchanges (New York date).
  static bool isHoliday(const QDate& day);
  // A day the session ends at 13:00 (the day before Independence Day, the day after
  // Thanksgiving, Christmas Eve), when it is a trading day.
  static bool isEarlyClose(const QDate& day);
  // The New York date of the latest regular session that had closed at `at`: today after the
  // close of a trading day, else the trading day before.
  static QDate lastClosedSession(const QDateTime& at);
  // Whether a quote stamped `ts_us` (microseconds since the Unix epoch) traded in a regular
  // session, and that session's date. Cached per minute: it runs on every quote.
  static bool inRegularSession(qint64 ts_us, QDate* day);
};

}  // namespace tickwire::desktop
