#include "interop/flv_tags.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>

namespace openlive::test {
namespace {

constexpr size_t kFileHeader = 9 + 4;  // "FLV" header + PreviousTagSize0
constexpr size_t kTagHeader = 11;
constexpr uint32_t kMaxTagSize = 16u << 20;

uint32_t be24(const unsigned char* p) { return (uint32_t(p[0]) << 16) | (uint32_t(p[1]) << 8) | p[2]; }

FlvTag parseTag(const unsigned char* h, const unsigned char* body, uint32_t size, int64_t atMs) {
  FlvTag t;
  t.type = h[0] & 0x1f;
  t.size = size;
  t.timestamp = be24(h + 4) | (uint32_t(h[7]) << 24);
  t.arrivalMs = atMs;
  if (t.isVideo() && size >= 1) {
    t.frameType = body[0] >> 4;
    t.videoCodec = body[0] & 0x0f;
    if (t.videoCodec == 7 && size >= 5) {
      t.avcPacketType = body[1];
      int32_t cts = int32_t(be24(body + 2));
      if (cts & 0x800000) cts -= 0x1000000;
      t.compositionMs = cts;
    }
  } else if (t.isAudio() && size >= 1) {
    t.soundFormat = body[0] >> 4;
    if (t.soundFormat == 10 && size >= 2) t.aacPacketType = body[1];
  }
  return t;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  auto mid = v.begin() + long(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// Timestamps of a kind's media frames, made continuous across wraps: a step back by more than 2^30 ms (a 32-bit
// wrap, or the 31-bit one of ffmpeg's FLV muxer) continues from the last timestamp.
std::vector<int64_t> unwrapped(const std::vector<FlvTag>& tags, int type) {
  std::vector<int64_t> out;
  int64_t offset = 0;
  int64_t last = -1;
  for (const auto& t : tags) {
    if (t.type != type || !t.isMediaFrame()) continue;
    int64_t ts = int64_t(t.timestamp);
    if (last >= 0 && ts + offset < last - (int64_t(1) << 30)) offset = last - ts;
    last = ts + offset;
    out.push_back(last);
  }
  return out;
}

}  // namespace

bool FlvTag::isMediaFrame() const {
  if (isVideo()) return videoCodec != 7 || avcPacketType == 1;
  if (isAudio()) return soundFormat != 10 || aacPacketType == 1;
  return false;
}

bool FlvTagParser::feed(const char* data, size_t n, int64_t atMs, std::vector<FlvTag>* out) {
  if (!error_.empty()) return false;
  buf_.append(data, n);
  size_t pos = 0;
  if (!headerDone_) {
    if (buf_.size() < kFileHeader) return true;
    if (buf_.compare(0, 3, "FLV") != 0) {
      error_ = "not an FLV stream (first bytes: " + buf_.substr(0, 16) + ")";
      return false;
    }
    headerDone_ = true;
    pos = kFileHeader;
  }
  const auto* b = reinterpret_cast<const unsigned char*>(buf_.data());
  while (buf_.size() - pos >= kTagHeader) {
    const uint32_t size = be24(b + pos + 1);
    if (size > kMaxTagSize) {
      error_ = "FLV tag of " + std::to_string(size) + " bytes: stream out of sync";
      return false;
    }
    if (buf_.size() - pos < kTagHeader + size + 4) break;
    out->push_back(parseTag(b + pos, b + pos + kTagHeader, size, atMs));
    pos += kTagHeader + size + 4;
  }
  buf_.erase(0, pos);
  return true;
}

std::vector<FlvTag> readFlvFile(const std::string& path, std::string* error) {
  std::ifstream f(path, std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  FlvTagParser p;
  std::vector<FlvTag> tags;
  if (!p.feed(all.data(), all.size(), 0, &tags) && error) *error = p.error();
  if (!p.headerSeen() && error && error->empty()) *error = "no FLV header in " + path;
  return tags;
}

std::string Interleave::describe() const {
  char s[128];
  std::snprintf(s, sizeof s, "A-V median %.0f ms, max |A-V| %.0f ms over %zu tags", medianMs, maxAbsMs, samples);
  return s;
}

Interleave measureInterleave(const std::vector<FlvTag>& tags) {
  int64_t lastA = -1, lastV = -1;
  std::vector<double> diffs;
  Interleave r;
  for (const auto& t : tags) {
    if (!t.isMediaFrame()) continue;
    if (t.isAudio()) lastA = t.timestamp;
    if (t.isVideo()) lastV = t.timestamp;
    if (lastA < 0 || lastV < 0) continue;
    double d = double(lastA - lastV);
    diffs.push_back(d);
    r.maxAbsMs = std::max(r.maxAbsMs, std::fabs(d));
  }
  r.samples = diffs.size();
  r.medianMs = median(diffs);
  return r;
}

int64_t firstKeyframeArrival(const std::vector<FlvTag>& tags) {
  for (const auto& t : tags)
    if (t.isKeyframe()) return t.arrivalMs;
  return -1;
}

int64_t firstMediaArrival(const std::vector<FlvTag>& tags, int type) {
  for (const auto& t : tags)
    if (t.type == type && t.isMediaFrame()) return t.arrivalMs;
  return -1;
}

int64_t mediaSpanMs(const std::vector<FlvTag>& tags, int type) {
  auto ts = unwrapped(tags, type);
  return ts.size() < 2 ? 0 : ts.back() - ts.front();
}

bool timestampsGoBack(const std::vector<FlvTag>& tags, int type) {
  uint32_t last = 0;
  bool any = false;
  for (const auto& t : tags) {
    if (t.type != type || !t.isMediaFrame()) continue;
    if (any && t.timestamp < last) return true;
    last = t.timestamp;
    any = true;
  }
  return false;
}

}  // namespace openlive::test
