#include "tray.hpp"

#include <QApplication>
#include <QIcon>
#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>

namespace tickwire::desktop {

namespace {

// The installed theme icon (the package puts tickwire.png in hicolor), else a drawn one: a
// checkout run from the build tree has no theme icon, and a tray icon must not be blank.
QIcon trayIcon() {
  QIcon fallback;
  QPixmap pixmap(64, 64);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  p.setBrush(QColor(0x1f, 0x6f, 0xeb));
  p.setPen(Qt::NoPen);
  p.drawRoundedRect(QRectF(2, 2, 60, 60), 12, 12);
  p.setPen(QPen(Qt::white, 7, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  p.drawPolyline(QPolygonF({QPointF(12, 44), QPointF(26, 30), QPointF(36, 38), QPointF(52, 18)}));
  p.end();
  fallback.addPixmap(pixmap);
  return QIcon::fromTheme(QStringLiteral("tickwire"), fallback);
}

}  // namespace

Tray::Tray(QObject* parent) : QObject(parent) {
  if (!qobject_cast<QApplication*>(QCoreApplication::instance())) return;  // no widgets here
  poll_.setInterval(5000);
  connect(&poll_, &QTimer::timeout, this, &Tray::check);
  poll_.start();
  check();
}

Tray::~Tray() = default;

void Tray::check() {
  const bool now = QSystemTrayIcon::isSystemTrayAvailable();
  if (now && !icon_) {
    menu_ = std::make_unique<QMenu>();
    menu_->addAction(tr("Show Tickwire"), this, &Tray::showRequested);
    menu_->addSeparator();
    menu_->addAction(tr("Quit"), this, &Tray::quitRequested);
    icon_ = std::make_unique<QSystemTrayIcon>(trayIcon());
    icon_->setToolTip(QStringLiteral("Tickwire"));
    icon_->setContextMenu(menu_.get());
    connect(icon_.get(), &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason why) {
              if (why == QSystemTrayIcon::Trigger || why == QSystemTrayIcon::DoubleClick) {
                Q_EMIT showRequested();
              }
            });
    connect(icon_.get(), &QSystemTrayIcon::messageClicked, this, &Tray::showRequested);
    icon_->show();
  }
  if (now == available_) return;
  available_ = now;
  // A tray that went away cannot give the window back: show it.
  if (!now && holding_) Q_EMIT showRequested();
  Q_EMIT availableChanged();
}

void Tray::setHoldingWindow(bool holding) {
  if (holding == holding_) return;
  holding_ = holding;
  Q_EMIT holdingChanged();
}

bool Tray::showMessage(const QString& title, const QString& body) {
  if (!available_ || !icon_) return false;
  icon_->showMessage(title, body, QSystemTrayIcon::Information, 10'000);
  return true;
}

}  // namespace tickwire::desktop
