#include "notifier.hpp"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QVariantMap>
#include <QtDebug>

namespace tickwire::desktop {

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
constexpr int kExpireMs = 10'000;
}  // namespace

Notifier::Notifier(QObject* parent) : QObject(parent) {}

void Notifier::notify(const QString& title, const QString& body) {
  auto bus = QDBusConnection::sessionBus();
  if (!bus.isConnected()) return showInApp(title, body, tr("no session bus"));
  if (!bus.interface()->isServiceRegistered(kService)) {
    return showInApp(title, body, tr("no notification service on the session bus"));
  }
  // Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout), as
  // the Desktop Notifications Specification gives it.
  auto call = QDBusMessage::createMethodCall(kService, kPath, kService, QStringLiteral("Notify"));
  QVariantMap hints{{QStringLiteral("category"), QStringLiteral("im.received")}};
  if (sound_) {
    hints.insert(QStringLiteral("sound-name"), QStringLiteral("message-new-instant"));
  } else {
    hints.insert(QStringLiteral("suppress-sound"), true);
  }
  call << QStringLiteral("Tickwire") << 0u << QStringLiteral("tickwire") << title << body
       << QStringList() << hints << kExpireMs;
  auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(call), this);
  connect(watcher, &QDBusPendingCallWatcher::finished, this,
          [this, title, body](QDBusPendingCallWatcher* w) {
            w->deleteLater();
            const QDBusPendingReply<uint> reply = *w;
            if (reply.isError()) return showInApp(title, body, reply.error().message());
            lastDelivery_ = QStringLiteral("desktop");
            Q_EMIT delivered();
          });
}

void Notifier::showInApp(const QString& title, const QString& body, const QString& why) {
  if (tray_ && tray_(title, body)) {
    if (!trayLogged_) {
      trayLogged_ = true;
      qInfo().noquote() << "alerts: desktop notifications unavailable (" + why +
                               "); shown from the tray icon";
    }
    lastDelivery_ = QStringLiteral("tray");
    Q_EMIT delivered();
    return;
  }
  if (!fallbackLogged_) {
    fallbackLogged_ = true;
    qInfo().noquote() << "alerts: desktop notifications unavailable (" + why +
                             "); shown inside the app";
  }
  bannerTitle_ = title;
  bannerBody_ = body;
  lastDelivery_ = QStringLiteral("in-app");
  Q_EMIT bannerChanged();
  Q_EMIT delivered();
}

void Notifier::dismissBanner() {
  bannerTitle_.clear();
  bannerBody_.clear();
  Q_EMIT bannerChanged();
}

}  // namespace tickwire::desktop
