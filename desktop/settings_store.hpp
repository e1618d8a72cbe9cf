// Everything the app remembers, in one INI file (QSettings): theme, flash, colour convention,
// server choice, watchlists and positions. The file is the user's by default; --settings FILE
// or TICKWIRE_SETTINGS points elsewhere (tests never touch the real one).
#pragma once

#include <QObject>
#include <QSettings>
#include <QString>
#include <QVariant>
#include <QtQml/qqmlregistration.h>
#include <memory>

namespace tickwire::desktop {

class SettingsStore : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
  Q_PROPERTY(bool darkTheme READ darkTheme WRITE setDarkTheme NOTIFY changed)
  Q_PROPERTY(bool flashEnabled READ flashEnabled WRITE setFlashEnabled NOTIFY changed)
  Q_PROPERTY(bool redMeansUp READ redMeansUp WRITE setRedMeansUp NOTIFY changed)
  Q_PROPERTY(bool useRemote READ useRemote WRITE setUseRemote NOTIFY changed)
  Q_PROPERTY(QString remoteUrl READ remoteUrl WRITE setRemoteUrl NOTIFY changed)
  Q_PROPERTY(QString fileName READ fileName CONSTANT)

 public:
  // An empty path means the platform's default location for "Tickwire/tickwire".
  explicit SettingsStore(const QString& path, QObject* parent = nullptr);

  bool darkTheme() const { return value("ui/dark", false).toBool(); }
  bool flashEnabled() const { return value("ui/flash", true).toBool(); }
  bool redMeansUp() const { return value("ui/redMeansUp", false).toBool(); }
  bool useRemote() const { return value("server/useRemote", false).toBool(); }
  QString remoteUrl() const { return value("server/remoteUrl", QString()).toString(); }
  QString fileName() const { return settings_->fileName(); }

  void setDarkTheme(bool v) { store("ui/dark", v); }
  void setFlashEnabled(bool v) { store("ui/flash", v); }
  void setRedMeansUp(bool v) { store("ui/redMeansUp", v); }
  void setUseRemote(bool v) { store("server/useRemote", v); }
  void setRemoteUrl(const QString& v) { store("server/remoteUrl", v); }

  // Structured data (watchlists, positions) as JSON text under `key`.
  QByteArray document(const QString& key) const { return value(key, QByteArray()).toByteArray(); }
  void setDocument(const QString& key, const QByteArray& json) { store(key, json); }

 Q_SIGNALS:
  void changed();

 private:
  QVariant value(const QString& key, const QVariant& fallback) const {
    return settings_->value(key, fallback);
  }
  void store(const QString& key, const QVariant& v);

  std::unique_ptr<QSettings> settings_;
};

}  // namespace tickwire::desktop
