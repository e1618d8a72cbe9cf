#include "settings_store.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>

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
  // Made 0600 before anything is written: QSettings saves through QSaveFile, which gives its
  // temporary file, and so every later version of the file, the permissions of the existing
  // one. Checked again after each write all the same.
  const QString path = settings_->fileName();
  QFile file(path);
  if (!file.exists()) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (!file.open(QIODevice::WriteOnly)) return;  // QSettings will report what it cannot do
    file.close();
  }
  file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

void SettingsStore::store(const QString& key, const QVariant& v) {
  if (settings_->value(key) == v) return;
  settings_->setValue(key, v);
  settings_->sync();  // written at once: a crash must not lose a list the user just edited
  restrictToOwner();
  Q_EMIT changed();
}

}  // namespace tickwire::desktop
