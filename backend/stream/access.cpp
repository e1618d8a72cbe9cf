#include "stream/access.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "stream/ws_frame.hpp"
#include "tickwire/sse.hpp"

namespace tickwire::stream {

bool Access::entitled(std::string_view symbol) const {
  return !symbols || std::binary_search(symbols->begin(), symbols->end(), symbol);
}

std::vector<std::string> Access::refused(const std::vector<std::string>& requested) const {
  std::vector<std::string> out;
  if (!symbols) return out;
  for (const auto& s : requested) {
    if (!entitled(s)) out.push_back(s);
  }
  return out;
}

StatusPtr expired_status() {
  static const StatusPtr frame = [] {
    auto f = std::make_shared<StatusFrame>();
    f->live = false;
    boost::json::object o{{"state", "expired"},
                          {"reason", "the token expired; reconnect with a new one"}};
    f->json = boost::json::serialize(o);
    f->sse = sse::event("status", "", f->json);
    o.emplace("type", "status");
    f->ws = ws::frame(ws::Opcode::text, boost::json::serialize(o));
    return f;
  }();
  return frame;
}

}  // namespace tickwire::stream
