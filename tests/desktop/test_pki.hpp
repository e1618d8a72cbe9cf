// A throwaway PKI for TLS tests, made at test time with the openssl command line in a temporary
// folder: a self-signed CA, and a server certificate it signed for 127.0.0.1 and localhost.
// Nothing is checked in: no certificate can expire in the repository.
#pragma once

#include <QFile>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

namespace tickwire::desktop::test {

class TestPki {
 public:
  TestPki() { ok_ = make(); }
  bool ok() const { return ok_; }
  QString error() const { return error_; }
  QString caFile() const { return dir_.filePath(QStringLiteral("ca.pem")); }
  QString certFile() const { return dir_.filePath(QStringLiteral("server.pem")); }
  QString keyFile() const { return dir_.filePath(QStringLiteral("server.key")); }
  QString path(const QString& name) const { return dir_.filePath(name); }

 private:
  bool run(const QStringList& args) {
    QProcess p;
    p.setWorkingDirectory(dir_.path());
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
      error_ = QStringLiteral("openssl %1: %2 %3")
                   .arg(args.join(u' '), p.errorString(), QString::fromLocal8Bit(p.readAll()));
      return false;
    }
    return true;
  }

  bool make() {
    if (!dir_.isValid()) {
      error_ = QStringLiteral("no temporary folder");
      return false;
    }
    QFile ext(dir_.filePath(QStringLiteral("server.ext")));
    if (!ext.open(QIODevice::WriteOnly)) return false;
    ext.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
              "basicConstraints=critical,CA:FALSE\n"
              "keyUsage=critical,digitalSignature\n"
              "extendedKeyUsage=serverAuth\n");
    ext.close();
    const QStringList ecKey{QStringLiteral("-newkey"), QStringLiteral("ec"),
                            QStringLiteral("-pkeyopt"),
                            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
    return run(QStringList{"req", "-x509"} + ecKey +
               QStringList{"-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj",
                           "/CN=Tickwire test CA", "-addext",
                           "basicConstraints=critical,CA:TRUE", "-addext",
                           "keyUsage=critical,keyCertSign,cRLSign"}) &&
           run(QStringList{"req", "-new"} + ecKey +
               QStringList{"-keyout", "server.key", "-out", "server.csr", "-subj",
                           "/CN=localhost"}) &&
           run({"x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile",
                "server.ext"});
  }

  QTemporaryDir dir_;
  QString error_;
  bool ok_ = false;
};

}  // namespace tickwire::desktop::test
