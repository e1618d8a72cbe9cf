#include "net/http_target.hpp"

#include <boost/url/parse.hpp>

namespace tickwire::net {

std::optional<HttpTarget> parse_target(std::string_view target) {
  const auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return std::nullopt;
  HttpTarget out;
  out.path = std::string(parsed->path());
  for (const auto& p : parsed->params()) {
    out.params.try_emplace(std::string(p.key), std::string(p.value));
  }
  return out;
}

}  // namespace tickwire::net
