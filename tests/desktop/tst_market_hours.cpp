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

  void sessionsThroughATradingDay() {
    using S = MarketHours::Session;
    const auto at = [](int h, int m) { return MarketHours::session(newYork(2026, 12, 3, h, m)); };
    QCOMPARE(at(3, 59), S::Closed);
    QCOMPARE(at(4, 0), S::PreMarket);
    QCOMPARE(at(9, 29), S::PreMarket);
    QCOMPARE(at(9, 30), S::Regular);
    QCOMPARE(at(15, 59), S::Regular);
    QCOMPARE(at(16, 0), S::AfterHours);
    QCOMPARE(at(19, 59), S::AfterHours);
    QCOMPARE(at(20, 0), S::Closed);
    QCOMPARE(MarketHours::sessionEnd(newYork(2026, 12, 3, 5, 0)), QTime(9, 30));
    QCOMPARE(MarketHours::sessionEnd(newYork(2026, 12, 3, 17, 0)), QTime(20, 0));
    QVERIFY(!MarketHours::sessionEnd(newYork(2026, 12, 3, 21, 0)).isValid());
    // Weekends and holidays have no session at all.
    QCOMPARE(MarketHours::session(newYork(2026, 12, 5, 10, 0)), S::Closed);
    QCOMPARE(MarketHours::session(newYork(2026, 11, 26, 10, 0)), S::Closed);  // Thanksgiving
    // An early close: regular until 13:00, after-hours until 17:00.
    QCOMPARE(MarketHours::session(newYork(2026, 11, 27, 12, 59)), S::Regular);
    QCOMPARE(MarketHours::session(newYork(2026, 11, 27, 13, 0)), S::AfterHours);
    QCOMPARE(MarketHours::session(newYork(2026, 11, 27, 17, 0)), S::Closed);
    QCOMPARE(MarketHours::sessionEnd(newYork(2026, 11, 27, 14, 0)), QTime(17, 0));
  }

  void theLastClosedSessionIsTodayAfterTheCloseElseTheTradingDayBefore() {
    QCOMPARE(MarketHours::lastClosedSession(newYork(2026, 12, 4, 16, 0)), QDate(2026, 12, 4));
    QCOMPARE(MarketHours::lastClosedSession(newYork(2026, 12, 4, 15, 59)), QDate(2026, 12, 3));
    QCOMPARE(MarketHours::lastClosedSession(newYork(2026, 12, 5, 12, 0)), QDate(2026, 12, 4));  // Sat
    QCOMPARE(MarketHours::lastClosedSession(newYork(2026, 12, 7, 8, 0)), QDate(2026, 12, 4));   // Mon
    // Thanksgiving (a holiday) is skipped; the day after closes at 13:00.
    QCOMPARE(MarketHours::lastClosedSession(newYork(2026, 11, 27, 12, 0)), QDate(2026, 11, 25));
    QCOMPARE(MarketHours::lastClosedSession(newYork(2026, 11, 27, 13, 5)), QDate(2026, 11, 27));
    // Whether a trade was in a regular session, and which.
    QDate day;
    const auto us = [](const QDateTime& t) { return t.toMSecsSinceEpoch() * 1000; };
    QVERIFY(MarketHours::inRegularSession(us(newYork(2026, 7, 15, 15, 59)), &day));  // EDT
    QCOMPARE(day, QDate(2026, 7, 15));
    QVERIFY(!MarketHours::inRegularSession(us(newYork(2026, 7, 15, 16, 0)), &day));
    QVERIFY(!MarketHours::inRegularSession(us(newYork(2026, 12, 5, 11, 0)), &day));  // Sat
  }

  void sessionsAcrossDaylightSavingTime() {
    using S = MarketHours::Session;
    const auto utc = [](int y, int m, int d, int h, int min) {
      return MarketHours::session(QDateTime(QDate(y, m, d), QTime(h, min), QTimeZone::utc()));
    };
    // 13:30 UTC is 8:30 EST on Friday 2026-03-06, and 9:30 EDT on Monday 2026-03-09, after
    // the clocks went forward on Sunday 2026-03-08.
    QCOMPARE(utc(2026, 3, 6, 13, 30), S::PreMarket);
    QCOMPARE(utc(2026, 3, 9, 13, 30), S::Regular);
    // Back on Sunday 2026-11-01: 20:30 UTC is after-hours (16:30 EDT) on Friday 2026-10-30
    // and (15:30 EST) the regular session on Monday 2026-11-02.
    QCOMPARE(utc(2026, 10, 30, 20, 30), S::AfterHours);
    QCOMPARE(utc(2026, 11, 2, 20, 30), S::Regular);
    // 2027: forward on 2027-03-14, back on 2027-11-07.
    QCOMPARE(utc(2027, 3, 12, 13, 45), S::PreMarket);
    QCOMPARE(utc(2027, 3, 15, 13, 45), S::Regular);
    QCOMPARE(utc(2027, 11, 5, 20, 30), S::AfterHours);  // 16:30 EDT
    QCOMPARE(utc(2027, 11, 8, 20, 30), S::Regular);     // 15:30 EST
  }
};

QTEST_GUILESS_MAIN(TestMarketHours)
#include "tst_market_hours.moc"
