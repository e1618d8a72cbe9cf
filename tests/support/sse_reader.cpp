#include "sse_reader.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

#include "tickwire/quote_json.hpp"

namespace tickwire::test {

namespace asio = boost::asio;

SseReader::SseReader(unsigned short port, const std::string& target, std::string extra_headers,
                     int receive_buffer)
    : socket_(ioc_), parser_([this](const sse::Event& e) {
        events_.push_back({std::string(e.type), std::string(e.data), std::string(e.id)});
        if (e.type == "snapshot") {
          if (auto qs = decode_snapshot(e.data)) quotes_.insert(quotes_.end(), qs->begin(), qs->end());
        } else if (e.type == "quote") {
          if (auto q = decode_quote(e.data)) quotes_.push_back(std::move(*q));
        }
      }) {
  socket_.open(asio::ip::tcp::v4());
  if (receive_buffer > 0) socket_.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
  socket_.connect({asio::ip::make_address("127.0.0.1"), port});
  request_ = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" +
             extra_headers + "\r\n";
  asio::write(socket_, asio::buffer(request_));
  do_read();
}

void SseReader::do_read() {
  socket_.async_read_some(asio::buffer(buf_), [this](boost::system::error_code ec, std::size_t n) {
    std::string_view chunk(buf_, n);
    if (!in_body_) {
      // The server streams the body raw after the header (no chunking); split them here.
      head_.append(chunk);
      const auto end = head_.find("\r\n\r\n");
      if (end != std::string::npos) {
        in_body_ = true;
        if (head_.size() > 12) status_ = static_cast<unsigned>(std::stoi(head_.substr(9, 3)));
        const std::string body = head_.substr(end + 4);
        head_.resize(end + 4);
        if (status_ == 200) parser_.feed(body);
        else body_ += body;
      }
    } else if (status_ == 200) {
      parser_.feed(chunk);
    } else {
      body_.append(chunk);
    }
    if (ec) {
      closed_ = true;
      clean_eof_ = ec == asio::error::eof;
      return;
    }
    do_read();
  });
}

bool SseReader::pump_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    ioc_.restart();
    ioc_.run_for(std::chrono::milliseconds(10));
  }
  return done();
}

std::vector<Quote> SseReader::quotes_of(const std::string& symbol) const {
  std::vector<Quote> out;
  for (const auto& q : quotes_) {
    if (q.symbol == symbol) out.push_back(q);
  }
  return out;
}

void SseReader::close() {
  boost::system::error_code ec;
  socket_.close(ec);
  closed_ = true;
}

}  // namespace tickwire::test
