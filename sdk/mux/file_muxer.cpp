#include "mux/file_muxer.h"

#include "common/av_util.h"
#include "common/output_path.h"

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
}

#include <algorithm>
#include <climits>

namespace openlive::detail {

std::string_view recordFormatFor(std::string_view path) {
  const std::string ext = lowerExtension(path);
  if (ext == "mp4" || ext == "m4v" || ext == "mov") return "mp4";
  if (ext == "flv") return "flv";
  return {};
}

bool probeH264Size(const std::vector<uint8_t>& avcc, const std::vector<uint8_t>& idrAvcc, int* width, int* height) {
  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_H264);
  AVCodecParserContext* parser = av_parser_init(AV_CODEC_ID_H264);
  AVCodecContext* ctx = codec ? avcodec_alloc_context3(codec) : nullptr;
  bool ok = false;
  if (parser && ctx && setExtradata(ctx, avcc)) {
    parser->flags |= PARSER_FLAG_COMPLETE_FRAMES;
    // The parser reads the avcC from the context (length-prefixed input) and the size from the slice header.
    std::vector<uint8_t> buf(idrAvcc);
    buf.resize(idrAvcc.size() + AV_INPUT_BUFFER_PADDING_SIZE, 0);
    uint8_t* out = nullptr;
    int outSize = 0;
    av_parser_parse2(parser, ctx, &out, &outSize, buf.data(), static_cast<int>(idrAvcc.size()), AV_NOPTS_VALUE,
                     AV_NOPTS_VALUE, 0);
    if (parser->width > 0 && parser->height > 0) {
      *width = parser->width;
      *height = parser->height;
      ok = true;
    }
  }
  if (parser) av_parser_close(parser);
  avcodec_free_context(&ctx);
  return ok;
}

struct FileMuxer::Impl {
  AVFormatContext* fmt = nullptr;
  int videoIndex = -1, audioIndex = -1;
  int64_t baseMs = INT64_MIN;
  int64_t lastDts[2] = {INT64_MIN, INT64_MIN};  // audio, video (ms, relative)
  int64_t minTs = INT64_MAX, maxTs = INT64_MIN;
  uint64_t dropped = 0;
  AVPacket* pkt = nullptr;

  void release() {
    if (fmt) {
      if (fmt->pb) avio_closep(&fmt->pb);
      avformat_free_context(fmt);
      fmt = nullptr;
    }
    av_packet_free(&pkt);
    videoIndex = audioIndex = -1;
  }
};

FileMuxer::FileMuxer() : impl_(std::make_unique<Impl>()) {}
FileMuxer::~FileMuxer() {
  std::string ignored;
  if (isOpen()) close(&ignored);
}

bool FileMuxer::isOpen() const { return impl_->fmt != nullptr; }

bool FileMuxer::open(const std::string& path, const RecVideoConfig* video, const RecAudioConfig* audio,
                     const RecPacket* firstVideo, std::string* err) {
  Impl& m = *impl_;
  if (m.fmt) m.release();
  auto fail = [&](std::string why) {
    *err = std::move(why);
    m.release();
    return false;
  };
  const std::string_view format = recordFormatFor(path);
  if (format.empty()) return fail("unsupported file type (use .mp4 or .flv): " + path);
  if (!video && !audio) return fail("nothing to record");
  int r = avformat_alloc_output_context2(&m.fmt, nullptr, std::string(format).c_str(), path.c_str());
  if (r < 0 || !m.fmt) return fail("cannot set up the " + std::string(format) + " muxer: " + averr(r));
  m.pkt = av_packet_alloc();
  if (!m.pkt) return fail("out of memory");
  auto addStream = [&](AVMediaType type, AVCodecID codec, const std::vector<uint8_t>& extradata) -> AVStream* {
    AVStream* st = avformat_new_stream(m.fmt, nullptr);
    if (!st) return nullptr;
    st->time_base = AVRational{1, 1000};
    st->codecpar->codec_type = type;
    st->codecpar->codec_id = codec;
    return setExtradata(st->codecpar, extradata) ? st : nullptr;
  };
  if (video) {
    int w = video->width, h = video->height;
    if ((w <= 0 || h <= 0) && !(firstVideo && probeH264Size(video->avcc, firstVideo->data, &w, &h)))
      return fail("cannot read the picture size from the H.264 stream");
    AVStream* st = addStream(AVMEDIA_TYPE_VIDEO, AV_CODEC_ID_H264, video->avcc);
    if (!st) return fail("out of memory");
    st->codecpar->width = w;
    st->codecpar->height = h;
    m.videoIndex = st->index;
  }
  if (audio) {
    AVStream* st = addStream(AVMEDIA_TYPE_AUDIO, AV_CODEC_ID_AAC, audio->asc);
    if (!st) return fail("out of memory");
    st->codecpar->sample_rate = audio->sampleRate;
    av_channel_layout_default(&st->codecpar->ch_layout, std::max(1, audio->channels));
    st->codecpar->frame_size = 1024;
    m.audioIndex = st->index;
  }
  r = avio_open(&m.fmt->pb, path.c_str(), AVIO_FLAG_WRITE);
  if (r < 0) return fail("cannot create " + path + ": " + averr(r));
  AVDictionary* opts = nullptr;
  // Fragmented MP4: playable up to the last complete fragment even if the process never writes the trailer.
  if (format == "mp4") av_dict_set(&opts, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0);
  r = avformat_write_header(m.fmt, &opts);
  av_dict_free(&opts);
  if (r < 0) {
    avio_closep(&m.fmt->pb);
    return fail("cannot write the " + std::string(format) + " header: " + averr(r));
  }
  m.baseMs = INT64_MIN;
  m.lastDts[0] = m.lastDts[1] = INT64_MIN;
  m.minTs = INT64_MAX;
  m.maxTs = INT64_MIN;
  m.dropped = 0;
  return true;
}

bool FileMuxer::write(const RecPacket& p, std::string* err) {
  Impl& m = *impl_;
  if (!m.fmt) {
    *err = "not open";
    return false;
  }
  const int index = p.video ? m.videoIndex : m.audioIndex;
  if (index < 0) return true;  // a track this file does not have
  if (m.baseMs == INT64_MIN) m.baseMs = p.dtsMs;
  const int track = p.video ? 1 : 0;
  const int64_t dts = p.dtsMs - m.baseMs;
  const int64_t pts = std::max(dts, p.ptsMs - m.baseMs);
  if (dts < 0 || (m.lastDts[track] != INT64_MIN && dts <= m.lastDts[track])) {
    ++m.dropped;  // before the file's start, or not after the previous one: the muxer would refuse it
    return true;
  }
  m.lastDts[track] = dts;
  av_packet_unref(m.pkt);
  if (av_new_packet(m.pkt, static_cast<int>(p.data.size())) < 0) {
    *err = "out of memory";
    return false;
  }
  std::copy(p.data.begin(), p.data.end(), m.pkt->data);
  m.pkt->stream_index = index;
  m.pkt->dts = dts;
  m.pkt->pts = pts;
  m.pkt->time_base = AVRational{1, 1000};
  AVStream* st = m.fmt->streams[index];
  av_packet_rescale_ts(m.pkt, AVRational{1, 1000}, st->time_base);
  if (p.keyframe || !p.video) m.pkt->flags |= AV_PKT_FLAG_KEY;
  m.minTs = std::min(m.minTs, dts);
  m.maxTs = std::max(m.maxTs, pts);
  const int r = av_interleaved_write_frame(m.fmt, m.pkt);
  if (r < 0) {
    *err = "write failed: " + averr(r);
    return false;
  }
  return true;
}

bool FileMuxer::close(std::string* err) {
  Impl& m = *impl_;
  if (!m.fmt) return true;
  int r = av_write_trailer(m.fmt);
  int c = avio_closep(&m.fmt->pb);
  bool ok = r >= 0 && c >= 0;
  if (!ok) *err = "cannot finish the file: " + averr(r < 0 ? r : c);
  m.release();
  return ok;
}

int64_t FileMuxer::durationMs() const {
  return impl_->maxTs == INT64_MIN ? 0 : impl_->maxTs - std::min<int64_t>(0, impl_->minTs);
}

uint64_t FileMuxer::bytesWritten() const {
  return impl_->fmt && impl_->fmt->pb ? static_cast<uint64_t>(std::max<int64_t>(0, avio_tell(impl_->fmt->pb))) : 0;
}

uint64_t FileMuxer::droppedNonMonotonic() const { return impl_->dropped; }

}  // namespace openlive::detail
