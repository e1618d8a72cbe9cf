#include "net/client_stream.hpp"

namespace tickwire::net {

ClientStream::ClientStream(tcp::socket&& socket, std::shared_ptr<boost::asio::ssl::context> context)
    : socket_(socket.get_executor()),
      tls_(std::make_unique<TlsState>(TlsState{context, Tls(std::move(socket), *context)})) {}

void teardown(boost::beast::role_type, ClientStream& stream, boost::system::error_code& ec) {
  ec = {};
  stream.close();
}

}  // namespace tickwire::net
