// The system tray icon, where the desktop has a tray (an XEmbed tray on X11, or a
// StatusNotifier host): the way back to a window closed to the tray, where alerts keep being
// evaluated and delivered, and the notification fallback of a desktop without a notification
// service (Notifier). Without a tray, available() is false: closing the window quits.
//
// QSystemTrayIcon is a Qt Widgets class: it exists only under a QApplication (the app's);
// elsewhere (tests of the models under QGuiApplication) the tray is simply never available. A
// tray host that starts after the app is noticed within 5 s.
#pragma once

#include <QObject>
#include <QTimer>
#include <QtQml/qqmlregistration.h>
#include <memory>

class QMenu;
class QSystemTrayIcon;

namespace tickwire::desktop {

class Tray : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
  Q_PROPERTY(bool available READ available NOTIFY availableChanged)
  // The window is hidden in the tray (set by the view when it closes to the tray).
  Q_PROPERTY(bool holdingWindow READ holdingWindow WRITE setHoldingWindow NOTIFY holdingChanged)

 public:
  explicit Tray(QObject* parent = nullptr);
  ~Tray() override;

  bool available() const { return available_; }
  bool holdingWindow() const { return holding_; }
  void setHoldingWindow(bool holding);
  // A balloon message from the tray icon; false when there is no tray.
  bool showMessage(const QString& title, const QString& body);

 Q_SIGNALS:
  void availableChanged();
  void holdingChanged();
  void showRequested();  // the user asked for the window (a click, or the menu)
  void quitRequested();

 private:
  void check();

  bool available_ = false;
  bool holding_ = false;
  QTimer poll_;
  std::unique_ptr<QMenu> menu_;
  std::unique_ptr<QSystemTrayIcon> icon_;
};

}  // namespace tickwire::desktop
