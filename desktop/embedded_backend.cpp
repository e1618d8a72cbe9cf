#include "embedded_backend.hpp"

#include <unistd.h>

#include "app/all_in_one.hpp"

namespace tickwire::desktop {

EmbeddedBackend::EmbeddedBackend() {
  app::AllInOne::Configuration c;
  c.frontend.bind = {boost::asio::ip::make_address("127.0.0.1"), 0};
  c.frontend.threads = 1;  // one desktop client: a second shard would only cost memory
  c.frontend.id = "desktop-" + std::to_string(::getpid());
  c.frontend.role = "all";
  c.dispatch.id = c.frontend.id;
  node_ = std::make_unique<app::AllInOne>(c);
  node_->start();
  url_ = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(node_->frontend_endpoint().port()));
}

EmbeddedBackend::~EmbeddedBackend() { node_->shutdown(std::chrono::milliseconds(1000)); }

}  // namespace tickwire::desktop
