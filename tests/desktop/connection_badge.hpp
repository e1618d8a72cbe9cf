// The real connection badge (qml/ConnectionBadge.qml) bound to a FeedClient, for tests that
// check what the user sees; and a free loopback port for a backend to bind.
#pragma once

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "feed_client.hpp"

namespace tickwire::desktop::test {

class Badge {
 public:
  explicit Badge(FeedClient& feed) {
    engine_.addImportPath(QStringLiteral("qrc:/"));
    QQmlComponent component(&engine_);
    component.setData("import QtQuick\nimport Tickwire.Ui\n"
                      "ConnectionBadge { theme: Theme {} backendMode: \"remote\" }",
                      QUrl());
    item_.reset(qobject_cast<QQuickItem*>(component.createWithInitialProperties(
        {{QStringLiteral("feed"), QVariant::fromValue(&feed)}})));
    if (!item_) qWarning() << component.errors();
  }
  QString text() const {
    auto* t = item_ ? item_->findChild<QObject*>(QStringLiteral("badgeText")) : nullptr;
    return t ? t->property("text").toString() : QString();
  }

 private:
  QQmlEngine engine_;
  std::unique_ptr<QQuickItem> item_;
};

inline unsigned short free_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

}  // namespace tickwire::desktop::test
