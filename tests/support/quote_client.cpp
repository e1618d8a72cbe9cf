#include "quote_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <set>
#include <thread>

#include "http_probe.hpp"
#include "sse_reader.hpp"
#include "tickwire/quote_json.hpp"

namespace tickwire::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace json = boost::json;

std::string to_string(Transport t) {
  switch (t) {
    case Transport::sse: return "SSE";
    case Transport::websocket: return "WebSocket";
    case Transport::poll: return "Polling";
  }
  return "?";
}

namespace {

std::string join(const std::vector<std::string>& symbols) {
  std::string out;
  for (const auto& s : symbols) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string error_code_of(const std::string& body) {
  boost::system::error_code ec;
  const auto v = json::parse(body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("error")) return "unparseable";
  return std::string(v.at("error").as_string());
}

// Shared bookkeeping: received quotes and where the last change() happened.
class Base : public QuoteClient {
 public:
  const std::vector<Quote>& quotes() const override { return quotes_; }
  int snapshot_size() const override { return snapshot_size_; }
  const std::vector<std::string>& errors() const override { return errors_; }
  const std::vector<std::string>& statuses() const override { return statuses_; }
  const std::vector<std::string>& symbol_statuses() const override { return symbol_statuses_; }
  const std::vector<std::string>& unknown_symbols() const override { return unknown_; }
  std::vector<Quote> since_change() const override {
    return {quotes_.begin() + static_cast<std::ptrdiff_t>(mark_), quotes_.end()};
  }

 protected:
  std::vector<Quote> quotes_;
  std::vector<std::string> errors_;
  std::vector<std::string> statuses_;
  std::vector<std::string> symbol_statuses_;
  std::vector<std::string> unknown_;
  int snapshot_size_ = -1;

  void note_symbol_status(std::string_view json) {
    if (const auto m = decode_symbol_status(json)) {
      symbol_statuses_.push_back(m->symbol + (m->available ? " available" : " unavailable " + m->reason));
    }
  }
  std::size_t mark_ = 0;
};

class SseClient final : public Base {
 public:
  SseClient(unsigned short port, std::vector<std::string> symbols, const std::string& resume)
      : symbols_(symbols), port_(port) {
    open(symbols, resume);
  }
  bool pump_until(const std::function<bool()>& done, std::chrono::milliseconds t) override {
    return reader_->pump_until([&] { collect(); return done(); }, t);
  }
  std::string resume_token() const override { return reader_->last_event_id(); }
  void change(const std::vector<std::string>& symbols) override {
    collect();
    mark_ = quotes_.size();
    symbols_ = symbols;
    open(symbols, {});
  }
  void subscribe_more(const std::vector<std::string>& more) override {
    collect();
    symbols_.insert(symbols_.end(), more.begin(), more.end());
    open(symbols_, {});
  }

 private:
  std::vector<std::string> symbols_;
  void open(const std::vector<std::string>& symbols, const std::string& resume) {
    reader_ = std::make_unique<SseReader>(
        port_, "/v1/stream?symbols=" + join(symbols),
        resume.empty() ? std::string() : "Last-Event-ID: " + resume + "\r\n");
    taken_ = 0;
    taken_events_ = 0;
  }
  void collect() {
    // An HTTP error comes as a JSON body instead of a stream.
    if (reader_->status() >= 400 && taken_events_ == 0) {
      reader_->pump_until([&] { return reader_->closed(); }, std::chrono::seconds(2));
      const auto& head = reader_->head();
      (void)head;
      errors_.push_back(error_code_of(reader_->body()));
      taken_events_ = 1;
      return;
    }
    const auto& events = reader_->events();
    for (; taken_events_ < events.size(); ++taken_events_) {
      const auto& e = events[taken_events_];
      if (e.type == "snapshot" && snapshot_size_ < 0) {
        snapshot_size_ = static_cast<int>(decode_snapshot(e.data)->size());
      }
      if (e.type == "snapshot") {
        for (auto& s : decode_unknown_symbols(e.data)) unknown_.push_back(std::move(s));
      }
      if (e.type == "status") {
        if (const auto live = decode_status_live(e.data)) {
          statuses_.push_back(*live ? "live" : "stale");
        }
        note_symbol_status(e.data);
      }
    }
    const auto& q = reader_->quotes();
    for (; taken_ < q.size(); ++taken_) quotes_.push_back(q[taken_]);
  }

  unsigned short port_;
  std::unique_ptr<SseReader> reader_;
  std::size_t taken_ = 0, taken_events_ = 0;
};

class WsClient final : public Base {
 public:
  WsClient(unsigned short port, const std::vector<std::string>& symbols, const std::string& resume)
      : ws_(ioc_) {
    auto& sock = beast::get_lowest_layer(ws_);
    sock.connect({asio::ip::make_address("127.0.0.1"), port});
    std::string target = "/v1/ws?symbols=" + join(symbols);
    if (!resume.empty()) target += "&lastEventId=" + resume;
    ws_.handshake("127.0.0.1", target);
    do_read();
  }
  bool pump_until(const std::function<bool()>& done, std::chrono::milliseconds t) override {
    const auto deadline = std::chrono::steady_clock::now() + t;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      ioc_.restart();
      ioc_.run_for(std::chrono::milliseconds(10));
    }
    return done();
  }
  std::string resume_token() const override { return last_id_; }
  void change(const std::vector<std::string>& symbols) override {
    json::array old_list, new_list;
    for (const auto& s : current_) old_list.emplace_back(s);
    for (const auto& s : symbols) new_list.emplace_back(s);
    send(json::serialize(json::object{{"action", "unsubscribe"}, {"symbols", old_list}}));
    // Quotes in flight before the server read the unsubscribe are not "after the change".
    pump_until([&] { return unsubscribed_; }, std::chrono::seconds(5));
    mark_ = quotes_.size();
    send(json::serialize(json::object{{"action", "subscribe"}, {"symbols", new_list}}));
  }
  void subscribe_more(const std::vector<std::string>& more) override {
    json::array list;
    for (const auto& s : more) list.emplace_back(s);
    send(json::serialize(json::object{{"action", "subscribe"}, {"symbols", list}}));
  }
  void send(const std::string& text) {
    ws_.text(true);
    ws_.write(asio::buffer(text));  // blocking: fine while no other write is pending
  }
  bool closed() const { return closed_; }

 private:
  void do_read() {
    ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) {
      if (ec) {
        closed_ = true;
        return;
      }
      on_message(beast::buffers_to_string(buffer_.data()));
      buffer_.consume(buffer_.size());
      do_read();
    });
  }
  void on_message(const std::string& text) {
    const auto v = json::parse(text).as_object();
    const auto type = v.at("type").as_string();
    if (v.contains("id")) last_id_ = std::string(v.at("id").as_string());
    if (type == "snapshot") {
      const auto& qs = v.at("quotes").as_array();
      if (snapshot_size_ < 0) snapshot_size_ = static_cast<int>(qs.size());
      for (const auto& q : qs) quotes_.push_back(*decode_quote(json::serialize(q)));
      current_.clear();
      for (const auto& s : v.at("symbols").as_array()) current_.emplace_back(s.as_string());
    } else if (type == "quote") {
      quotes_.push_back(*decode_quote(json::serialize(v.at("quote"))));
    } else if (type == "error") {
      errors_.emplace_back(v.at("error").as_string());
      if (errors_.back() == "unknown_symbol" && v.contains("symbols")) {
        for (const auto& s : v.at("symbols").as_array()) unknown_.emplace_back(s.as_string());
      }
    } else if (type == "unsubscribed") {
      unsubscribed_ = true;
      current_.clear();
    } else if (type == "status") {
      if (v.contains("symbol")) {
        note_symbol_status(text);
      } else {
        statuses_.emplace_back(v.at("state").as_string());
      }
    }
  }

  asio::io_context ioc_;
  beast::websocket::stream<asio::ip::tcp::socket> ws_;
  beast::flat_buffer buffer_;
  std::string last_id_;
  std::vector<std::string> current_;
  bool unsubscribed_ = false;
  bool closed_ = false;
};

class PollClient final : public Base {
 public:
  PollClient(unsigned short port, std::vector<std::string> symbols, std::string resume)
      : port_(port), symbols_(std::move(symbols)), cursor_(std::move(resume)) {}
  bool pump_until(const std::function<bool()>& done, std::chrono::milliseconds t) override {
    const auto deadline = std::chrono::steady_clock::now() + t;
    do {
      if (done()) return true;
      poll_once();
    } while (std::chrono::steady_clock::now() < deadline);
    return done();
  }
  std::string resume_token() const override { return cursor_; }
  void change(const std::vector<std::string>& symbols) override {
    mark_ = quotes_.size();
    symbols_ = symbols;
    cursor_.clear();
  }
  void subscribe_more(const std::vector<std::string>& more) override {
    symbols_.insert(symbols_.end(), more.begin(), more.end());
    cursor_.clear();  // new symbols need their full state
  }

 private:
  void poll_once() {
    std::string target = "/v1/quotes?symbols=" + join(symbols_) + "&wait=1";
    if (!cursor_.empty()) target += "&since=" + cursor_;
    const auto r = http_get(port_, target, std::chrono::seconds(5));
    if (!r.ok) return;
    if (r.status != 200) {
      errors_.push_back(error_code_of(r.body));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      return;
    }
    const auto v = json::parse(r.body).as_object();
    cursor_ = std::string(v.at("cursor").as_string());
    // Polling has no events: a change of the answers' status counts as one.
    const std::string status(v.at("status").as_string());
    if (statuses_.empty() ? status != "live" : statuses_.back() != status) {
      statuses_.push_back(status);
    }
    const auto& qs = v.at("quotes").as_array();
    if (snapshot_size_ < 0) snapshot_size_ = static_cast<int>(qs.size());
    for (const auto& q : qs) quotes_.push_back(*decode_quote(json::serialize(q)));
    std::set<std::string> now;
    const auto answer = decode_poll_answer(r.body);
    for (const auto& s : answer->unknown) {
      if (std::find(unknown_.begin(), unknown_.end(), s) == unknown_.end()) unknown_.push_back(s);
    }
    for (const auto& u : answer->unavailable) {
      now.insert(u.symbol);
      if (!unavailable_.contains(u.symbol)) {
        symbol_statuses_.push_back(u.symbol + " unavailable " + u.reason);
      }
    }
    for (const auto& s : unavailable_) {
      if (!now.contains(s)) symbol_statuses_.push_back(s + " available");
    }
    unavailable_ = std::move(now);
  }

  unsigned short port_;
  std::vector<std::string> symbols_;
  std::string cursor_;
  std::set<std::string> unavailable_;  // as the last answer listed them
};

}  // namespace

std::unique_ptr<QuoteClient> make_client(Transport t, unsigned short port,
                                         const std::vector<std::string>& symbols,
                                         const std::string& resume) {
  switch (t) {
    case Transport::sse: return std::make_unique<SseClient>(port, symbols, resume);
    case Transport::websocket: return std::make_unique<WsClient>(port, symbols, resume);
    case Transport::poll: return std::make_unique<PollClient>(port, symbols, resume);
  }
  return nullptr;
}

}  // namespace tickwire::test
