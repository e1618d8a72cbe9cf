#include "net/client_stream.hpp"

namespace tickwire::net {

ClientStream::ClientStream(tcp::socket&& socket, std::shared_ptr<boost::asio::ssl::context> context)
    : socket_(socket.get_executor()), tls_(std::in_place, std::move(socket), *context),
      context_(std::move(context)) {}

void teardown(boost::beast::role_type, ClientStream& stream, boost::system::error_code& ec) {
  ec = {};
  stream.close();
}

}  // namespace tickwire::net
