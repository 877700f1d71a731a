#include "render/audio_tempo.h"

#include "common/logging.h"

extern "C" {
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/channel_layout.h>
#include <libavutil/frame.h>
#include <libavutil/opt.h>
}

#include <cmath>
#include <cstdio>
#include <cstring>

namespace openlive::render {

AudioTempo::~AudioTempo() { reset(); }

void AudioTempo::reset() {
  if (graph_) avfilter_graph_free(&graph_);
  if (frame_) av_frame_free(&frame_);
  src_ = sink_ = nullptr;
}

bool AudioTempo::build(int rate, int channels, double speed) {
  reset();
  graph_ = avfilter_graph_alloc();
  frame_ = av_frame_alloc();
  char args[256];
  std::snprintf(args, sizeof args, "time_base=1/%d:sample_rate=%d:sample_fmt=s16:channel_layout=%s", rate, rate,
                channels == 1 ? "mono" : "stereo");
  char tempo[64];
  std::snprintf(tempo, sizeof tempo, "tempo=%.4f", speed);
  AVFilterContext* at = nullptr;
  if (avfilter_graph_create_filter(&src_, avfilter_get_by_name("abuffer"), "in", args, nullptr, graph_) < 0 ||
      avfilter_graph_create_filter(&at, avfilter_get_by_name("atempo"), "tempo", tempo, nullptr, graph_) < 0 ||
      avfilter_graph_create_filter(&sink_, avfilter_get_by_name("abuffersink"), "out", nullptr, nullptr, graph_) <
          0 ||
      avfilter_link(src_, 0, at, 0) < 0 || avfilter_link(at, 0, sink_, 0) < 0 || avfilter_graph_config(graph_, nullptr) < 0) {
    OL_LOGW("play", "atempo filter graph could not be built; catch-up audio keeps its pitch unadjusted");
    reset();
    return false;
  }
  rate_ = rate;
  channels_ = channels;
  speed_ = speed;
  return true;
}

std::vector<decode::PcmBlock> AudioTempo::process(decode::PcmBlock in, double speed) {
  std::vector<decode::PcmBlock> out;
  // Until the first change of speed, blocks pass through untouched. From then on the filter stays in the path
  // (at 1.0 too) and speed changes are sent to it as commands: building or removing it again would drop the
  // samples it holds and leave a gap each time.
  if (!graph_ && std::fabs(speed - 1.0) < 1e-3) {
    out.push_back(std::move(in));
    return out;
  }
  if (!graph_ || rate_ != in.sampleRate || channels_ != in.channels) {
    if (!build(in.sampleRate, in.channels, speed)) {
      out.push_back(std::move(in));
      return out;
    }
  } else if (std::fabs(speed_ - speed) > 1e-3) {
    char value[32];
    std::snprintf(value, sizeof value, "%.4f", speed);
    if (avfilter_graph_send_command(graph_, "tempo", "tempo", value, nullptr, 0, 0) < 0) {
      if (!build(in.sampleRate, in.channels, speed)) {
        out.push_back(std::move(in));
        return out;
      }
    }
    speed_ = speed;
  }
  AVFrame* f = av_frame_alloc();
  f->format = AV_SAMPLE_FMT_S16;
  f->sample_rate = in.sampleRate;
  av_channel_layout_default(&f->ch_layout, in.channels);
  f->nb_samples = in.frames();
  f->pts = av_rescale(in.ptsMs, in.sampleRate, 1000);
  if (av_frame_get_buffer(f, 0) == 0) {
    std::memcpy(f->data[0], in.samples.data(), in.samples.size() * sizeof(int16_t));
    if (av_buffersrc_add_frame(src_, f) < 0) OL_LOGD("play", "atempo: frame refused");
  }
  av_frame_free(&f);
  while (av_buffersink_get_frame(sink_, frame_) >= 0) {
    decode::PcmBlock b;
    b.channels = channels_;
    b.sampleRate = rate_;
    b.ptsMs = frame_->pts != AV_NOPTS_VALUE ? av_rescale(frame_->pts, 1000, rate_) : in.ptsMs;
    b.samples.assign(reinterpret_cast<int16_t*>(frame_->data[0]),
                     reinterpret_cast<int16_t*>(frame_->data[0]) + size_t(frame_->nb_samples) * channels_);
    av_frame_unref(frame_);
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace openlive::render
