// The operator view: one row per tier and node, live from the frontend's
// /v1/admin/metrics/stream. Rates are computed from counter deltas between documents; each row
// keeps the last kHistorySeconds of its headline rate, each point with the local time it came
// (a chart draws them on a time axis, and a pause between points as a gap). A node missing from
// a document is gone (the server lists only nodes whose lease is live): its rows are dropped.
// The stream carries the admin token;
// a server that refuses it (or whose certificate is not trusted) stops it, and `problem` says
// why.
#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QSet>
#include <QJsonObject>
#include <QUrl>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include "server_access.hpp"
#include "sse_stream.hpp"

namespace tickwire::desktop {

class OperatorModel : public QAbstractListModel {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
  Q_PROPERTY(bool live READ live NOTIFY liveChanged)
  Q_PROPERTY(int nodeCount READ nodeCount NOTIFY liveChanged)
  // Why the stream stopped for good (admin token refused, certificate untrusted); else empty.
  Q_PROPERTY(QString problem READ problem NOTIFY liveChanged)

 public:
  enum Role {
    TierRole = Qt::UserRole + 1,
    NodeRole,
    ItemsRole,
    RateLabelRole,
    RateTimesRole,   // list<real>: when each point came, in Unix seconds (local clock)
    RateValuesRole,  // list<real>: the headline rate at that time
  };
  static constexpr double kHistorySeconds = 120;

  explicit OperatorModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  void setServer(const ServerAccess& server);
  bool live() const { return stream_.state() == SseStream::State::Connected; }
  QString problem() const;
  int nodeCount() const { return static_cast<int>(previous_.size()); }
  // For tests: feed one metrics document as if it came from the stream, at local time `atMs`
  // (Unix milliseconds; now when 0).
  void apply(const QByteArray& document, qint64 atMs = 0);

 Q_SIGNALS:
  void liveChanged();

 private:
  struct Row {
    QString tier;
    QString node;
    QVariantList items;  // [{label, value}]
    QString rateLabel;
    QList<qreal> times;   // Unix seconds, oldest first
    QList<qreal> values;  // the headline rate at each time
  };
  Row& row(const QString& tier, const QString& node, bool& inserted);
  // Rows and counters of nodes the latest document no longer lists.
  void dropNodesNotIn(const QSet<QString>& listed);

  SseStream stream_;
  QString caProblem_;  // the settings' CA file cannot be used: nothing is tried
  bool adminTokenSent_ = false;
  QList<Row> rows_;
  QHash<QString, QJsonObject> previous_;  // node -> last metrics
  QHash<QString, qint64> previousTs_;     // node -> its ts (µs)
};

}  // namespace tickwire::desktop
