#include "mux/h264_config.h"

#include "demux/avcc_nal.h"
#include "demux/flv_demuxer.h"

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <memory>

namespace openlive::detail {

std::optional<AvcConfigInfo> readAvcConfig(const uint8_t* record, size_t size) {
  auto parsed = demux::parseAvcConfig(record, size);  // checks the version, the SPS and PPS lengths, 3-byte lengths
  if (!parsed || parsed->avcc.size() < 7) return std::nullopt;
  AvcConfigInfo info;
  info.nalLengthSize = parsed->nalLengthSize;
  info.record = parsed->avcc;
  info.record[4] = uint8_t(info.record[4] | 0x03);  // lengthSizeMinusOne = 3
  return info;
}

std::optional<std::vector<uint8_t>> toFourByteLengths(const uint8_t* data, size_t size, int nalLengthSize) {
  std::vector<uint8_t> out;
  out.reserve(size + 16);
  size_t walked = 0;
  demux::forEachAvccNal(data, size, nalLengthSize, [&](const uint8_t* nal, size_t len) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(uint8_t(len >> shift));
    out.insert(out.end(), nal, nal + len);
    walked += size_t(nalLengthSize) + len;
    return true;
  });
  if (walked != size || out.empty()) return std::nullopt;
  return out;
}

namespace {
struct ParserFree {
  void operator()(AVCodecParserContext* p) const { av_parser_close(p); }
};
struct ContextFree {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};

// Annex B: each SPS and PPS of the record, then the access unit's NAL units.
std::vector<uint8_t> annexBOf(const std::vector<uint8_t>& record, const uint8_t* au, size_t size) {
  static constexpr uint8_t kStart[4] = {0, 0, 0, 1};
  std::vector<uint8_t> b;
  auto put = [&](const uint8_t* nal, size_t len) {
    b.insert(b.end(), kStart, kStart + 4);
    b.insert(b.end(), nal, nal + len);
  };
  size_t off = 5;
  for (int list = 0; list < 2 && off < record.size(); ++list) {  // SPS list, then PPS list
    const int count = list == 0 ? (record[off++] & 0x1f) : record[off++];
    for (int i = 0; i < count && off + 2 <= record.size(); ++i) {
      const size_t len = (size_t(record[off]) << 8) | record[off + 1];
      off += 2;
      if (off + len > record.size()) return b;
      put(record.data() + off, len);
      off += len;
    }
  }
  demux::forEachAvccNal(au, size, 4, [&](const uint8_t* nal, size_t len) {
    put(nal, len);
    return true;
  });
  return b;
}
}  // namespace

bool probeAvcPictureSize(const std::vector<uint8_t>& record, const uint8_t* au, size_t size, int* width, int* height) {
  std::unique_ptr<AVCodecParserContext, ParserFree> parser(av_parser_init(AV_CODEC_ID_H264));
  std::unique_ptr<AVCodecContext, ContextFree> ctx(avcodec_alloc_context3(nullptr));
  if (!parser || !ctx) return false;
  parser->flags |= PARSER_FLAG_COMPLETE_FRAMES;
  std::vector<uint8_t> annexB = annexBOf(record, au, size);
  annexB.resize(annexB.size() + AV_INPUT_BUFFER_PADDING_SIZE, 0);
  const int len = int(annexB.size() - AV_INPUT_BUFFER_PADDING_SIZE);
  uint8_t* out = nullptr;
  int outSize = 0;
  av_parser_parse2(parser.get(), ctx.get(), &out, &outSize, annexB.data(), len, AV_NOPTS_VALUE, AV_NOPTS_VALUE, 0);
  if (parser->width <= 0 || parser->height <= 0) return false;
  *width = parser->width;
  *height = parser->height;
  return true;
}

bool isNonReferenceAvcc(const uint8_t* au, size_t size) {
  bool nonRef = false;
  demux::forEachAvccNal(au, size, 4, [&](const uint8_t* nal, size_t) {
    const int type = demux::nalType(nal[0]);
    if (type != 1 && type != demux::kNalIdrSlice) return true;  // not a slice: look further
    nonRef = (nal[0] & 0x60) == 0;
    return false;
  });
  return nonRef;
}

}  // namespace openlive::detail
