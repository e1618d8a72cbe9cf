// Whether the US stock market's regular session is open: 9:30 to 16:00 in New York, Monday to
// Friday, except the NYSE/Nasdaq full holidays, and until 13:00 on their early-close days.
// Real providers send nothing outside it, so the app says "market closed" then instead of
// calling quotes stale. Written here because neither Qt nor the C++ library knows exchange
// calendars; the holidays follow the exchanges' published rules (observed on the Friday before
// a Saturday holiday and the Monday after a Sunday one, except New Year's Day on a Saturday).
#pragma once

#include <QDate>
#include <QDateTime>

namespace tickwire::desktop {

class MarketHours {
 public:
  static bool isOpen(const QDateTime& at);
  // A full holiday of the exchanges (New York date).
  static bool isHoliday(const QDate& day);
  // A day the session ends at 13:00 (the day before Independence Day, the day after
  // Thanksgiving, Christmas Eve), when it is a trading day.
  static bool isEarlyClose(const QDate& day);
};

}  // namespace tickwire::desktop
