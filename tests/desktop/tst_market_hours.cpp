// US market hours in New York time, across daylight saving time, weekends, the exchanges'
// holidays (as observed) and early closes. The dates are checked against the NYSE calendars
// published for 2026 and 2027.
#include <QTest>
#include <QTimeZone>

#include "market_hours.hpp"

using tickwire::desktop::MarketHours;

namespace {
QDateTime newYork(int y, int m, int d, int h, int min) {
  return QDateTime(QDate(y, m, d), QTime(h, min), QTimeZone("America/New_York"));
}
}  // namespace

class TestMarketHours : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void regularSessionOnWeekdaysInNewYorkTime() {
    QVERIFY(!MarketHours::isOpen(newYork(2026, 12, 3, 9, 29)));  // a Thursday
    QVERIFY(MarketHours::isOpen(newYork(2026, 12, 3, 9, 30)));
    QVERIFY(MarketHours::isOpen(newYork(2026, 12, 3, 15, 59)));
    QVERIFY(!MarketHours::isOpen(newYork(2026, 12, 3, 16, 0)));
    QVERIFY(!MarketHours::isOpen(newYork(2026, 12, 5, 12, 0)));  // Saturday
    QVERIFY(!MarketHours::isOpen(newYork(2026, 12, 6, 12, 0)));  // Sunday
    // The same instant seen from UTC, in winter (UTC-5) and in summer (UTC-4).
    QVERIFY(MarketHours::isOpen(QDateTime(QDate(2026, 12, 3), QTime(14, 30), QTimeZone::utc())));
    QVERIFY(!MarketHours::isOpen(QDateTime(QDate(2026, 12, 3), QTime(14, 29), QTimeZone::utc())));
    QVERIFY(MarketHours::isOpen(QDateTime(QDate(2026, 7, 1), QTime(13, 30), QTimeZone::utc())));
    QVERIFY(!MarketHours::isOpen(QDateTime(QDate(2026, 7, 1), QTime(20, 0), QTimeZone::utc())));
  }

  void holidaysAsTheExchangesObserveThem() {
    const QList<QDate> closed2026{{2026, 1, 1},  {2026, 1, 19}, {2026, 2, 16}, {2026, 4, 3},
                                  {2026, 5, 25}, {2026, 6, 19}, {2026, 7, 3},  {2026, 9, 7},
                                  {2026, 11, 26}, {2026, 12, 25}};
    const QList<QDate> closed2027{{2027, 1, 1},  {2027, 1, 18}, {2027, 2, 15}, {2027, 3, 26},
                                  {2027, 5, 31}, {2027, 6, 18}, {2027, 7, 5},  {2027, 9, 6},
                                  {2027, 11, 25}, {2027, 12, 24}};
    for (const auto& d : closed2026 + closed2027) {
      QVERIFY2(MarketHours::isHoliday(d), qPrintable(d.toString(Qt::ISODate)));
      QVERIFY(!MarketHours::isOpen(newYork(d.year(), d.month(), d.day(), 11, 0)));
    }
    int holidays = 0;
    for (QDate d(2026, 1, 1); d.year() < 2028; d = d.addDays(1)) holidays += MarketHours::isHoliday(d);
    QCOMPARE(holidays, 20);  // no other day of the two years
    // New Year's Day 2028 falls on a Saturday: Friday 2027-12-31 trades.
    QVERIFY(!MarketHours::isHoliday(QDate(2027, 12, 31)));
  }

  void earlyClosesAt1300() {
    QVERIFY(MarketHours::isEarlyClose(QDate(2026, 11, 27)));  // the day after Thanksgiving
    QVERIFY(MarketHours::isEarlyClose(QDate(2026, 12, 24)));  // Christmas Eve
    QVERIFY(MarketHours::isOpen(newYork(2026, 11, 27, 12, 59)));
    QVERIFY(!MarketHours::isOpen(newYork(2026, 11, 27, 13, 0)));
    QVERIFY(!MarketHours::isEarlyClose(QDate(2026, 7, 3)));   // a holiday that year, not early
    QVERIFY(!MarketHours::isEarlyClose(QDate(2027, 7, 2)));   // Independence Day is on Monday
    QVERIFY(!MarketHours::isEarlyClose(QDate(2027, 12, 24)));  // the holiday itself
  }
};

QTEST_GUILESS_MAIN(TestMarketHours)
#include "tst_market_hours.moc"
