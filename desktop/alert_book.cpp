#include "alert_book.hpp"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include "tickwire/symbol.hpp"

namespace tickwire::desktop {

namespace {
const QString kKey = QStringLiteral("alerts/v1");
qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

QString stateName(const AlertRule& r) {
  if (r.state == AlertRule::State::Fired) return QStringLiteral("fired");
  return r.primed ? QStringLiteral("watching") : QStringLiteral("armed");
}
}  // namespace

AlertBook::AlertBook(QuoteBook& book, SettingsStore& store, QObject* parent)
    : QAbstractListModel(parent), book_(book), store_(store) {
  load();
  connect(&book_, &QuoteBook::quoteChanged, this, &AlertBook::onQuote);
}

int AlertBook::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rules_.size());
}

QHash<int, QByteArray> AlertBook::roleNames() const {
  return {{IdRole, "alertId"},       {SymbolRole, "symbol"},
          {KindRole, "kind"},        {LevelRole, "level"},
          {MinutesRole, "minutes"},  {AutoRearmRole, "autoRearm"},
          {StateRole, "state"},      {DescriptionRole, "description"},
          {FiredAtRole, "firedAt"},  {FiredValueRole, "firedValue"}};
}

QVariant AlertBook::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rules_.size()) return {};
  const auto& r = rules_[index.row()];
  switch (role) {
    case IdRole: return r.id;
    case SymbolRole: return r.symbol;
    case KindRole: return AlertRule::kindName(r.kind);
    case LevelRole: return r.level;
    case MinutesRole: return r.minutes;
    case AutoRearmRole: return r.autoRearm;
    case StateRole: return stateName(r);
    case DescriptionRole: return r.describe();
    case FiredAtRole: return r.firedAtMs;
    case FiredValueRole: return r.firedValue;
    default: return {};
  }
}

QString AlertBook::add(const QString& rawSymbol, const QString& kindName, double level,
                       int minutes, bool autoRearm) {
  const QString symbol = rawSymbol.trimmed().toUpper();
  if (!is_valid_symbol(symbol.toStdString())) return tr("Pick a symbol for the alert");
  const auto kind = AlertRule::kindFromName(kindName);
  if (!kind) return tr("Pick what the alert watches");
  if (const QString problem = AlertRule::problemWith(*kind, level, minutes); !problem.isEmpty()) {
    return problem;
  }
  const bool newSymbol = !symbols().contains(symbol);
  AlertRule r;
  r.id = nextId_++;
  r.symbol = symbol;
  r.kind = *kind;
  r.level = level;
  r.minutes = *kind == AlertRule::Kind::Move ? minutes : 0;
  r.autoRearm = autoRearm;
  const int row = static_cast<int>(rules_.size());
  beginInsertRows({}, row, row);
  rules_.append(r);
  endInsertRows();
  save();
  rewatch();
  if (newSymbol) Q_EMIT symbolsChanged();
  // Primed against the price already held, so that the next tick can fire it.
  evaluateAt(symbol, nowMs());
  return {};
}

void AlertBook::removeAt(int row) {
  if (row < 0 || row >= rules_.size()) return;
  const QString symbol = rules_[row].symbol;
  beginRemoveRows({}, row, row);
  rules_.removeAt(row);
  endRemoveRows();
  bool stillFired = false, stillFollowed = false;
  for (const auto& r : rules_) {
    if (r.symbol != symbol) continue;
    stillFollowed = true;
    stillFired = stillFired || r.state == AlertRule::State::Fired;
  }
  if (!stillFired) setAlerted(symbol, false);
  if (!stillFollowed) windows_.remove(symbol);
  save();
  rewatch();
  if (!stillFollowed) Q_EMIT symbolsChanged();
}

void AlertBook::rearmAt(int row) {
  if (row < 0 || row >= rules_.size()) return;
  rearm(rules_[row]);
  const QString symbol = rules_[row].symbol;
  bool stillFired = false;
  for (const auto& r : rules_) {
    stillFired = stillFired || (r.symbol == symbol && r.state == AlertRule::State::Fired);
  }
  if (!stillFired) setAlerted(symbol, false);
  Q_EMIT dataChanged(index(row), index(row), {StateRole});
  save();
  evaluateAt(symbol, nowMs());
}

void AlertBook::acknowledge(const QString& symbol) {
  setAlerted(symbol, false);
  save();
}

QStringList AlertBook::symbols() const {
  QStringList out;
  for (const auto& r : rules_) {
    if (!out.contains(r.symbol)) out.append(r.symbol);
  }
  return out;
}

int AlertBook::firedCount() const {
  int n = 0;
  for (const auto& r : rules_) n += r.state == AlertRule::State::Fired;
  return n;
}

void AlertBook::onQuote(const QString& symbol) {
  if (watched_.contains(symbol)) evaluateAt(symbol, nowMs());
}

void AlertBook::rewatch() {
  const QStringList all = symbols();
  watched_ = QSet<QString>(all.begin(), all.end());
}

void AlertBook::evaluateAt(const QString& symbol, qint64 at) {
  const auto* e = book_.find(symbol);
  if (e == nullptr) return;
  AlertInput in;
  in.last = e->quote.last;
  in.hasChangePct = e->quote.has(Quote::kChange);
  in.changePct = e->quote.change_pct;
  bool windowed = false;
  for (const auto& r : rules_) windowed = windowed || (r.symbol == symbol && r.kind == AlertRule::Kind::Move);
  if (windowed) windows_[symbol].add(at, e->quote.last);
  const QLocale locale;
  bool changed = false;
  for (int row = 0; row < rules_.size(); ++row) {
    auto& r = rules_[row];
    if (r.symbol != symbol) continue;
    const auto before = stateName(r);
    if (r.kind == AlertRule::Kind::Move) {
      const auto range = windows_[symbol].range(at, r.minutes);
      in.windowLow = range.first;
      in.windowHigh = range.second;
    }
    const bool fire = evaluate(r, in, at);
    if (fire) {
      changed = true;
      setAlerted(symbol, true);
      const QString body =
          r.kind == AlertRule::Kind::Move
              ? tr("%1 moved %2% within %3 min, now at %4")
                    .arg(symbol, locale.toString(r.firedValue, 'f', 2))
                    .arg(r.minutes)
                    .arg(locale.toString(in.last, 'f', 2))
              : tr("%1 is at %2 (%3% today)")
                    .arg(symbol, locale.toString(in.last, 'f', 2),
                         locale.toString(in.changePct, 'f', 2));
      Q_EMIT fired(symbol, r.describe(), body);
    }
    if (fire || stateName(r) != before) {
      changed = true;
      Q_EMIT dataChanged(index(row), index(row), {StateRole, FiredAtRole, FiredValueRole});
    }
  }
  if (changed) save();
}

void AlertBook::setAlerted(const QString& symbol, bool on) {
  if (on == alerted_.contains(symbol)) return;
  if (on) {
    alerted_.insert(symbol);
  } else {
    alerted_.remove(symbol);
  }
  ++revision_;
  Q_EMIT alertedChanged();
}

void AlertBook::load() {
  const auto doc = QJsonDocument::fromJson(store_.document(kKey)).object();
  for (const auto& v : doc.value("alerts").toArray()) {
    const auto o = v.toObject();
    const auto kind = AlertRule::kindFromName(o.value("kind").toString());
    AlertRule r;
    r.symbol = o.value("symbol").toString();
    r.level = o.value("level").toDouble();
    r.minutes = o.value("minutes").toInt();
    // A hand-edited or damaged entry is dropped, not half-loaded.
    if (!kind || !is_valid_symbol(r.symbol.toStdString()) ||
        !AlertRule::problemWith(*kind, r.level, *kind == AlertRule::Kind::Move ? r.minutes : 1)
             .isEmpty()) {
      continue;
    }
    r.kind = *kind;
    r.id = nextId_++;
    r.autoRearm = o.value("autoRearm").toBool();
    r.state = o.value("fired").toBool() ? AlertRule::State::Fired : AlertRule::State::Armed;
    r.firedAtMs = o.value("firedAt").toInteger();
    r.firedValue = o.value("firedValue").toDouble();
    // After a restart an armed alert waits for the value to be seen on its quiet side again.
    r.primed = false;
    rules_.append(r);
  }
  for (const auto& s : doc.value("alerted").toArray()) alerted_.insert(s.toString());
  rewatch();
}

void AlertBook::save() const {
  QJsonArray list;
  for (const auto& r : rules_) {
    list.append(QJsonObject{{"symbol", r.symbol},
                            {"kind", AlertRule::kindName(r.kind)},
                            {"level", r.level},
                            {"minutes", r.minutes},
                            {"autoRearm", r.autoRearm},
                            {"fired", r.state == AlertRule::State::Fired},
                            {"firedAt", r.firedAtMs},
                            {"firedValue", r.firedValue}});
  }
  QJsonArray alerted;
  for (const auto& s : alerted_) alerted.append(s);
  store_.setDocument(kKey, QJsonDocument(QJsonObject{{"alerts", list}, {"alerted", alerted}})
                               .toJson(QJsonDocument::Compact));
}

}  // namespace tickwire::desktop
