#include "stream/ws_frame.hpp"

#include <algorithm>

namespace tickwire::stream::ws {

void append_header(std::string& out, Opcode op, std::size_t size) {
  out += static_cast<char>(0x80 | static_cast<std::uint8_t>(op));  // FIN, no RSV bits
  if (size < 126) {
    out += static_cast<char>(size);
  } else if (size <= 0xFFFF) {
    out += static_cast<char>(126);
    out += static_cast<char>((size >> 8) & 0xFF);
    out += static_cast<char>(size & 0xFF);
  } else {
    out += static_cast<char>(127);
    for (int shift = 56; shift >= 0; shift -= 8) {
      out += static_cast<char>((static_cast<std::uint64_t>(size) >> shift) & 0xFF);
    }
  }
}

std::string frame(Opcode op, std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + 10);
  append_header(out, op, payload.size());
  out += payload;
  return out;
}

std::string close_frame(std::uint16_t code, std::string_view reason) {
  std::string payload;
  payload += static_cast<char>(code >> 8);
  payload += static_cast<char>(code & 0xFF);
  payload += reason.substr(0, 123);  // control frames carry at most 125 bytes
  return frame(Opcode::close, payload);
}

std::size_t FrameReader::fail(const char* why, std::uint16_t code, std::size_t consumed,
                              Event& ev) {
  error_ = why;
  message_.clear();
  message_.shrink_to_fit();
  ev.kind = Kind::error;
  ev.payload = error_;
  ev.code = code;
  return consumed;
}

std::size_t FrameReader::feed(std::string_view data, Event& ev) {
  ev = {};
  if (error_) return 0;
  if (!in_message_ && !message_.empty()) {
    // The message returned by the previous call has been handled: let its memory go, so an idle
    // connection holds no buffer.
    message_.clear();
    message_.shrink_to_fit();
  }
  std::size_t used = 0;
  while (used < data.size()) {
    if (!in_payload_) {
      header_[header_len_++] = static_cast<std::uint8_t>(data[used++]);
      if (header_len_ < 2) continue;
      if (((header_[1] & 0x80) != 0) != masked_) {
        return fail(masked_ ? "client frames must be masked" : "server frames must not be masked",
                    kProtocolError, used, ev);
      }
      const std::uint8_t len7 = header_[1] & 0x7F;
      const std::size_t mask_size = masked_ ? 4 : 0;
      const std::size_t need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + mask_size;
      if (header_len_ < need) continue;

      fin_ = (header_[0] & 0x80) != 0;
      if (header_[0] & 0x70) return fail("reserved bits set", kProtocolError, used, ev);
      const auto op = header_[0] & 0x0F;
      std::uint64_t len = len7;
      if (len7 == 126) {
        len = (std::uint64_t{header_[2]} << 8) | header_[3];
      } else if (len7 == 127) {
        len = 0;
        for (int i = 2; i < 10; ++i) len = (len << 8) | header_[i];
        if (len >> 63) return fail("frame length out of range", kProtocolError, used, ev);
      }
      if (masked_) std::copy_n(header_ + need - 4, 4, mask_);
      mask_pos_ = 0;
      header_len_ = 0;
      remaining_ = len;

      switch (op) {
        case 0x8: case 0x9: case 0xA:
          if (!fin_ || len > 125) {
            return fail("fragmented or oversized control frame", kProtocolError, used, ev);
          }
          opcode_ = static_cast<Opcode>(op);
          control_.clear();  // here, not per feed(): the payload may span several reads
          break;
        case 0x0:
          if (!in_message_) return fail("continuation without a message", kProtocolError, used, ev);
          opcode_ = Opcode::continuation;
          break;
        case 0x1: case 0x2:
          if (in_message_) {
            return fail("new message before the last one ended", kProtocolError, used, ev);
          }
          opcode_ = static_cast<Opcode>(op);
          in_message_ = true;
          message_op_ = opcode_;
          message_size_ = 0;
          skipping_ = false;
          break;
        default:
          return fail("unknown opcode", kProtocolError, used, ev);
      }
      if (opcode_ == Opcode::text || opcode_ == Opcode::binary ||
          opcode_ == Opcode::continuation) {
        message_size_ += len;
        if (message_size_ > hard_limit_) {
          return fail("message too big", kMessageTooBig, used, ev);
        }
        if (message_size_ > max_message_ && !skipping_) {
          skipping_ = true;  // read on, keep nothing: answered as too_large when it ends
          message_.clear();
          message_.shrink_to_fit();
        }
      }
      in_payload_ = true;
      if (remaining_ == 0) {
        complete_frame(ev);
        if (ev.kind != Kind::none) return used;
      }
      continue;
    }

    const auto n = static_cast<std::size_t>(
        std::min<std::uint64_t>(remaining_, data.size() - used));
    const bool control = static_cast<std::uint8_t>(opcode_) >= 0x8;
    std::string* into = control ? &control_ : skipping_ ? nullptr : &message_;
    if (into) {
      const auto start = into->size();
      into->append(data.substr(used, n));
      for (std::size_t i = start; masked_ && i < into->size(); ++i) {
        (*into)[i] = static_cast<char>(static_cast<std::uint8_t>((*into)[i]) ^ mask_[mask_pos_]);
        mask_pos_ = (mask_pos_ + 1) & 3;
      }
    }
    used += n;
    remaining_ -= n;
    if (remaining_ == 0) {
      complete_frame(ev);
      if (ev.kind != Kind::none || error_) return used;
    }
  }
  return used;
}

void FrameReader::complete_frame(Event& ev) {
  in_payload_ = false;
  switch (opcode_) {
    case Opcode::ping:
      ev.kind = Kind::ping;
      ev.payload = control_;
      return;
    case Opcode::pong:
      ev.kind = Kind::pong;
      ev.payload = control_;
      return;
    case Opcode::close:
      if (control_.size() == 1) {
        fail("close frame with a one-byte body", kProtocolError, 0, ev);
        return;
      }
      ev.kind = Kind::close;
      ev.code = 1005;  // no status code present
      if (control_.size() >= 2) {
        ev.code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(control_[0]) << 8) |
                                             static_cast<std::uint8_t>(control_[1]));
        ev.payload = std::string_view(control_).substr(2);
      }
      return;
    default:
      break;
  }
  if (!fin_) return;  // more fragments to come
  in_message_ = false;
  if (skipping_) {
    skipping_ = false;
    ev.kind = Kind::too_large;
    return;
  }
  ev.kind = message_op_ == Opcode::binary ? Kind::binary : Kind::text;
  ev.payload = message_;
}

}  // namespace tickwire::stream::ws
