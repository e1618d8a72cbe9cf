// The SecretStore against a real keyring (gnome-keyring's Secret Service in a private D-Bus
// session: with_keyring.sh, test desktop.tst_secret_store.keyring) and where no keyring
// service runs (no session bus: desktop.tst_secret_store.file). Each ctest entry runs the one
// function that fits its environment.
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

#include "secret_store.hpp"

using tickwire::desktop::SecretStore;

namespace {

SecretStore::Values readNow(SecretStore& store, const QStringList& keys) {
  SecretStore::Values out;
  bool done = false;
  store.read(keys, [&](const SecretStore::Values& v) {
    out = v;
    done = true;
  });
  if (!QTest::qWaitFor([&] { return done; }, 10000)) qWarning("read did not finish");
  return out;
}

bool writeNow(SecretStore& store, const SecretStore::Values& values) {
  bool done = false, ok = false;
  store.write(values, [&](bool r) {
    ok = r;
    done = true;
  });
  if (!QTest::qWaitFor([&] { return done; }, 10000)) return false;
  return ok;
}

QByteArray contents(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A service name of this run only: the keyring of a test never holds another run's entries.
QString service() { return QStringLiteral("Tickwire test %1").arg(::getpid()); }

}  // namespace

class TestSecretStore : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void keysGoToAnOwnerOnlyFileWithoutAKeyring() {
    QVERIFY2(qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "run without a session bus");
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("secrets.ini"));
    SecretStore store(file, service());
    QSignalSpy moved(&store, &SecretStore::locationChanged);
    QVERIFY(store.inKeyring());  // until the keyring is tried
    QVERIFY(writeNow(store, {{"finnhub/token", "tok-123"}, {"alpaca/keyId", "AK-9"}}));
    QVERIFY(!store.inKeyring());
    QCOMPARE(moved.count(), 1);
    QVERIFY2(store.location().contains(file), qPrintable(store.location()));
    QVERIFY(store.location().contains(QStringLiteral("no keyring service")));
    QCOMPARE(QFile(file).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                                          QFileDevice::WriteGroup | QFileDevice::WriteOther),
             QFileDevice::Permissions{});
    QVERIFY(contents(file).contains("tok-123"));

    const auto values = readNow(store, {"finnhub/token", "alpaca/keyId", "alpaca/secretKey"});
    QCOMPARE(values.value("finnhub/token"), QStringLiteral("tok-123"));
    QCOMPARE(values.value("alpaca/keyId"), QStringLiteral("AK-9"));
    QCOMPARE(values.value("alpaca/secretKey"), QString());  // never stored

    // An empty value removes the key; another store on the same file reads what is left.
    QVERIFY(writeNow(store, {{"finnhub/token", QString()}}));
    QVERIFY(!contents(file).contains("tok-123"));
    SecretStore again(file, service());
    QCOMPARE(readNow(again, {"alpaca/keyId"}).value("alpaca/keyId"), QStringLiteral("AK-9"));
  }

  void keysGoToTheKeyringAndLeaveTheFile() {
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "run under with_keyring.sh");
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("secrets.ini"));
    {
      // Written while there was no keyring: a key in the file.
      QSettings old(file, QSettings::IniFormat);
      old.setValue("secrets/finnhub/token", "from-the-file");
    }
    SecretStore store(file, service());
    QCOMPARE(readNow(store, {"finnhub/token"}).value("finnhub/token"),
             QStringLiteral("from-the-file"));  // not in the keyring: the file's copy
    QVERIFY(writeNow(store, {{"finnhub/token", "tok-456"}, {"alpaca/secretKey", "s3cret"}}));
    QVERIFY2(store.inKeyring(), qPrintable(store.location()));
    QCOMPARE(store.location(), QStringLiteral("the system keyring"));
    // Stored in the keyring, and gone from the file.
    QVERIFY(!contents(file).contains("from-the-file"));
    QVERIFY(!contents(file).contains("tok-456"));
    QVERIFY(!contents(file).contains("s3cret"));

    SecretStore other(file, service());  // another instance reads the keyring, not a cache
    const auto values = readNow(other, {"finnhub/token", "alpaca/secretKey", "alpaca/keyId"});
    QCOMPARE(values.value("finnhub/token"), QStringLiteral("tok-456"));
    QCOMPARE(values.value("alpaca/secretKey"), QStringLiteral("s3cret"));
    QCOMPARE(values.value("alpaca/keyId"), QString());

    QVERIFY(writeNow(other, {{"finnhub/token", QString()}, {"alpaca/secretKey", QString()}}));
    QCOMPARE(readNow(store, {"finnhub/token"}).value("finnhub/token"), QString());
    QVERIFY(store.inKeyring());
  }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secret_store.moc"
