#include "net/upstream_url.hpp"

#include <boost/url/parse.hpp>

namespace tickwire::net {

std::optional<UpstreamUrl> parse_upstream_url(std::string_view text, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<UpstreamUrl> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  const auto parsed = boost::urls::parse_uri(text);
  if (!parsed) return fail("not a URL: " + parsed.error().message());
  const auto& u = *parsed;
  if (u.scheme() != "http") return fail("only http:// upstream URLs are supported");
  if (u.host().empty()) return fail("the URL has no host");
  if (u.has_query() || u.has_fragment()) return fail("the URL must not carry a query or fragment");
  UpstreamUrl out;
  out.host = u.host_address();  // brackets of an IPv6 literal removed
  out.port = u.has_port() ? std::string(u.port()) : "80";
  out.path_prefix = std::string(u.encoded_path());
  while (!out.path_prefix.empty() && out.path_prefix.back() == '/') out.path_prefix.pop_back();
  return out;
}

}  // namespace tickwire::net
