// The quote detail's intraday chart, drawn in C++ from an IntradayBars' one-minute bars: the
// closes as a line over a time axis in New York time, a price axis, the previous close as a
// dashed line, and each minute's volume as bars along the bottom. Time is to scale: minutes
// without trades (or that the app never saw) are a gap, never a line across them.
#pragma once

#include <QColor>
#include <QPointer>
#include <QQuickPaintedItem>
#include <QtQml/qqmlregistration.h>

#include "intraday_bars.hpp"

namespace tickwire::desktop {

class IntradayChart : public QQuickPaintedItem {
  Q_OBJECT
  QML_ELEMENT
  Q_PROPERTY(tickwire::desktop::IntradayBars* bars READ bars WRITE setBars NOTIFY dataChanged)
  Q_PROPERTY(bool fiveDays MEMBER fiveDays_ NOTIFY dataChanged)  // "5D", else "1D"
  Q_PROPERTY(QColor lineColor MEMBER lineColor_ NOTIFY styleChanged)
  Q_PROPERTY(QColor textColor MEMBER textColor_ NOTIFY styleChanged)
  Q_PROPERTY(QColor gridColor MEMBER gridColor_ NOTIFY styleChanged)
  Q_PROPERTY(QColor volumeColor MEMBER volumeColor_ NOTIFY styleChanged)
  Q_PROPERTY(int fontPixels MEMBER fontPixels_ NOTIFY styleChanged)
  // The bars in the shown range, and the line's pieces between gaps: for tests.
  Q_PROPERTY(int shownBars READ shownBars NOTIFY dataChanged)
  Q_PROPERTY(int segments READ segments NOTIFY dataChanged)

 public:
  // Neighbouring bars further apart than this are not joined.
  static constexpr qint64 kGapSeconds = 5 * 60;

  explicit IntradayChart(QQuickItem* parent = nullptr);
  // Runs on the render thread while the GUI thread waits (QQuickPaintedItem): reads and draws,
  // emits nothing.
  void paint(QPainter* painter) override;
  IntradayBars* bars() const { return bars_; }
  void setBars(IntradayBars* bars);
  int shownBars() const;
  int segments() const;

 Q_SIGNALS:
  void dataChanged();
  void styleChanged();

 private:
  QPointer<IntradayBars> bars_;
  bool fiveDays_ = false;
  QColor lineColor_ = Qt::gray;
  QColor textColor_ = Qt::gray;
  QColor gridColor_ = Qt::lightGray;
  QColor volumeColor_ = Qt::gray;
  int fontPixels_ = 10;
};

}  // namespace tickwire::desktop
