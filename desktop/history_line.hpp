// A symbol's intraday price line (a row's sparkline, the quote detail's chart), drawn in C++
// straight from the QuoteBook's history buffer: nothing is copied into QML per tick, the item
// repaints when `revision` (the row's tick count) changes. Scaled to its own range.
#pragma once

#include <QColor>
#include <QPointer>
#include <QQuickPaintedItem>
#include <QtQml/qqmlregistration.h>

#include "quote_book.hpp"

namespace tickwire::desktop {

class HistoryLine : public QQuickPaintedItem {
  Q_OBJECT
  QML_ELEMENT
  Q_PROPERTY(tickwire::desktop::QuoteBook* book READ book WRITE setBook NOTIFY changed)
  Q_PROPERTY(QString symbol MEMBER symbol_ NOTIFY changed)
  Q_PROPERTY(int revision MEMBER revision_ NOTIFY changed)
  Q_PROPERTY(QColor lineColor MEMBER lineColor_ NOTIFY changed)
  Q_PROPERTY(qreal lineWidth MEMBER lineWidth_ NOTIFY changed)
  Q_PROPERTY(bool filled MEMBER filled_ NOTIFY changed)
  // Points in the buffer now (for tests).
  Q_PROPERTY(int points READ points NOTIFY changed)

 public:
  explicit HistoryLine(QQuickItem* parent = nullptr);
  void paint(QPainter* painter) override;
  QuoteBook* book() const { return book_; }
  void setBook(QuoteBook* book);
  int points() const;

 Q_SIGNALS:
  void changed();

 private:
  QPointer<QuoteBook> book_;
  QString symbol_;
  int revision_ = 0;
  QColor lineColor_ = Qt::gray;
  qreal lineWidth_ = 1.5;
  bool filled_ = false;
};

}  // namespace tickwire::desktop
