// A line chart of values over wall-clock time, drawn in C++ (QPainter) from the model's lists
// rather than in a JavaScript canvas. The x axis is the last `windowSeconds` up to now, with
// labels in seconds ago; the y axis runs from 0 to a rounded maximum, labelled with `unit`.
// Where two neighbouring points are further apart than `gapSeconds`, or the newest point is
// older than that, nothing is drawn between them: a pause in the data is a gap, never a line
// across it. With `axes` off it is a sparkline of the same data (still on a time scale, still
// with gaps). It repaints once a second so that the window keeps moving when data stops.
#pragma once

#include <QColor>
#include <QList>
#include <QQuickPaintedItem>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace tickwire::desktop {

class TimeChart : public QQuickPaintedItem {
  Q_OBJECT
  QML_ELEMENT
  Q_PROPERTY(QList<qreal> times MEMBER times_ NOTIFY dataChanged)    // Unix seconds, ascending
  Q_PROPERTY(QList<qreal> values MEMBER values_ NOTIFY dataChanged)  // one per time
  Q_PROPERTY(qreal windowSeconds MEMBER windowSeconds_ NOTIFY styleChanged)
  Q_PROPERTY(qreal gapSeconds MEMBER gapSeconds_ NOTIFY styleChanged)
  Q_PROPERTY(QString unit MEMBER unit_ NOTIFY styleChanged)
  Q_PROPERTY(bool axes MEMBER axes_ NOTIFY styleChanged)
  Q_PROPERTY(bool filled MEMBER filled_ NOTIFY styleChanged)
  Q_PROPERTY(QColor lineColor MEMBER lineColor_ NOTIFY styleChanged)
  Q_PROPERTY(QColor textColor MEMBER textColor_ NOTIFY styleChanged)
  Q_PROPERTY(QColor gridColor MEMBER gridColor_ NOTIFY styleChanged)
  // How many separate runs of points the window holds now (gaps split them): for tests.
  Q_PROPERTY(int runs READ runCount NOTIFY dataChanged)

 public:
  explicit TimeChart(QQuickItem* parent = nullptr);
  // Runs on the render thread while the GUI thread waits (QQuickPaintedItem): it reads the
  // members and draws, and emits nothing.
  void paint(QPainter* painter) override;
  int runCount() const;

  // The points in [from, to] split into runs at every gap: each run is a [first, last] index
  // pair, drawn as one line. A point alone between two gaps is a run of one.
  struct Run {
    qsizetype first, last;
  };
  static QList<Run> runs(const QList<qreal>& times, qreal from, qreal to, qreal gapSeconds);
  // A "nice" axis maximum at or above `v` (1, 2 or 5 times a power of ten); 1 for v <= 0.
  static qreal niceCeiling(qreal v);

 Q_SIGNALS:
  void dataChanged();
  void styleChanged();

 private:
  QList<qreal> times_, values_;
  qreal windowSeconds_ = 60;
  qreal gapSeconds_ = 2.5;
  QString unit_;
  bool axes_ = true;
  bool filled_ = true;
  QColor lineColor_ = Qt::gray;
  QColor textColor_ = Qt::gray;
  QColor gridColor_ = Qt::lightGray;
  QTimer clock_;
};

}  // namespace tickwire::desktop
