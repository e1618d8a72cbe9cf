// Price alerts: the rule (crossing, hysteresis, re-arm, the move window) and the AlertBook
// (evaluated on the QuoteBook's quotes, fired once, persisted with its states).
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "alert_book.hpp"
#include "alert_rule.hpp"
#include "notifier.hpp"
#include "quote_book.hpp"
#include "settings_store.hpp"

using namespace tickwire::desktop;

namespace {
AlertRule rule(AlertRule::Kind kind, double level, int minutes = 0) {
  AlertRule r;
  r.symbol = QStringLiteral("AAPL");
  r.kind = kind;
  r.level = level;
  r.minutes = minutes;
  return r;
}
AlertInput price(double last) {
  AlertInput in;
  in.last = last;
  return in;
}
tickwire::Quote quote(std::uint64_t seq, double last, double changePct = 0) {
  tickwire::Quote q;
  q.symbol = "NVDA";
  q.seq = seq;
  q.last = last;
  q.change_pct = changePct;
  q.change = last * changePct / 100;
  q.prev_close = last - q.change;
  return q;
}
}  // namespace

class TestAlerts : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void anAboveAlertFiresOnceWhenThePriceCrossesUp() {
    auto r = rule(AlertRule::Kind::Above, 100);
    QVERIFY(!evaluate(r, price(99), 1));  // seen below: primed
    QVERIFY(r.primed);
    QVERIFY(!evaluate(r, price(99.9), 2));
    QVERIFY(evaluate(r, price(100.2), 3));
    QCOMPARE(r.state, AlertRule::State::Fired);
    QCOMPARE(r.firedAtMs, 3);
    QCOMPARE(r.firedValue, 100.2);
    // Fired: no second firing however the price moves, until re-armed.
    QVERIFY(!evaluate(r, price(99), 4));
    QVERIFY(!evaluate(r, price(101), 5));
  }

  void anAlertMadePastItsLevelWaitsForTheNextCrossing() {
    auto r = rule(AlertRule::Kind::Below, 50);
    QVERIFY(!evaluate(r, price(48), 1));  // already below: not a crossing
    QVERIFY(!r.primed);
    QVERIFY(!evaluate(r, price(47), 2));
    QVERIFY(!evaluate(r, price(50.5), 3));  // back above
    QVERIFY(evaluate(r, price(49.9), 4));   // and down through it
  }

  void aReArmedAlertNeedsThePriceBackPastTheBand() {
    auto r = rule(AlertRule::Kind::Above, 100);
    evaluate(r, price(99), 1);
    QVERIFY(evaluate(r, price(100.1), 2));
    rearm(r);
    QCOMPARE(r.state, AlertRule::State::Armed);
    // Hovering at the level: within the 0.25 % band, nothing fires again.
    for (const double p : {99.9, 100.05, 99.8, 100.1, 99.76, 100.2}) QVERIFY(!evaluate(r, price(p), 3));
    QVERIFY(!evaluate(r, price(99.7), 4));  // 0.3 % below: past the band, primed
    QVERIFY(evaluate(r, price(100), 5));
  }

  void anAutoRearmingAlertFiresOncePerCrossing() {
    auto r = rule(AlertRule::Kind::Above, 100);
    r.autoRearm = true;
    evaluate(r, price(99), 1);
    QVERIFY(evaluate(r, price(101), 2));
    QCOMPARE(r.state, AlertRule::State::Armed);
    QVERIFY(!evaluate(r, price(102), 3));
    QVERIFY(!evaluate(r, price(99.9), 4));  // inside the band
    QVERIFY(!evaluate(r, price(99), 5));
    QVERIFY(evaluate(r, price(100), 6));
  }

  void aDayChangeAlertWatchesEitherWay() {
    auto r = rule(AlertRule::Kind::DayChange, 3);
    AlertInput in = price(10);
    in.hasChangePct = true;
    in.changePct = 1;
    QVERIFY(!evaluate(r, in, 1));
    in.changePct = -3.1;
    QVERIFY(evaluate(r, in, 2));
    QCOMPARE(r.firedValue, -3.1);
    // Without a change in the quote there is nothing to judge.
    auto blind = rule(AlertRule::Kind::DayChange, 3);
    QVERIFY(!evaluate(blind, price(10), 1));
    QVERIFY(!blind.primed);
  }

  void aMoveAlertMeasuresFromTheWindowsExtremes() {
    PriceWindow w;
    auto r = rule(AlertRule::Kind::Move, 7, 5);
    const qint64 t0 = 1'000'000;
    // NVDA rises 7 % in 5 minutes: fired when the last price is 7 % above the window's low.
    for (int i = 0; i <= 300; ++i) {
      const double p = 100 + 7.0 * i / 300;
      w.add(t0 + i * 1000, p);
      const auto [lo, hi] = w.range(t0 + i * 1000, 5);
      AlertInput in = price(p);
      in.windowLow = lo;
      in.windowHigh = hi;
      const bool fired = evaluate(r, in, t0 + i * 1000);
      QCOMPARE(fired, i == 300);
    }
    QVERIFY(qAbs(r.firedValue - 7.0) < 1e-9);
    // The same rise over 10 minutes is not 7 % within 5.
    PriceWindow slow;
    auto r2 = rule(AlertRule::Kind::Move, 7, 5);
    bool any = false;
    for (int i = 0; i <= 600; ++i) {
      const double p = 100 + 7.0 * i / 600;
      slow.add(t0 + i * 1000, p);
      const auto [lo, hi] = slow.range(t0 + i * 1000, 5);
      AlertInput in = price(p);
      in.windowLow = lo;
      in.windowHigh = hi;
      any = evaluate(r2, in, t0 + i * 1000) || any;
    }
    QVERIFY(!any);
    // A window keeps one point per second and at most an hour.
    PriceWindow dense;
    for (int i = 0; i < 10'000; ++i) dense.add(t0 + i * 100, 50);
    QCOMPARE(dense.size(), 1000);
    for (int i = 0; i < 5'000; ++i) dense.add(t0 + 10'000'000 + qint64{i} * 1000, 50);
    QCOMPARE(dense.size(), 3601);
  }

  void badRulesAreRefusedWithAReason() {
    QVERIFY(!AlertRule::problemWith(AlertRule::Kind::Above, 0, 0).isEmpty());
    QVERIFY(!AlertRule::problemWith(AlertRule::Kind::Below, qQNaN(), 0).isEmpty());
    QVERIFY(!AlertRule::problemWith(AlertRule::Kind::DayChange, 150, 0).isEmpty());
    QVERIFY(!AlertRule::problemWith(AlertRule::Kind::Move, 5, 0).isEmpty());
    QVERIFY(!AlertRule::problemWith(AlertRule::Kind::Move, 5, 61).isEmpty());
    QVERIFY(AlertRule::problemWith(AlertRule::Kind::Move, 5, 60).isEmpty());
    QTemporaryDir dir;
    SettingsStore store(dir.filePath("s.ini"));
    QuoteBook book;
    AlertBook alerts(book, store);
    QVERIFY(!alerts.add("AA$PL", "above", 10, 0, false).isEmpty());
    QVERIFY(!alerts.add("AAPL", "sideways", 10, 0, false).isEmpty());
    QVERIFY(!alerts.add("AAPL", "above", -1, 0, false).isEmpty());
    QCOMPARE(alerts.rowCount(), 0);
  }

  void theBookFiresOnQuotesAndRemembersAcrossARestart() {
    QTemporaryDir dir;
    const QString path = dir.filePath("s.ini");
    {
      SettingsStore store(path);
      QuoteBook book;
      AlertBook alerts(book, store);
      QSignalSpy symbols(&alerts, &AlertBook::symbolsChanged);
      QSignalSpy fired(&alerts, &AlertBook::fired);
      book.apply(quote(1, 100));
      QCOMPARE(alerts.add(" nvda ", "above", 101, 0, false), QString());
      QCOMPARE(alerts.add("NVDA", "move", 5, 10, true), QString());
      QCOMPARE(alerts.symbols(), QStringList{"NVDA"});
      QCOMPARE(symbols.count(), 1);
      QCOMPARE(alerts.data(alerts.index(0), AlertBook::StateRole).toString(), "watching");
      book.apply(quote(2, 100.5));
      QCOMPARE(fired.count(), 0);
      book.apply(quote(3, 101.2, 1.2));
      QCOMPARE(fired.count(), 1);
      QCOMPARE(fired.at(0).at(0).toString(), "NVDA");
      QCOMPARE(fired.at(0).at(1).toString(), "NVDA above 101.00");
      QVERIFY(fired.at(0).at(2).toString().contains("101.20"));
      QVERIFY(alerts.alerted("NVDA"));
      QCOMPARE(alerts.firedCount(), 1);
      QCOMPARE(alerts.data(alerts.index(0), AlertBook::StateRole).toString(), "fired");
      book.apply(quote(4, 99));
      book.apply(quote(5, 102));
      QCOMPARE(fired.count(), 1);  // once per crossing, until re-armed
    }
    {
      // Restarted: the fired alert is still fired and its row still highlighted; the armed
      // one is armed again.
      SettingsStore store(path);
      QuoteBook book;
      AlertBook alerts(book, store);
      QCOMPARE(alerts.rowCount(), 2);
      QCOMPARE(alerts.data(alerts.index(0), AlertBook::StateRole).toString(), "fired");
      QCOMPARE(alerts.data(alerts.index(1), AlertBook::DescriptionRole).toString(),
               "NVDA moves 5% within 10 min");
      QVERIFY(alerts.data(alerts.index(1), AlertBook::AutoRearmRole).toBool());
      QVERIFY(alerts.alerted("NVDA"));
      QSignalSpy fired(&alerts, &AlertBook::fired);
      alerts.rearmAt(0);
      QVERIFY(!alerts.alerted("NVDA"));
      QCOMPARE(alerts.firedCount(), 0);
      book.apply(quote(10, 100));  // well below: primed
      book.apply(quote(11, 101.5));
      QCOMPARE(fired.count(), 1);
      alerts.removeAt(0);
      alerts.removeAt(0);
      QCOMPARE(alerts.rowCount(), 0);
      QVERIFY(alerts.symbols().isEmpty());
      QVERIFY(!alerts.alerted("NVDA"));
    }
  }

  void withoutANotificationServiceTheAppShowsItItself() {
    // Run with no session bus (see CMakeLists.txt): the banner takes the notification.
    QVERIFY(qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"));
    Notifier notifier;
    QSignalSpy delivered(&notifier, &Notifier::delivered);
    notifier.notify("NVDA above 140.00", "NVDA is at 140.02 (1.20% today)");
    QCOMPARE(delivered.count(), 1);
    QCOMPARE(notifier.lastDelivery(), "in-app");
    QCOMPARE(notifier.bannerTitle(), "NVDA above 140.00");
    QCOMPARE(notifier.bannerBody(), "NVDA is at 140.02 (1.20% today)");
    notifier.dismissBanner();
    QVERIFY(notifier.bannerTitle().isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
