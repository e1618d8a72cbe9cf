// The secrets the app keeps: the data providers' keys. They live in the system keyring
// (the Secret Service or KWallet, through QtKeychain) under the service "Tickwire", never in the
// settings file. Where no keyring service answers (a headless session, CI, a desktop without
// one) they go to a file only the user can read, beside the settings file, and `location`
// says so for the UI. Once a keyring works, keys found only in that file move into it on the
// next write.
//
// Every call is asynchronous (a keyring may ask the user to unlock it): `done` runs later, once,
// on this object's thread. Calls run one after the other, in order.
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QtQml/qqmlregistration.h>
#include <deque>
#include <functional>

namespace QKeychain {
class Job;
}

namespace tickwire::desktop {

class SecretStore : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
  // Whether the keyring is in use (false until a keyring call failed: then the file is).
  Q_PROPERTY(bool inKeyring READ inKeyring NOTIFY locationChanged)
  // Where the keys are, in words for the Settings view.
  Q_PROPERTY(QString location READ location NOTIFY locationChanged)

 public:
  using Values = QHash<QString, QString>;

  // `fallbackPath`: the owner-only file used where there is no keyring.
  explicit SecretStore(QString fallbackPath, QString service = QStringLiteral("Tickwire"),
                       QObject* parent = nullptr);
  ~SecretStore() override;

  // Reads `keys`; a key stored nowhere reads as empty.
  void read(const QStringList& keys, std::function<void(const Values&)> done);
  // Stores `values`; an empty value removes its key. `done(false)` if some could not be stored
  // anywhere (the file could not be written either).
  void write(const Values& values, std::function<void(bool ok)> done);

  bool inKeyring() const { return keyringBroken_.isEmpty(); }
  QString location() const;
  QString fallbackPath() const { return fallbackPath_; }

 Q_SIGNALS:
  void locationChanged();

 private:
  struct Operation {
    QString key;
    bool write = false;
    QString value;
  };
  struct Call {
    std::deque<Operation> operations;
    Values results;
    bool ok = true;
    std::function<void(const Values&)> readDone;
    std::function<void(bool)> writeDone;
  };

  void enqueue(Call call);
  void step();
  void runInKeyring(const Operation& op);
  void keyringAnswered(QKeychain::Job* job, const Operation& op);
  // The file, for a key the keyring could not take (or never had).
  QString readFile(const QString& key) const;
  bool writeFile(const QString& key, const QString& value);

  QString fallbackPath_;
  QString service_;
  QString keyringBroken_;  // why the keyring is not used; empty while it is
  std::deque<Call> calls_;
  bool running_ = false;
};

}  // namespace tickwire::desktop
