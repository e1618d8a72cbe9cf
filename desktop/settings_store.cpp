#include "settings_store.hpp"

namespace tickwire::desktop {

SettingsStore::SettingsStore(const QString& path, QObject* parent)
    : QObject(parent),
      settings_(path.isEmpty() ? std::make_unique<QSettings>(QSettings::IniFormat,
                                                             QSettings::UserScope,
                                                             QStringLiteral("Tickwire"),
                                                             QStringLiteral("tickwire"))
                               : std::make_unique<QSettings>(path, QSettings::IniFormat)) {}

void SettingsStore::store(const QString& key, const QVariant& v) {
  if (settings_->value(key) == v) return;
  settings_->setValue(key, v);
  settings_->sync();  // written at once: a crash must not lose a list the user just edited
  Q_EMIT changed();
}

}  // namespace tickwire::desktop
