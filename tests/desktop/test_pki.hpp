// The shared test certificates (tests/support/test_certificates.hpp: a CA made at test time and
// a server certificate it signed for 127.0.0.1, ::1 and localhost) in a temporary folder, with
// the paths as QStrings for the Qt side.
#pragma once

#include <QString>
#include <QTemporaryDir>

#include <exception>

#include "test_certificates.hpp"

namespace tickwire::desktop::test {

class TestPki {
 public:
  TestPki() {
    if (!dir_.isValid()) {
      error_ = QStringLiteral("no temporary folder");
      return;
    }
    try {
      files_ = tickwire::test::make_test_certificates(dir_.path().toStdString(), "server");
    } catch (const std::exception& e) {
      error_ = QString::fromStdString(e.what());
    }
  }
  bool ok() const { return error_.isEmpty(); }
  QString error() const { return error_; }
  QString caFile() const { return QString::fromStdString(files_.ca); }
  QString certFile() const { return QString::fromStdString(files_.cert); }
  QString keyFile() const { return QString::fromStdString(files_.key); }
  QString path(const QString& name) const { return dir_.filePath(name); }

 private:
  QTemporaryDir dir_;
  tickwire::test::TestCertificates files_;
  QString error_;
};

}  // namespace tickwire::desktop::test
