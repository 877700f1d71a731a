// FLV tags as they arrive on the wire (file order = send order), and what the interop checks compute from them:
// keyframe arrival times, the audio/video timestamp interleave, timestamp wraps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace openlive::test {

struct FlvTag {
  int type = 0;            // 8 audio, 9 video, 18 script
  uint32_t timestamp = 0;  // 24 bits + extension byte (ms; DTS for video)
  uint32_t size = 0;       // payload bytes
  int64_t arrivalMs = 0;   // wall clock when the whole tag had arrived
  // video
  int frameType = 0;       // 1 key, 2 inter
  int videoCodec = 0;      // 7 AVC
  int avcPacketType = -1;  // 0 sequence header, 1 NALU, 2 end of sequence
  int32_t compositionMs = 0;
  // audio
  int soundFormat = -1;    // 10 AAC, 2 MP3, 6 Nellymoser, 11 Speex, ...
  int aacPacketType = -1;  // 0 sequence header, 1 raw

  bool isVideo() const { return type == 9; }
  bool isAudio() const { return type == 8; }
  // A coded picture or audio frame (not a sequence header / end-of-sequence marker).
  bool isMediaFrame() const;
  bool isKeyframe() const { return isVideo() && frameType == 1 && isMediaFrame(); }
};

// Incremental parser: feed bytes as they come, get whole tags out.
class FlvTagParser {
 public:
  // Appends complete tags to *out, each stamped `atMs`. False once the stream is not FLV (then it stops).
  bool feed(const char* data, size_t n, int64_t atMs, std::vector<FlvTag>* out);
  bool headerSeen() const { return headerDone_; }
  std::string error() const { return error_; }

 private:
  std::string buf_;
  bool headerDone_ = false;
  std::string error_;
};

// Parses a whole FLV file.
std::vector<FlvTag> readFlvFile(const std::string& path, std::string* error);

// Audio/video interleave in send order: after both tracks have sent a media frame, for each media tag,
// (newest audio timestamp sent) - (newest video timestamp sent). Positive: audio ahead of video.
struct Interleave {
  size_t samples = 0;
  double medianMs = 0;
  double maxAbsMs = 0;
  std::string describe() const;
};
Interleave measureInterleave(const std::vector<FlvTag>& tags);

// First video keyframe's arrival (wall ms), or -1.
int64_t firstKeyframeArrival(const std::vector<FlvTag>& tags);
// First media frame's arrival of a kind (8 / 9), or -1.
int64_t firstMediaArrival(const std::vector<FlvTag>& tags, int type);
// Media time covered by the tags of a kind (last - first timestamp, continuous across wraps), ms.
int64_t mediaSpanMs(const std::vector<FlvTag>& tags, int type);
// Whether a kind's timestamps go backwards anywhere (a wrap, or a restart).
bool timestampsGoBack(const std::vector<FlvTag>& tags, int type);

}  // namespace openlive::test
