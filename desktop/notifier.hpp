// Desktop notifications for fired alerts: the freedesktop Notifications service on the session
// bus (org.freedesktop.Notifications, as GNOME, KDE and most Linux desktops provide it), with
// the app's name and icon. Where there is no session bus or no such service (a bare X server, a
// headless session) the notification goes to the tray icon's message where there is a tray
// (setTrayFallback), else it is shown inside the app (`banner`); the first fall-back of each
// kind is logged once. Never blocks: the D-Bus call is asynchronous. With `sound` the
// notification asks the desktop to play its "message" sound (the specification's sound-name
// hint); without, it asks for silence (suppress-sound).
#pragma once

#include <QObject>
#include <QString>
#include <functional>
#include <QtQml/qqmlregistration.h>

namespace tickwire::desktop {

class Notifier : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
  // The latest notification shown inside the app (empty once dismissed).
  Q_PROPERTY(QString bannerTitle READ bannerTitle NOTIFY bannerChanged)
  Q_PROPERTY(QString bannerBody READ bannerBody NOTIFY bannerChanged)
  // "desktop", "tray" or "in-app": where the last notification went.
  Q_PROPERTY(QString lastDelivery READ lastDelivery NOTIFY delivered)

 public:
  explicit Notifier(QObject* parent = nullptr);
  void notify(const QString& title, const QString& body);
  void setSound(bool on) { sound_ = on; }
  // Shows a notification from the tray icon; false when there is no tray (Tray::showMessage).
  void setTrayFallback(std::function<bool(const QString&, const QString&)> tray) {
    tray_ = std::move(tray);
  }
  Q_INVOKABLE void dismissBanner();

  QString bannerTitle() const { return bannerTitle_; }
  QString bannerBody() const { return bannerBody_; }
  QString lastDelivery() const { return lastDelivery_; }

 Q_SIGNALS:
  void bannerChanged();
  void delivered();

 private:
  void showInApp(const QString& title, const QString& body, const QString& why);

  QString bannerTitle_, bannerBody_, lastDelivery_;
  bool fallbackLogged_ = false;
  bool trayLogged_ = false;
  std::function<bool(const QString&, const QString&)> tray_;
  bool sound_ = false;
};

}  // namespace tickwire::desktop
