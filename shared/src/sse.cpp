#include "tickwire/sse.hpp"

#include <charconv>

namespace tickwire::sse {

void append_event(std::string& out, std::string_view type, std::string_view id,
                  std::string_view data) {
  if (!type.empty()) {
    out += "event: ";
    out += type;
    out += '\n';
  }
  if (!id.empty()) {
    out += "id: ";
    out += id;
    out += '\n';
  }
  // Split on CRLF, CR or LF: each becomes its own data line.
  std::size_t start = 0;
  while (true) {
    const auto brk = data.find_first_of("\r\n", start);
    out += "data: ";
    out += data.substr(start, brk == std::string_view::npos ? std::string_view::npos : brk - start);
    out += '\n';
    if (brk == std::string_view::npos) break;
    start = brk + 1;
    if (data[brk] == '\r' && start < data.size() && data[start] == '\n') ++start;
  }
  out += '\n';
}

std::string event(std::string_view type, std::string_view id, std::string_view data) {
  std::string out;
  out.reserve(type.size() + id.size() + data.size() + 32);
  append_event(out, type, id, data);
  return out;
}

std::string comment(std::string_view text) {
  std::string out = ": ";
  out += text;
  out += "\n\n";
  return out;
}

std::string retry(std::uint32_t milliseconds) {
  return "retry: " + std::to_string(milliseconds) + "\n\n";
}

Parser::Parser(EventHandler on_event, std::size_t max_bytes)
    : on_event_(std::move(on_event)), max_bytes_(max_bytes) {}

void Parser::reset_stream() {
  line_.clear();
  data_.clear();
  type_.clear();
  bom_matched_ = 0;
  at_stream_start_ = true;
  skip_lf_ = false;
  failed_ = false;
}

bool Parser::feed(std::string_view bytes) {
  static constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};
  if (failed_) return false;
  // One leading UTF-8 BOM is dropped, even when it arrives a byte at a time. Bytes that start
  // like a BOM but are not one are kept as text.
  while (at_stream_start_ && !bytes.empty()) {
    if (static_cast<unsigned char>(bytes.front()) == kBom[bom_matched_]) {
      bytes.remove_prefix(1);
      if (++bom_matched_ == 3) at_stream_start_ = false;
    } else {
      line_.append(reinterpret_cast<const char*>(kBom), bom_matched_);
      at_stream_start_ = false;
    }
  }
  if (at_stream_start_) return true;  // only part of a BOM so far

  std::size_t pos = 0;
  if (skip_lf_ && !bytes.empty()) {
    if (bytes.front() == '\n') pos = 1;
    skip_lf_ = false;
  }
  while (pos < bytes.size()) {
    const auto brk = bytes.find_first_of("\r\n", pos);
    if (brk == std::string_view::npos) {
      line_.append(bytes.substr(pos));
      if (line_.size() > max_bytes_) failed_ = true;
      return !failed_;
    }
    const auto piece = bytes.substr(pos, brk - pos);
    // The same limit whether the line came in one read or in several (then line_ holds the
    // start), so that how the network cut the stream never decides whether it fails.
    if (line_.size() + piece.size() > max_bytes_) {
      failed_ = true;
      return false;
    }
    if (line_.empty()) {
      process_line(piece);  // the common case: a whole line inside one chunk, no copy
    } else {
      line_.append(piece);
      process_line(line_);
      line_.clear();
    }
    if (failed_) return false;
    pos = brk + 1;
    if (bytes[brk] == '\r') {
      if (pos < bytes.size()) {
        if (bytes[pos] == '\n') ++pos;
      } else {
        skip_lf_ = true;
      }
    }
  }
  return true;
}

void Parser::process_line(std::string_view line) {
  if (line.empty()) {
    dispatch();
    return;
  }
  if (line.front() == ':') {
    if (on_comment_) on_comment_(line.substr(1));
    return;
  }
  std::string_view field = line;
  std::string_view value;
  if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "event") {
    type_.assign(value);
  } else if (field == "data") {
    data_.append(value);
    data_ += '\n';
    if (data_.size() > max_bytes_) failed_ = true;
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_event_id_.assign(value);
  } else if (field == "retry") {
    std::uint64_t ms = 0;
    const auto res = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (!value.empty() && res.ec == std::errc() && res.ptr == value.data() + value.size()) {
      retry_ms_ = ms;
    }
  }
  // Any other field name is ignored, as the standard requires.
}

void Parser::dispatch() {
  if (data_.empty()) {
    type_.clear();
    return;
  }
  data_.pop_back();  // the trailing line feed
  const std::string_view type = type_.empty() ? std::string_view("message") : type_;
  on_event_(Event{type, data_, last_event_id_});
  data_.clear();
  type_.clear();
}

}  // namespace tickwire::sse
