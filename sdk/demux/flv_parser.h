// Incremental FLV byte-stream parser (demux stage): file header, tag headers, PreviousTagSize.
//
// Fed by the HTTP-FLV reader in arbitrary chunks. Robust to garbage and truncation: an implausible tag
// header (unknown type, stream id != 0, size above kMaxTagSize) makes the parser skip bytes until the next
// plausible tag header (counted in garbageBytes(), reported once per resync through onWarning); a truncated
// tail is simply never emitted. Memory is bounded by the largest accepted tag.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace openlive::demux {

class FlvStreamParser {
 public:
  static constexpr size_t kMaxTagSize = 8 * 1024 * 1024;
  using TagFn = std::function<void(uint8_t type, uint32_t timestampMs, const uint8_t* body, size_t size)>;
  using WarnFn = std::function<void(const std::string& message)>;

  explicit FlvStreamParser(TagFn onTag, WarnFn onWarning = {});
  void feed(const uint8_t* data, size_t size);
  void reset();

  bool headerSeen() const { return headerSeen_; }
  bool hasAudio() const { return flags_ & 0x04; }
  bool hasVideo() const { return flags_ & 0x01; }
  uint64_t garbageBytes() const { return garbage_; }
  uint64_t resyncs() const { return resyncs_; }
  uint64_t tags() const { return tags_; }
  size_t pendingBytes() const { return buf_.size() - pos_; }

 private:
  bool plausibleTagAt(size_t off) const;
  void skipGarbage(size_t n, const char* why);
  TagFn onTag_;
  WarnFn onWarning_;
  std::vector<uint8_t> buf_;
  size_t pos_ = 0;
  bool headerSeen_ = false;
  bool needPrevSize_ = true;  // the 4-byte PreviousTagSize before the next tag
  bool inGarbage_ = false;
  uint8_t flags_ = 0;
  uint64_t garbage_ = 0, resyncs_ = 0, tags_ = 0;
};

}  // namespace openlive::demux
