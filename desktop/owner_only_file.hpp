// Files that hold secrets (the settings with their tokens, the provider keys where no keyring
// service runs) are readable by their owner only.
#pragma once

#include <QString>

namespace tickwire::desktop {

// Creates `path` (and its folder) if it does not exist, then sets it to 0600. Call it before
// writing: QSettings saves through QSaveFile, which gives every later version of the file the
// permissions of the existing one. False when the file cannot be created or restricted.
bool makeOwnerOnly(const QString& path);

}  // namespace tickwire::desktop
