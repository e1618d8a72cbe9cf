#include "time_chart.hpp"

#include <QDateTime>
#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace tickwire::desktop {

TimeChart::TimeChart(QQuickItem* parent) : QQuickPaintedItem(parent) {
  setAntialiasing(true);
  connect(this, &TimeChart::dataChanged, this, [this] { update(); });
  connect(this, &TimeChart::styleChanged, this, [this] { update(); });
  // The window slides with the clock: data that stopped coming moves left and out.
  clock_.setInterval(1000);
  connect(&clock_, &QTimer::timeout, this, [this] { update(); });
  clock_.start();
}

QList<TimeChart::Run> TimeChart::runs(const QList<qreal>& times, qreal from, qreal to,
                                      qreal gapSeconds) {
  QList<Run> out;
  qsizetype start = -1;
  for (qsizetype i = 0; i < times.size(); ++i) {
    const qreal t = times[i];
    if (t < from || t > to) {
      if (start >= 0) out.append({start, i - 1});
      start = -1;
      continue;
    }
    if (start >= 0 && t - times[i - 1] > gapSeconds) {
      out.append({start, i - 1});
      start = -1;
    }
    if (start < 0) start = i;
  }
  if (start >= 0) out.append({start, times.size() - 1});
  return out;
}

qreal TimeChart::niceCeiling(qreal v) {
  if (!(v > 0)) return 1;
  const qreal power = std::pow(10.0, std::floor(std::log10(v)));
  for (const qreal step : {1.0, 2.0, 5.0, 10.0}) {
    if (v <= step * power) return step * power;
  }
  return 10 * power;
}

void TimeChart::paint(QPainter* painter) {
  const qreal now = static_cast<qreal>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
  const qreal from = now - windowSeconds_;
  const auto found = runs(times_, from, now, gapSeconds_);
  qreal top = 0;
  for (const auto& r : found) {
    for (auto i = r.first; i <= r.last && i < values_.size(); ++i) top = std::max(top, values_[i]);
  }
  const qreal ymax = niceCeiling(top);

  QFont font = painter->font();
  font.setPixelSize(10);
  painter->setFont(font);
  const QFontMetricsF fm(font);
  const QLocale locale;
  const auto label = [&](qreal v) { return locale.toString(v, 'f', v < 10 && v != 0 ? 1 : 0); };

  QRectF plot(0, 0, width(), height());
  if (axes_) {
    const qreal left = fm.horizontalAdvance(label(ymax)) + 6;
    plot = QRectF(left, fm.height() / 2 + 1, width() - left - 4,
                  height() - fm.height() * 1.5 - 5);
  }
  const qreal pad = 1.5;
  plot.adjust(0, pad, 0, -pad);
  if (plot.width() <= 0 || plot.height() <= 0) return;
  const auto x = [&](qreal t) { return plot.left() + (t - from) / windowSeconds_ * plot.width(); };
  const auto y = [&](qreal v) { return plot.bottom() - std::clamp(v / ymax, 0.0, 1.0) * plot.height(); };

  if (axes_) {
    painter->setPen(QPen(gridColor_, 1));
    for (const qreal f : {0.0, 0.5, 1.0}) painter->drawLine(QPointF(plot.left(), y(f * ymax)),
                                                           QPointF(plot.right(), y(f * ymax)));
    painter->setPen(textColor_);
    for (const qreal f : {0.0, 0.5, 1.0}) {
      const QString text = label(f * ymax);
      painter->drawText(QPointF(plot.left() - 4 - fm.horizontalAdvance(text),
                                y(f * ymax) + fm.ascent() / 2 - 1),
                        text);
    }
    if (!unit_.isEmpty()) painter->drawText(QPointF(plot.left() + 4, plot.top() + fm.ascent()), unit_);
    // Time labels: the window's start, its middle and now, in seconds ago.
    const qreal base = plot.bottom() + pad + fm.ascent() + 3;
    const int window = static_cast<int>(std::lround(windowSeconds_));
    const QString first = tr("−%1 s").arg(window), middle = tr("−%1 s").arg(window / 2),
                  last = tr("now");
    painter->drawText(QPointF(plot.left(), base), first);
    painter->drawText(QPointF(plot.center().x() - fm.horizontalAdvance(middle) / 2, base), middle);
    painter->drawText(QPointF(plot.right() - fm.horizontalAdvance(last), base), last);
  }

  for (const auto& r : found) {
    if (r.last >= values_.size()) continue;
    QPainterPath line;
    line.moveTo(x(times_[r.first]), y(values_[r.first]));
    for (auto i = r.first + 1; i <= r.last; ++i) line.lineTo(x(times_[i]), y(values_[i]));
    if (filled_ && r.last > r.first) {
      QPainterPath area = line;
      area.lineTo(x(times_[r.last]), plot.bottom());
      area.lineTo(x(times_[r.first]), plot.bottom());
      area.closeSubpath();
      QColor fill = lineColor_;
      fill.setAlphaF(0.12f);
      painter->fillPath(area, fill);
    }
    if (r.last == r.first) {
      painter->setPen(Qt::NoPen);
      painter->setBrush(lineColor_);
      painter->drawEllipse(QPointF(x(times_[r.first]), y(values_[r.first])), 1.5, 1.5);
      painter->setBrush(Qt::NoBrush);
    } else {
      painter->setPen(QPen(lineColor_, 1.5));
      painter->drawPath(line);
    }
  }
}

int TimeChart::runCount() const {
  const qreal now = static_cast<qreal>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
  return static_cast<int>(runs(times_, now - windowSeconds_, now, gapSeconds_).size());
}

}  // namespace tickwire::desktop
