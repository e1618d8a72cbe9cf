// The operator view: one row per tier and node, live from the frontend's
// /v1/admin/metrics/stream. Rates are computed from counter deltas between documents; each row
// keeps a short history of its headline rate for a chart.
#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QJsonObject>
#include <QUrl>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include "sse_stream.hpp"

namespace tickwire::desktop {

class OperatorModel : public QAbstractListModel {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
  Q_PROPERTY(bool live READ live NOTIFY liveChanged)
  Q_PROPERTY(int nodeCount READ nodeCount NOTIFY liveChanged)

 public:
  enum Role { TierRole = Qt::UserRole + 1, NodeRole, ItemsRole, RateLabelRole, RateHistoryRole };
  static constexpr int kHistory = 60;

  explicit OperatorModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  void setServer(const QUrl& base);
  bool live() const { return stream_.state() == SseStream::State::Connected; }
  int nodeCount() const { return static_cast<int>(previous_.size()); }
  // For tests: feed one metrics document as if it came from the stream.
  void apply(const QByteArray& document);

 Q_SIGNALS:
  void liveChanged();

 private:
  struct Row {
    QString tier;
    QString node;
    QVariantList items;  // [{label, value}]
    QString rateLabel;
    QList<qreal> history;
  };
  Row& row(const QString& tier, const QString& node, bool& inserted);

  SseStream stream_;
  QList<Row> rows_;
  QHash<QString, QJsonObject> previous_;  // node -> last metrics
  QHash<QString, qint64> previousTs_;     // node -> its ts (µs)
};

}  // namespace tickwire::desktop
