// The whole Tickwire backend inside the app (exchange simulator included), on a free loopback
// port. The app connects to it over HTTP/SSE exactly as it would to a remote frontend.
#pragma once

#include <QUrl>
#include <memory>

namespace tickwire::app {
class AllInOne;
}

namespace tickwire::desktop {

class EmbeddedBackend {
 public:
  EmbeddedBackend();
  ~EmbeddedBackend();
  QUrl url() const { return url_; }

 private:
  std::unique_ptr<app::AllInOne> node_;
  QUrl url_;
};

}  // namespace tickwire::desktop
