#include "settings_store.hpp"

#include <algorithm>
#include <cmath>

#include "owner_only_file.hpp"

namespace tickwire::desktop {

SettingsStore::SettingsStore(const QString& path, QObject* parent)
    : QObject(parent),
      settings_(path.isEmpty() ? std::make_unique<QSettings>(QSettings::IniFormat,
                                                             QSettings::UserScope,
                                                             QStringLiteral("Tickwire"),
                                                             QStringLiteral("tickwire"))
                               : std::make_unique<QSettings>(path, QSettings::IniFormat)) {
  restrictToOwner();
}

void SettingsStore::restrictToOwner() const {
  // Before anything is written, and checked again after each write all the same. A failure is
  // reported by QSettings itself when it cannot write.
  makeOwnerOnly(settings_->fileName());
}

QString SettingsStore::colorScheme() const {
  const QString scheme = value("ui/colorScheme", QString()).toString();
  if (!scheme.isEmpty()) return scheme;
  // Files from before the schemes had only the red-means-up switch.
  return value("ui/redMeansUp", false).toBool() ? QStringLiteral("redUp")
                                                : QStringLiteral("greenUp");
}

void SettingsStore::setColorScheme(const QString& v) {
  static const QStringList schemes{"greenUp", "redUp", "blueOrange"};
  if (!schemes.contains(v)) return qWarning("settings: unknown colour scheme '%s' ignored", qPrintable(v));
  store("ui/colorScheme", v);
}

double SettingsStore::fontScale() const {
  return std::clamp(value("ui/fontScale", 1.0).toDouble(), 0.8, 1.6);
}

void SettingsStore::setFontScale(double v) {
  if (!std::isfinite(v)) return;
  store("ui/fontScale", std::clamp(v, 0.8, 1.6));
}

QString SettingsStore::dataSource() const {
  const QString kind = value("source/kind", QString()).toString();
  if (!kind.isEmpty()) return kind;
  // Files from before the data source choice had only the remote switch.
  return value("server/useRemote", false).toBool() ? QStringLiteral("remote")
                                                   : QStringLiteral("simulator");
}

void SettingsStore::setDataSource(const QString& v) {
  static const QStringList kinds{"simulator", "alpaca", "finnhub", "remote"};
  if (!kinds.contains(v)) return qWarning("settings: unknown data source '%s' ignored", qPrintable(v));
  store("source/kind", v);
}

void SettingsStore::setAlpacaFeed(const QString& v) {
  static const QStringList feeds{"iex", "sip", "delayed_sip", "test"};
  if (!feeds.contains(v)) return qWarning("settings: unknown Alpaca feed '%s' ignored", qPrintable(v));
  store("source/alpacaFeed", v);
}

void SettingsStore::store(const QString& key, const QVariant& v) {
  if (settings_->value(key) == v) return;
  settings_->setValue(key, v);
  settings_->sync();  // written at once: a crash must not lose a list the user just edited
  restrictToOwner();
  Q_EMIT changed();
}

}  // namespace tickwire::desktop
