#include "secret_store.hpp"

#include <QSettings>
#include <qt6keychain/keychain.h>

#include "owner_only_file.hpp"

namespace tickwire::desktop {

namespace {
const QString kGroup = QStringLiteral("secrets/");
}  // namespace

SecretStore::SecretStore(QString fallbackPath, QString service, QObject* parent)
    : QObject(parent), fallbackPath_(std::move(fallbackPath)), service_(std::move(service)) {}

SecretStore::~SecretStore() = default;

QString SecretStore::location() const {
  if (inKeyring()) return tr("the system keyring");
  return tr("%1, readable only by you (no keyring service: %2)").arg(fallbackPath_, keyringBroken_);
}

void SecretStore::read(const QStringList& keys, std::function<void(const Values&)> done) {
  Call call;
  for (const auto& k : keys) call.operations.push_back(Operation{k, false, {}});
  call.readDone = std::move(done);
  enqueue(std::move(call));
}

void SecretStore::write(const Values& values, std::function<void(bool)> done) {
  Call call;
  for (auto it = values.cbegin(); it != values.cend(); ++it) {
    call.operations.push_back(Operation{it.key(), true, it.value()});
  }
  call.writeDone = std::move(done);
  enqueue(std::move(call));
}

void SecretStore::enqueue(Call call) {
  calls_.push_back(std::move(call));
  if (!running_) step();
}

void SecretStore::step() {
  running_ = true;
  while (!calls_.empty()) {
    auto& call = calls_.front();
    if (!call.operations.empty()) {
      const Operation op = call.operations.front();
      if (inKeyring()) return runInKeyring(op);  // continues in keyringAnswered()
      call.operations.pop_front();
      if (op.write) {
        call.ok = writeFile(op.key, op.value) && call.ok;
      } else {
        call.results.insert(op.key, readFile(op.key));
      }
      continue;
    }
    Call finished = std::move(call);
    calls_.pop_front();
    // Called last: a callback may start another call.
    if (finished.readDone) finished.readDone(finished.results);
    if (finished.writeDone) finished.writeDone(finished.ok);
  }
  running_ = false;
}

void SecretStore::runInKeyring(const Operation& op) {
  QKeychain::Job* job = nullptr;
  if (!op.write) {
    auto* r = new QKeychain::ReadPasswordJob(service_, this);
    job = r;
  } else if (op.value.isEmpty()) {
    job = new QKeychain::DeletePasswordJob(service_, this);
  } else {
    auto* w = new QKeychain::WritePasswordJob(service_, this);
    w->setTextData(op.value);
    job = w;
  }
  job->setKey(op.key);
  job->setAutoDelete(true);  // deleted once finished() has been emitted
  connect(job, &QKeychain::Job::finished, this, [this, op](QKeychain::Job* j) {
    keyringAnswered(j, op);
  });
  job->start();
}

void SecretStore::keyringAnswered(QKeychain::Job* job, const Operation& op) {
  const auto error = job->error();
  if (error != QKeychain::NoError && error != QKeychain::EntryNotFound) {
    // No keyring service (or none that can be unlocked here): this and every later operation
    // use the file. The message is the keyring's own, never a value.
    keyringBroken_ = job->errorString();
    if (keyringBroken_.isEmpty()) keyringBroken_ = tr("error %1").arg(static_cast<int>(error));
    qWarning("secrets: the keyring cannot be used (%s); keys are kept in %s instead",
             qPrintable(keyringBroken_), qPrintable(fallbackPath_));
    Q_EMIT locationChanged();
    return step();  // the same operation again, now on the file
  }
  auto& call = calls_.front();
  call.operations.pop_front();
  if (op.write) {
    // In the keyring now: a copy left in the file from a keyring-less time goes.
    if (!readFile(op.key).isEmpty()) writeFile(op.key, QString());
  } else {
    const auto* r = static_cast<QKeychain::ReadPasswordJob*>(job);
    // Not in the keyring: perhaps written to the file while there was no keyring service.
    call.results.insert(op.key, error == QKeychain::EntryNotFound ? readFile(op.key) : r->textData());
  }
  step();
}

QString SecretStore::readFile(const QString& key) const {
  QSettings file(fallbackPath_, QSettings::IniFormat);
  return file.value(kGroup + key).toString();
}

bool SecretStore::writeFile(const QString& key, const QString& value) {
  if (value.isEmpty() && readFile(key).isEmpty()) return true;  // nothing to remove
  if (!makeOwnerOnly(fallbackPath_)) return false;
  QSettings file(fallbackPath_, QSettings::IniFormat);
  if (value.isEmpty()) {
    file.remove(kGroup + key);
  } else {
    file.setValue(kGroup + key, value);
  }
  file.sync();
  return file.status() == QSettings::NoError && makeOwnerOnly(fallbackPath_);
}

}  // namespace tickwire::desktop
