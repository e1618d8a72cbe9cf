#include "owner_only_file.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace tickwire::desktop {

bool makeOwnerOnly(const QString& path) {
  QFile file(path);
  if (!file.exists()) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (!file.open(QIODevice::WriteOnly)) return false;
    file.close();
  }
  return file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

}  // namespace tickwire::desktop
