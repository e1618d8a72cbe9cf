#include "history_line.hpp"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>

namespace tickwire::desktop {

HistoryLine::HistoryLine(QQuickItem* parent) : QQuickPaintedItem(parent) {
  setAntialiasing(true);
  connect(this, &HistoryLine::changed, this, [this] { update(); });
}

void HistoryLine::setBook(QuoteBook* book) {
  if (book == book_) return;
  book_ = book;
  Q_EMIT changed();
}

int HistoryLine::points() const {
  const auto* e = book_ ? book_->find(symbol_) : nullptr;
  return e ? static_cast<int>(e->history.size()) : 0;
}

void HistoryLine::paint(QPainter* painter) {
  const auto* e = book_ ? book_->find(symbol_) : nullptr;
  if (e == nullptr || e->history.size() < 2) return;
  const auto& v = e->history;
  const auto [lo, hi] = std::minmax_element(v.cbegin(), v.cend());
  const double span = *hi - *lo > 0 ? *hi - *lo : 1;
  const qreal pad = lineWidth_;
  const qreal w = width() - 2 * pad, h = height() - 2 * pad;
  const auto n = v.size();
  QPainterPath line;
  for (qsizetype i = 0; i < n; ++i) {
    const QPointF p(pad + w * static_cast<qreal>(i) / static_cast<qreal>(n - 1),
                    pad + h - h * (v[i] - *lo) / span);
    if (i == 0) {
      line.moveTo(p);
    } else {
      line.lineTo(p);
    }
  }
  const QColor color = lineColor_;
  if (filled_) {
    QPainterPath area = line;
    area.lineTo(pad + w, height());
    area.lineTo(pad, height());
    area.closeSubpath();
    QColor fill = color;
    fill.setAlphaF(0.12f);
    painter->fillPath(area, fill);
  }
  painter->setPen(QPen(color, lineWidth_));
  painter->drawPath(line);
}

}  // namespace tickwire::desktop
