#include "demux/flv_parser.h"

#include <cstring>

namespace openlive::demux {

namespace {
uint32_t be24(const uint8_t* p) { return (uint32_t(p[0]) << 16) | (uint32_t(p[1]) << 8) | p[2]; }
uint32_t be32(const uint8_t* p) { return (uint32_t(p[0]) << 24) | be24(p + 1); }
}  // namespace

FlvStreamParser::FlvStreamParser(TagFn onTag, WarnFn onWarning)
    : onTag_(std::move(onTag)), onWarning_(std::move(onWarning)) {}

void FlvStreamParser::reset() {
  buf_.clear();
  pos_ = 0;
  headerSeen_ = false;
  needPrevSize_ = true;
  inGarbage_ = false;
  flags_ = 0;
}

bool FlvStreamParser::plausibleTagAt(size_t off) const {
  const uint8_t* h = buf_.data() + off;
  uint8_t type = h[0] & 0x1f;
  if (h[0] & 0xc0) return false;  // reserved bits
  if (type != 8 && type != 9 && type != 18) return false;
  if (be24(h + 1) > kMaxTagSize || (be24(h + 1) == 0 && type != 18)) return false;
  return be24(h + 8) == 0;  // stream id is always 0
}

void FlvStreamParser::skipGarbage(size_t n, const char* why) {
  if (!inGarbage_) {
    ++resyncs_;
    if (onWarning_) onWarning_(std::string("FLV: ") + why + "; resynchronising");
  }
  inGarbage_ = true;
  garbage_ += n;
  pos_ += n;
}

void FlvStreamParser::feed(const uint8_t* data, size_t size) {
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ > 65536 && pos_ * 2 > buf_.size()) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
  buf_.insert(buf_.end(), data, data + size);

  for (;;) {
    size_t avail = buf_.size() - pos_;
    if (!headerSeen_) {
      if (avail < 9) return;
      const uint8_t* h = buf_.data() + pos_;
      if (std::memcmp(h, "FLV", 3) != 0) {
        skipGarbage(1, "no FLV signature");
        continue;
      }
      uint32_t offset = be32(h + 5);
      if (offset < 9 || offset > 1024) offset = 9;
      if (avail < offset) return;
      flags_ = h[4];
      headerSeen_ = true;
      inGarbage_ = false;
      pos_ += offset;
      needPrevSize_ = true;
      continue;
    }
    if (needPrevSize_) {
      if (avail < 4) return;
      pos_ += 4;  // PreviousTagSize: not trusted (servers write inconsistent values)
      needPrevSize_ = false;
      continue;
    }
    if (avail < 11) return;
    if (!plausibleTagAt(pos_)) {
      skipGarbage(1, "implausible tag header");
      continue;
    }
    const uint8_t* h = buf_.data() + pos_;
    size_t dataSize = be24(h + 1);
    if (avail < 11 + dataSize + 4) {
      // While resynchronising a candidate is confirmed only by its trailing PreviousTagSize; do not wait
      // long for a candidate that may itself be garbage.
      if (inGarbage_ && avail >= 256 * 1024) {
        skipGarbage(1, "implausible tag header");
        continue;
      }
      return;
    }
    if (inGarbage_) {
      uint32_t prev = be32(h + 11 + dataSize);
      if (prev != 11 + dataSize) {
        skipGarbage(1, "implausible tag header");
        continue;
      }
      inGarbage_ = false;
    }
    uint8_t type = h[0] & 0x1f;
    uint32_t ts = be24(h + 4) | (uint32_t(h[7]) << 24);
    ++tags_;
    if (onTag_) onTag_(type, ts, h + 11, dataSize);
    pos_ += 11 + dataSize;
    needPrevSize_ = true;
  }
}

}  // namespace openlive::demux
