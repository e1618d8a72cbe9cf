// Everything the app remembers, in one INI file (QSettings): theme, flash, colour convention,
// the data source (simulator, Alpaca, Finnhub or a remote server: its URL, CA file, tokens),
// watchlists and positions. The providers' keys are not here: SecretStore keeps them. The file is the user's by
// default; --settings FILE or TICKWIRE_SETTINGS points elsewhere (tests never touch the real
// one).
//
// The tokens are secrets, kept in this file with owner-only permissions (0600). Not in the
// desktop's keyring through QtKeychain: Debian's qtkeychain-qt6 reaches it over the Secret
// Service D-Bus API, which a headless session (CI, Xvfb) does not have - a write there fails
// with "Unknown error" even under dbus-run-session - so a keyring store would need this file
// as its fallback anyway, and would make the token's place depend on the machine.
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
  // How up and down are coloured: "greenUp" (the default), "redUp" (East Asian convention) or
  // "blueOrange" (safe for red-green colour blindness). Up/down glyphs go beside the colour in
  // every scheme.
  Q_PROPERTY(QString colorScheme READ colorScheme WRITE setColorScheme NOTIFY changed)
  // No flashes and no animations, whatever flashEnabled says.
  Q_PROPERTY(bool reducedMotion READ reducedMotion WRITE setReducedMotion NOTIFY changed)
  // Text size, 0.8 to 1.6 times the default.
  Q_PROPERTY(double fontScale READ fontScale WRITE setFontScale NOTIFY changed)
  // A fired alert's notification plays the desktop's message sound (off by default).
  Q_PROPERTY(bool alertSound READ alertSound WRITE setAlertSound NOTIFY changed)
  // Closing the window hides it in the tray, where alerts keep firing (where there is a tray).
  Q_PROPERTY(bool closeToTray READ closeToTray WRITE setCloseToTray NOTIFY changed)
  Q_PROPERTY(bool useRemote READ useRemote WRITE setUseRemote NOTIFY changed)
  // "simulator" (the default: the bundled backend's exchange simulator), "alpaca", "finnhub"
  // (the bundled backend follows that provider) or "remote" (a Tickwire server elsewhere).
  Q_PROPERTY(QString dataSource READ dataSource WRITE setDataSource NOTIFY changed)
  // Alpaca's feed: iex (free), sip, delayed_sip, or test (the always-on FAKEPACA stream).
  Q_PROPERTY(QString alpacaFeed READ alpacaFeed WRITE setAlpacaFeed NOTIFY changed)
  Q_PROPERTY(QString remoteUrl READ remoteUrl WRITE setRemoteUrl NOTIFY changed)
  // A PEM bundle of CAs trusted for the remote server besides the system's (a private CA).
  Q_PROPERTY(QString caFile READ caFile WRITE setCaFile NOTIFY changed)
  // Bearer tokens: the client's, and the operator view's for /v1/admin/*.
  Q_PROPERTY(QString token READ token WRITE setToken NOTIFY changed)
  Q_PROPERTY(QString adminToken READ adminToken WRITE setAdminToken NOTIFY changed)
  Q_PROPERTY(QString fileName READ fileName CONSTANT)

 public:
  // An empty path means the platform's default location for "Tickwire/tickwire".
  explicit SettingsStore(const QString& path, QObject* parent = nullptr);

  bool darkTheme() const { return value("ui/dark", false).toBool(); }
  bool flashEnabled() const { return value("ui/flash", true).toBool(); }
  bool redMeansUp() const { return colorScheme() == QLatin1String("redUp"); }
  QString colorScheme() const;
  bool reducedMotion() const { return value("ui/reducedMotion", false).toBool(); }
  double fontScale() const;
  bool alertSound() const { return value("alerts/sound", false).toBool(); }
  bool closeToTray() const { return value("ui/closeToTray", true).toBool(); }
  bool useRemote() const { return dataSource() == QLatin1String("remote"); }
  QString dataSource() const;
  QString alpacaFeed() const { return value("source/alpacaFeed", QStringLiteral("iex")).toString(); }
  QString remoteUrl() const { return value("server/remoteUrl", QString()).toString(); }
  QString caFile() const { return value("server/caFile", QString()).toString(); }
  QString token() const { return value("server/token", QString()).toString(); }
  QString adminToken() const { return value("server/adminToken", QString()).toString(); }
  QString fileName() const { return settings_->fileName(); }

  void setDarkTheme(bool v) { store("ui/dark", v); }
  void setFlashEnabled(bool v) { store("ui/flash", v); }
  void setRedMeansUp(bool v) { setColorScheme(v ? QStringLiteral("redUp") : QStringLiteral("greenUp")); }
  // An unknown name is ignored, with a warning.
  void setColorScheme(const QString& v);
  void setReducedMotion(bool v) { store("ui/reducedMotion", v); }
  // Clamped to 0.8..1.6.
  void setFontScale(double v);
  void setAlertSound(bool v) { store("alerts/sound", v); }
  void setCloseToTray(bool v) { store("ui/closeToTray", v); }
  void setUseRemote(bool v) { setDataSource(v ? QStringLiteral("remote") : QStringLiteral("simulator")); }
  // An unknown name is ignored, with a warning.
  void setDataSource(const QString& v);
  void setAlpacaFeed(const QString& v);
  void setRemoteUrl(const QString& v) { store("server/remoteUrl", v.trimmed()); }
  void setCaFile(const QString& v) { store("server/caFile", v.trimmed()); }
  void setToken(const QString& v) { store("server/token", v.trimmed()); }
  void setAdminToken(const QString& v) { store("server/adminToken", v.trimmed()); }

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
  void restrictToOwner() const;

  std::unique_ptr<QSettings> settings_;
};

}  // namespace tickwire::desktop
