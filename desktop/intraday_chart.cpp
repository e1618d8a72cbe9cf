#include "intraday_chart.hpp"

#include <QDateTime>
#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QTimeZone>
#include <algorithm>
#include <cmath>

#include "market_hours.hpp"
#include "time_chart.hpp"

namespace tickwire::desktop {

namespace {

// Indices [first, last] of the runs of bars no more than kGapSeconds apart.
std::vector<std::pair<std::size_t, std::size_t>> runs_of(const std::deque<Bar>& bars,
                                                          std::size_t from, std::size_t to) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t i = from; i < to; ++i) {
    if (out.empty() || bars[i].t - bars[i - 1].t > IntradayChart::kGapSeconds) {
      out.emplace_back(i, i);
    } else {
      out.back().second = i;
    }
  }
  return out;
}

QString clock_label(qint64 t, bool withDay) {
  const QDateTime local =
      MarketHours::inNewYork(QDateTime::fromSecsSinceEpoch(t, QTimeZone::utc()));
  return withDay ? QLocale().toString(local, QStringLiteral("ddd d"))
                 : local.toString(QStringLiteral("HH:mm"));
}

}  // namespace

IntradayChart::IntradayChart(QQuickItem* parent) : QQuickPaintedItem(parent) {
  setAntialiasing(true);
  connect(this, &IntradayChart::dataChanged, this, [this] { update(); });
  connect(this, &IntradayChart::styleChanged, this, [this] { update(); });
}

void IntradayChart::setBars(IntradayBars* bars) {
  if (bars_ == bars) return;
  if (bars_) disconnect(bars_, nullptr, this, nullptr);
  bars_ = bars;
  if (bars_) connect(bars_, &IntradayBars::changed, this, &IntradayChart::dataChanged);
  Q_EMIT dataChanged();
}

int IntradayChart::shownBars() const {
  if (!bars_) return 0;
  const auto [first, last] = IntradayBars::shown(bars_->series().bars(), fiveDays_);
  return static_cast<int>(last - first);
}

int IntradayChart::segments() const {
  if (!bars_) return 0;
  const auto& bars = bars_->series().bars();
  const auto [first, last] = IntradayBars::shown(bars, fiveDays_);
  return static_cast<int>(runs_of(bars, first, last).size());
}

void IntradayChart::paint(QPainter* painter) {
  QFont font = painter->font();
  font.setPixelSize(fontPixels_);
  painter->setFont(font);
  const QFontMetricsF fm(font);
  const QLocale locale;

  if (!bars_) return;
  const auto& bars = bars_->series().bars();
  const auto [first, last] = IntradayBars::shown(bars, fiveDays_);
  if (first == last) {
    painter->setPen(textColor_);
    const QString text = !bars_->problem().isEmpty() ? bars_->problem()
                         : bars_->loading()          ? tr("Loading the day's bars…")
                                                     : tr("No trades yet in this session");
    painter->drawText(QRectF(0, 0, width(), height()), Qt::AlignCenter | Qt::TextWordWrap, text);
    return;
  }

  // Ranges: prices (with the previous close when it is near enough to matter), time, volume.
  double lo = bars[first].low, hi = bars[first].high;
  std::uint64_t topVolume = 0;
  for (auto i = first; i < last; ++i) {
    lo = std::min(lo, bars[i].low);
    hi = std::max(hi, bars[i].high);
    topVolume = std::max(topVolume, bars[i].volume);
  }
  const double prevClose = bars_->prevClose();
  if (prevClose > 0 && prevClose > lo - (hi - lo) && prevClose < hi + (hi - lo)) {
    lo = std::min(lo, prevClose);
    hi = std::max(hi, prevClose);
  }
  const double step = TimeChart::niceCeiling(std::max(hi - lo, hi * 1e-4) / 4);
  const double axisLo = std::floor(lo / step) * step, axisHi = std::ceil(hi / step) * step;
  const qint64 t0 = fiveDays_ ? bars[first].t : IntradayBars::tradingDayStart(bars[last - 1].t);
  const qint64 t1 = std::max<qint64>(bars[last - 1].t + 60,
                                     fiveDays_ ? t0 + 60 : t0 + 16 * 3600);  // 04:00-20:00

  const int decimals = step < 0.1 ? 3 : 2;
  const auto priceText = [&](double v) { return locale.toString(v, 'f', decimals); };
  const qreal axisWidth = fm.horizontalAdvance(priceText(axisHi)) + 8;
  const QRectF area(0, fm.height() / 2, width() - axisWidth, height() - fm.height() * 2);
  if (area.width() <= 10 || area.height() <= 10) return;
  const qreal volumeHeight = area.height() * 0.2;
  const QRectF price(area.left(), area.top(), area.width(), area.height() - volumeHeight - 4);
  const auto x = [&](qint64 t) {
    return area.left() + static_cast<qreal>(t - t0) / static_cast<qreal>(t1 - t0) * area.width();
  };
  const auto y = [&](double v) {
    return price.bottom() - (v - axisLo) / (axisHi - axisLo) * price.height();
  };

  // Grid and price axis.
  painter->setPen(QPen(gridColor_, 1));
  for (double v = axisLo; v <= axisHi + step / 2; v += step) {
    painter->drawLine(QPointF(price.left(), y(v)), QPointF(price.right(), y(v)));
  }
  painter->setPen(textColor_);
  for (double v = axisLo; v <= axisHi + step / 2; v += step) {
    painter->drawText(QPointF(price.right() + 4, y(v) + fm.ascent() / 2 - 1), priceText(v));
  }

  // Time axis, New York time: every 2 hours from 04:00 over a day, each day over 5 days.
  std::vector<qint64> ticks;
  if (fiveDays_) {
    for (qint64 day = IntradayBars::tradingDayStart(t0); day <= t1;
         day = IntradayBars::tradingDayStart(day + 30 * 3600)) {
      if (day >= t0) ticks.push_back(day);
    }
  } else {
    for (qint64 t = t0; t <= t1; t += 2 * 3600) ticks.push_back(t);
  }
  const qreal base = area.bottom() + fm.ascent() + 3;
  qreal lastRight = -1e9;
  for (const qint64 t : ticks) {
    const QString text = clock_label(t, fiveDays_);
    const qreal at = std::clamp(x(t) - fm.horizontalAdvance(text) / 2, 0.0,
                                area.right() - fm.horizontalAdvance(text));
    if (at < lastRight + 8) continue;  // labels never overlap
    painter->setPen(QPen(gridColor_, 1));
    painter->drawLine(QPointF(x(t), area.top()), QPointF(x(t), area.bottom()));
    painter->setPen(textColor_);
    painter->drawText(QPointF(at, base), text);
    lastRight = at + fm.horizontalAdvance(text);
  }
  painter->drawText(QPointF(area.right() + 4, base), tr("ET"));

  // Previous close.
  if (prevClose > 0 && prevClose >= axisLo && prevClose <= axisHi) {
    QPen dashed(textColor_, 1, Qt::DashLine);
    painter->setPen(dashed);
    painter->drawLine(QPointF(price.left(), y(prevClose)), QPointF(price.right(), y(prevClose)));
    const QString text = tr("Prev close %1").arg(priceText(prevClose));
    painter->drawText(QPointF(price.left() + 4, y(prevClose) - 3), text);
  }

  // Volume.
  if (topVolume > 0) {
    const qreal barWidth = std::max<qreal>(1, area.width() * 60 / static_cast<qreal>(t1 - t0) - 1);
    QColor fill = volumeColor_;
    fill.setAlphaF(0.55f);
    for (auto i = first; i < last; ++i) {
      const qreal h = volumeHeight * static_cast<qreal>(bars[i].volume) /
                      static_cast<qreal>(topVolume);
      painter->fillRect(QRectF(x(bars[i].t), area.bottom() - h, barWidth, h), fill);
    }
  }

  // The closes, one line per run between gaps, with the area below filled.
  for (const auto& [a, b] : runs_of(bars, first, last)) {
    QPainterPath line;
    line.moveTo(x(bars[a].t + 30), y(bars[a].close));
    for (auto i = a + 1; i <= b; ++i) line.lineTo(x(bars[i].t + 30), y(bars[i].close));
    if (a == b) {
      painter->setPen(Qt::NoPen);
      painter->setBrush(lineColor_);
      painter->drawEllipse(QPointF(x(bars[a].t + 30), y(bars[a].close)), 1.5, 1.5);
      painter->setBrush(Qt::NoBrush);
      continue;
    }
    QPainterPath fillArea = line;
    fillArea.lineTo(x(bars[b].t + 30), price.bottom());
    fillArea.lineTo(x(bars[a].t + 30), price.bottom());
    fillArea.closeSubpath();
    QColor fill = lineColor_;
    fill.setAlphaF(0.12f);
    painter->fillPath(fillArea, fill);
    painter->setPen(QPen(lineColor_, 1.5));
    painter->drawPath(line);
  }
}

}  // namespace tickwire::desktop
