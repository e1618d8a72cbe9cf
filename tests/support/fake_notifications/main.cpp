// fake-notifications: a desktop notification service for tests, on the session bus the test
// started. It owns org.freedesktop.Notifications and answers the Desktop Notifications
// Specification's methods (Notify, CloseNotification, GetCapabilities, GetServerInformation) as
// a notification daemon would, and writes each Notify call as one JSON line to the file given
// on the command line (what the app asked to show). It shows nothing. "ready" goes to stdout
// once the name is owned. Test code only: never installed.
#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVariantMap>
#include <cstdio>

class Notifications : public QObject {
  Q_OBJECT
  Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

 public:
  explicit Notifications(const QString& log) : log_(log) {}

 public Q_SLOTS:
  uint Notify(const QString& appName, uint replacesId, const QString& appIcon,
              const QString& summary, const QString& body, const QStringList& actions,
              const QVariantMap& hints, int expireTimeout) {
    const uint id = replacesId != 0 ? replacesId : ++last_;
    QJsonObject line{{"id", static_cast<qint64>(id)},
                     {"app_name", appName},
                     {"app_icon", appIcon},
                     {"summary", summary},
                     {"body", body},
                     {"actions", QJsonValue::fromVariant(actions)},
                     {"category", hints.value(QStringLiteral("category")).toString()},
                     {"sound_name", hints.value(QStringLiteral("sound-name")).toString()},
                     {"suppress_sound", hints.value(QStringLiteral("suppress-sound")).toBool()},
                     {"expire_timeout", expireTimeout}};
    QFile f(log_);
    if (f.open(QIODevice::Append)) f.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    return id;
  }
  void CloseNotification(uint) {}
  QStringList GetCapabilities() { return {QStringLiteral("body")}; }
  QString GetServerInformation(QString& vendor, QString& version, QString& specVersion) {
    vendor = QStringLiteral("tickwire-tests");
    version = QStringLiteral("1");
    specVersion = QStringLiteral("1.2");
    return QStringLiteral("fake-notifications");
  }

 private:
  QString log_;
  uint last_ = 0;
};

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: fake-notifications LOG-FILE\n");
    return 2;
  }
  auto bus = QDBusConnection::sessionBus();
  if (!bus.isConnected()) {
    std::fprintf(stderr, "fake-notifications: no session bus\n");
    return 1;
  }
  Notifications service(QString::fromLocal8Bit(argv[1]));
  if (!bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &service,
                          QDBusConnection::ExportAllSlots) ||
      !bus.registerService(QStringLiteral("org.freedesktop.Notifications"))) {
    std::fprintf(stderr, "fake-notifications: cannot own the name: %s\n",
                 qPrintable(bus.lastError().message()));
    return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);
  return app.exec();
}

#include "main.moc"
