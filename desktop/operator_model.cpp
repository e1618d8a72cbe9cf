#include "operator_model.hpp"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace tickwire::desktop {

namespace {

const QStringList kTiers = {"exchange", "dispatch", "cache", "frontend"};

QString number(double v, int decimals = 0) { return QLocale().toString(v, 'f', decimals); }

// A metric summed over its labels: "name" itself and every "name{...}" series.
double total(const QJsonObject& m, const QString& name) {
  double sum = 0;
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (it.key() == name || (it.key().startsWith(name) && it.key().at(name.size()) == u'{')) {
      sum += it.value().toDouble();
    }
  }
  return sum;
}

}  // namespace

OperatorModel::OperatorModel(QObject* parent) : QAbstractListModel(parent) {
  stream_.setIdleTimeoutMs(5000);  // documents come every second
  connect(&stream_, &SseStream::event, this, [this](const QString& type, const QByteArray& data) {
    if (type == QLatin1String("metrics")) apply(data);
  });
  connect(&stream_, &SseStream::stateChanged, this, &OperatorModel::liveChanged);
}

int OperatorModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QHash<int, QByteArray> OperatorModel::roleNames() const {
  return {{TierRole, "tier"},           {NodeRole, "node"},
          {ItemsRole, "items"},         {RateLabelRole, "rateLabel"},
          {RateTimesRole, "rateTimes"}, {RateValuesRole, "rateValues"}};
}

QVariant OperatorModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rows_.size()) return {};
  const Row& r = rows_[index.row()];
  switch (role) {
    case TierRole: return r.tier;
    case NodeRole: return r.node;
    case ItemsRole: return r.items;
    case RateLabelRole: return r.rateLabel;
    case RateTimesRole: return QVariant::fromValue(r.times);
    case RateValuesRole: return QVariant::fromValue(r.values);
    default: return {};
  }
}

void OperatorModel::setServer(const ServerAccess& server) {
  adminTokenSent_ = server.hasToken(ServerAccess::Credential::Admin);
  caProblem_ = server.secure() ? server.caProblem() : QString();
  if (!caProblem_.isEmpty()) {
    stream_.close();
    Q_EMIT liveChanged();
    return;
  }
  stream_.open(server.request(QStringLiteral("/v1/admin/metrics/stream"), {},
                              ServerAccess::Credential::Admin),
               false);
}

QString OperatorModel::problem() const {
  if (!caProblem_.isEmpty()) return AccessProblem::badCaFile(caProblem_).message;
  if (stream_.state() != SseStream::State::Refused) return {};
  const auto& p = stream_.problem();
  if (p.kind == AccessProblem::Kind::Unauthorized && adminTokenSent_) {
    // The server's code is the same whether the token was missing or wrong.
    return tr("The server refused the admin token; update it in Settings.");
  }
  return p.message;
}

OperatorModel::Row& OperatorModel::row(const QString& tier, const QString& node, bool& inserted) {
  inserted = false;
  for (auto& r : rows_) {
    if (r.tier == tier && r.node == node) return r;
  }
  // Rows are kept in tier order (exchange, dispatch, cache, frontend), then by node.
  int at = 0;
  while (at < rows_.size() && (kTiers.indexOf(rows_[at].tier) < kTiers.indexOf(tier) ||
                               (rows_[at].tier == tier && rows_[at].node < node))) {
    ++at;
  }
  beginInsertRows({}, at, at);
  rows_.insert(at, Row{tier, node, {}, {}, {}, {}});
  endInsertRows();
  inserted = true;
  return rows_[at];
}

void OperatorModel::apply(const QByteArray& document, qint64 atMs) {
  const double now = static_cast<double>(atMs != 0 ? atMs : QDateTime::currentMSecsSinceEpoch()) / 1000.0;
  const auto nodes = QJsonDocument::fromJson(document).object().value("nodes").toArray();
  QSet<QString> listed;
  for (const auto& nv : nodes) {
    const auto node = nv.toObject();
    const QString id = node.value("id").toString();
    listed.insert(id);
    const auto m = node.value("metrics").toObject();
    const qint64 ts = node.value("ts").toInteger();
    // A node whose document has not changed since the last one (it reports on its own clock)
    // keeps what it shows: no zero rates, no repeated chart point.
    if (previousTs_.contains(id) && ts == previousTs_.value(id)) continue;
    const auto prev = previous_.value(id);
    const double secs = previousTs_.contains(id) ? (ts - previousTs_.value(id)) / 1e6 : 0;
    auto rate = [&](const QString& key) {
      return secs > 0 ? std::max(0.0, (total(m, key) - total(prev, key)) / secs) : 0.0;
    };
    auto v = [&](const QString& key) {
      // Histogram summaries ("name:p99") and labelled series are looked up as they are.
      return key.contains(u':') || key.contains(u'{') ? m.value(key).toDouble() : total(m, key);
    };
    for (const auto& tier : kTiers) {
      const QString prefix = "tickwire_" + tier + "_";
      bool present = false;
      for (auto it = m.begin(); it != m.end() && !present; ++it) present = it.key().startsWith(prefix);
      if (!present) continue;
      QVariantList items;
      auto item = [&](const QString& label, const QString& value) {
        items.append(QVariantMap{{"label", label}, {"value", value}});
      };
      double headline = 0;
      QString headlineLabel;
      if (tier == "exchange") {
        item(tr("Subscriptions (billed)"), number(v("tickwire_exchange_subscriptions")));
        item(tr("Subscribed symbols"), number(v("tickwire_exchange_subscribed_symbols")));
        item(tr("Ticks/s"), number(rate("tickwire_exchange_ticks_total")));
        item(tr("Quotes out/s"), number(rate("tickwire_exchange_quotes_sent_total")));
        headline = rate("tickwire_exchange_ticks_total");
        headlineLabel = tr("ticks/s");
      } else if (tier == "dispatch") {
        const double up = v("tickwire_dispatch_upstream_symbols");
        item(tr("Upstream symbols"), number(up));
        if (m.contains("tickwire_cache_fleet_demanded_symbols")) {
          // One dispatcher of several: it holds its share of what the fleet demands.
          const double fleet = v("tickwire_cache_fleet_demanded_symbols");
          item(tr("Demanded in the fleet"), number(fleet));
          item(tr("Its share (upstream / demanded)"), fleet > 0 ? number(up / fleet, 2) : "-");
          item(tr("Live dispatchers"), number(v("tickwire_dispatch_live_dispatchers")));
        } else if (m.contains("tickwire_cache_kafka_owned_symbols")) {
          // Over Kafka: it owns the demand of the partitions its group assigned it.
          const double owned = v("tickwire_cache_kafka_owned_symbols");
          item(tr("Demanded in its partitions"), number(owned));
          item(tr("Feed efficiency (upstream / demanded)"), owned > 0 ? number(up / owned, 2) : "-");
        } else {
          const double demanded = v("tickwire_cache_demanded_symbols");
          item(tr("Demanded symbols"), number(demanded));
          item(tr("Feed efficiency (upstream / demanded)"),
               demanded > 0 ? number(up / demanded, 2) : "-");
        }
        item(tr("Quotes in/s"), number(rate("tickwire_dispatch_quotes_total")));
        item(tr("Reconnects"), number(v("tickwire_dispatch_upstream_reconnects_total")));
        item(tr("Seq gaps"), number(v("tickwire_dispatch_seq_gaps_total")));
        headline = rate("tickwire_dispatch_quotes_total");
        headlineLabel = tr("quotes in/s");
      } else if (tier == "cache") {
        // Embedded, every figure; over Redis or Kafka, what this node's side of it measures.
        const bool redis = m.contains("tickwire_redis_ready");
        const bool kafka = m.contains("tickwire_kafka_ready");
        if (redis) {
          item(tr("Redis"), v("tickwire_redis_ready") > 0 ? tr("connected") : tr("unreachable"));
        }
        if (kafka) {
          item(tr("Kafka"), v("tickwire_kafka_ready") > 0 ? tr("connected") : tr("unreachable"));
        }
        const bool shared = redis || kafka;
        if (!shared || m.contains("tickwire_cache_demanded_symbols")) {
          item(tr("Demanded symbols"), number(v("tickwire_cache_demanded_symbols")));
        }
        if (m.contains("tickwire_cache_kafka_consumer_lag")) {
          item(tr("Consumer lag (records)"), number(v("tickwire_cache_kafka_consumer_lag")));
        }
        if (m.contains("tickwire_cache_kafka_owned_partitions")) {
          item(tr("Demand partitions owned"), number(v("tickwire_cache_kafka_owned_partitions")));
        }
        if (!shared) {
          item(tr("Lingering"), number(v("tickwire_cache_lingering_symbols")));
          item(tr("Symbols held"), number(v("tickwire_cache_symbols")));
        }
        if (shared && m.contains("tickwire_cache_quotes_total")) {
          item(tr("Quotes stored/s"), number(rate("tickwire_cache_quotes_total")));
          item(redis ? tr("Deferred (Redis away or busy)") : tr("Deferred (Kafka away or busy)"),
               number(v(redis ? "tickwire_cache_deferred_quotes_total"
                              : "tickwire_kafka_produce_deferred_total")));
          headline = rate("tickwire_cache_quotes_total");
          headlineLabel = tr("quotes stored/s");
        } else {
          item(tr("Fan-out/s"), number(rate("tickwire_cache_fanout_total")));
          headline = rate("tickwire_cache_fanout_total");
          headlineLabel = tr("fan-out/s");
        }
      } else {
        item(tr("Connections SSE / WebSocket"),
             tr("%1 / %2").arg(number(v("tickwire_frontend_connections{transport=\"sse\"}")),
                               number(v("tickwire_frontend_connections{transport=\"websocket\"}"))));
        item(tr("Quotes out/s"), number(rate("tickwire_frontend_quotes_sent_total")));
        item(tr("Conflated/s"), number(rate("tickwire_frontend_quotes_conflated_total")));
        item(tr("Disconnected (slow, flooding)"),
             number(total(m, "tickwire_frontend_disconnects_total")));
        item(tr("Rejected requests"), number(total(m, "tickwire_frontend_rejected_requests_total")));
        item(tr("Latency p50 / p99"),
             tr("%1 / %2 ms").arg(number(1000 * v("tickwire_quote_latency_seconds:p50"), 1),
                                  number(1000 * v("tickwire_quote_latency_seconds:p99"), 1)));
        headline = rate("tickwire_frontend_quotes_sent_total");
        headlineLabel = tr("quotes out/s");
      }
      bool inserted = false;
      Row& r = row(tier, id, inserted);
      r.items = items;
      r.rateLabel = headlineLabel;
      if (secs > 0) {
        r.times.append(now);
        r.values.append(headline);
        while (!r.times.isEmpty() && r.times.front() < now - kHistorySeconds) {
          r.times.removeFirst();
          r.values.removeFirst();
        }
      }
      const int at = static_cast<int>(&r - rows_.data());
      if (!inserted) Q_EMIT dataChanged(index(at), index(at));
    }
    previous_[id] = m;
    previousTs_[id] = ts;
  }
  dropNodesNotIn(listed);
  Q_EMIT liveChanged();
}

void OperatorModel::dropNodesNotIn(const QSet<QString>& listed) {
  for (int i = static_cast<int>(rows_.size()) - 1; i >= 0; --i) {
    if (listed.contains(rows_[i].node)) continue;
    beginRemoveRows({}, i, i);
    rows_.removeAt(i);
    endRemoveRows();
  }
  for (auto it = previous_.begin(); it != previous_.end();) {
    if (listed.contains(it.key())) {
      ++it;
    } else {
      previousTs_.remove(it.key());
      it = previous_.erase(it);
    }
  }
}

}  // namespace tickwire::desktop
