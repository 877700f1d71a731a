// PlaySession's render thread: clock, cache policy, decode when due, sinks, frame callbacks, net status.
#include "common/logging.h"
#include "decode/audio_decoder.h"
#include "decode/video_decoder.h"
#include "player/play_session.h"
#include "render/audio_tempo.h"
#include "render/clock.h"
#include "transport/http_flv_reader.h"
#include "transport/rtmp_connection.h"

extern "C" {
#include <libavutil/frame.h>
}

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <deque>

namespace openlive::player {

namespace {
using Kind = demux::MediaPacket::Kind;
using SteadyClock = std::chrono::steady_clock;

int64_t wallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
double cpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}
std::string fmt(double v, int prec = 0) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", prec, v);
  return b;
}

// Everything the render loop keeps between iterations (render thread only).
struct RenderState {
  decode::VideoDecoder vdec;
  decode::AudioDecoder adec;
  render::AudioTempo tempo;
  render::PlaybackClock clock;
  std::deque<decode::FramePtr> pending;  // decoded, waiting for their pts (bounded: 32, drop-oldest)
  std::map<int64_t, int64_t> captureByPts;  // pts -> capture wall ms (bounded: 64)
  bool firstShown = false;     // this epoch
  bool everDecodedKey = false; // this session (2003 once)
  bool everAudio = false;      // 2026 once
  bool decoderStarted = false; // 2008 once
  bool stalled = false;
  bool ended = false;
  bool reported2105 = false;
  bool everRunning = false;    // the clock has run in this epoch
  int width = 0, height = 0;
  int audioRate = 0, audioChannels = 0;
  int64_t lastVideoPts = 0, lastAudioPts = 0;
  SteadyClock::time_point lastShow{}, stallStart{};
  // stats
  uint64_t shownInWindow = 0, drops = 0, stallMs = 0, audioSkipped = 0;
  int stallCount = 0;
  std::optional<int64_t> latencyMs;
};

void resetEpoch(RenderState& s) {
  s.pending.clear();
  s.captureByPts.clear();
  s.clock.invalidate();
  s.firstShown = false;
  s.everRunning = false;
  s.vdec.flush();
}
}  // namespace

void PlaySession::renderMain() {
  const bool rtc = type_ == PlayType::Rtc;
  jitter::CacheController cache(cacheSettingsFor(config_, rtc));
  RenderState s;

  // Sinks live on this thread (SDL's window must be used by the thread that made it).
  render::ViewOptions view;
  uint32_t viewVersion = controls_->viewVersion;
  {
    std::lock_guard lk(controls_->mu);
    view = controls_->view;
  }
  std::unique_ptr<render::VideoSink> vsink;
  std::unique_ptr<render::AudioSink> asink;
  std::string why;
  switch (config_.video.kind) {
    case VideoOutput::Kind::Window:
      vsink = render::createSdlWindow(config_.windowTitle, view, &why);
      if (!vsink) OL_LOGW("play", "no window (%s); video is decoded but not shown", why.c_str());
      break;
    case VideoOutput::Kind::Y4m: {
      auto y = std::make_unique<render::Y4mSink>(config_.video.path, 0);
      if (!y->ok()) OL_LOGE("play", "cannot open %s for writing", config_.video.path.c_str());
      vsink = std::move(y);
      break;
    }
    default: break;
  }
  if (!vsink) vsink = std::make_unique<render::NullVideoSink>();
  switch (config_.audio.kind) {
    case AudioOutput::Kind::Device:
      asink = render::createSdlAudio(&why);
      if (!asink) OL_LOGW("play", "no audio device (%s); audio is decoded but not played", why.c_str());
      break;
    case AudioOutput::Kind::Wav: {
      auto w = std::make_unique<render::WavSink>(config_.audio.path);
      if (!w->ok()) OL_LOGE("play", "cannot open %s for writing", config_.audio.path.c_str());
      asink = std::move(w);
      break;
    }
    default: break;
  }
  if (!asink) asink = std::make_unique<render::NullAudioSink>();

  uint32_t epoch = 0;
  auto statusAt = SteadyClock::now() + std::chrono::seconds(1);
  auto statusWindowStart = SteadyClock::now();
  uint64_t lastV = 0, lastA = 0, lastNet = 0;
  double lastCpu = cpuSeconds();
  detail::RateLimiter decodeWarn(std::chrono::seconds(2));
  auto lastLag = SteadyClock::now() - std::chrono::seconds(10);

  decode::FramePtr lastShown;  // what is on screen (snapshots while paused)
  auto showFrame = [&](const decode::FramePtr& f) {
    if (f->width != s.width || f->height != s.height) {
      if (s.width != 0)
        emit(EventCode::PLAY_EVT_CHANGE_RESOLUTION, {{std::string(evt::kParam1), std::to_string(f->width)},
                                                     {std::string(evt::kParam2), std::to_string(f->height)},
                                                     {std::string(evt::kVideoWidth), std::to_string(f->width)},
                                                     {std::string(evt::kVideoHeight), std::to_string(f->height)}});
      s.width = f->width;
      s.height = f->height;
    }
    vsink->show(f.get());
    lastShown = f;
    snapshotFrame(f.get());
    auto now = SteadyClock::now();
    s.reported2105 = false;
    s.lastShow = now;
    s.lastVideoPts = f->pts;
    ++s.shownInWindow;
    if (auto it = s.captureByPts.find(f->pts); it != s.captureByPts.end()) {
      s.latencyMs = wallMs() - it->second;
      s.captureByPts.erase(s.captureByPts.begin(), std::next(it));
    }
    std::function<void(const VideoFrame&)> cb;
    {
      std::lock_guard lk(callbacks_->mu);
      cb = callbacks_->onVideo;
    }
    if (cb) {
      // Copy: the app sees the picture on the callback thread, after this frame may be gone.
      auto copy = decode::allocFrame();
      av_frame_ref(copy.get(), f.get());
      detail::postCallback(dispatcher_, callbacks_, &CallbackSet::onVideo, [copy](auto& fn) {
        VideoFrame vf;
        vf.width = copy->width;
        vf.height = copy->height;
        for (int i = 0; i < 3; ++i) {
          vf.planes[i] = copy->data[i];
          vf.strides[i] = copy->linesize[i];
        }
        vf.ptsMs = copy->pts;
        fn(vf);
      });
    }
  };

  auto decodeVideo = [&](const demux::MediaPacket& p) {
    if (p.captureTimeMs) {
      s.captureByPts[p.ptsMs] = *p.captureTimeMs;
      while (s.captureByPts.size() > 64) s.captureByPts.erase(s.captureByPts.begin());
    }
    auto r = s.vdec.decode(p);
    if (r.opened && !s.decoderStarted) {
      s.decoderStarted = true;
      emit(EventCode::PLAY_EVT_START_VIDEO_DECODER);
    }
    if (r.failed || r.openFailed) {
      int folded = 0;
      if (decodeWarn.allow(&folded)) {
        OL_LOGW("play", "video decode failed: %s (%d folded)", r.error.c_str(), folded);
        emit(EventCode::PLAY_WARNING_VIDEO_DECODE_FAIL, {{std::string(evt::kDescription), r.error}});
      }
    }
    for (auto& f : r.frames) {
      if (!s.everDecodedKey) {
        s.everDecodedKey = true;
        emit(EventCode::PLAY_EVT_RCV_FIRST_I_FRAME);
      }
      auto pos = std::upper_bound(s.pending.begin(), s.pending.end(), f->pts,
                                  [](int64_t v, const decode::FramePtr& x) { return v < x->pts; });
      s.pending.insert(pos, std::move(f));
      while (s.pending.size() > 32) {
        s.pending.pop_front();
        ++s.drops;
      }
    }
  };

  auto playAudio = [&](demux::MediaPacket&& p, double speed, int64_t now) {
    auto r = s.adec.decode(p);
    if (r.failed) {
      int folded = 0;
      if (decodeWarn.allow(&folded)) {
        OL_LOGW("play", "audio decode failed: %s (%d folded)", r.error.c_str(), folded);
        emit(EventCode::PLAY_WARNING_AUDIO_DECODE_FAIL, {{std::string(evt::kDescription), r.error}});
      }
    }
    for (auto& b : r.blocks) {
      if (b.ptsMs + b.durationMs() < now - 200) continue;  // far too late (after a stall): skip
      s.lastAudioPts = b.ptsMs;
      s.audioRate = b.sampleRate;
      s.audioChannels = b.channels;
      for (auto& out : s.tempo.process(std::move(b), speed)) {
        int vol = controls_->mute ? 0 : controls_->volume.load();
        if (vol != 100)
          for (auto& x : out.samples) x = static_cast<int16_t>(int(x) * vol / 100);
        asink->play(out);
        if (!s.everAudio) {
          s.everAudio = true;
          emit(EventCode::PLAY_EVT_RCV_FIRST_AUDIO_FRAME);
        }
        std::function<void(const AudioFrame&)> cb;
        {
          std::lock_guard lk(callbacks_->mu);
          cb = callbacks_->onAudio;
        }
        if (cb) {
          auto copy = std::make_shared<decode::PcmBlock>(out);
          detail::postCallback(dispatcher_, callbacks_, &CallbackSet::onAudio, [copy](auto& fn) {
            AudioFrame af;
            af.samples = copy->samples.data();
            af.frames = copy->frames();
            af.channels = copy->channels;
            af.sampleRate = copy->sampleRate;
            af.ptsMs = copy->ptsMs;
            fn(af);
          });
        }
      }
    }
  };

  while (!stop_) {
    auto wallNow = SteadyClock::now();
    checkNoData();
    // ---- window input and view changes
    if (controls_->viewVersion != viewVersion) {
      viewVersion = controls_->viewVersion;
      std::lock_guard lk(controls_->mu);
      view = controls_->view;
      vsink->setView(view);
      vsink->refresh();
    }
    auto in = vsink->pollInput();
    if (in.quit) {
      emit(EventCode::PLAY_EVT_PLAY_END, {{std::string(evt::kMsg), "window closed by the user"}});
      finish();
      stop_ = true;  // the I/O thread ends too; stopPlay() still joins both
      {
        std::lock_guard lk(connMu_);
        if (rtmp_) rtmp_->cancel();
        if (http_) http_->cancel();
      }
      waitCv_.notify_all();
      break;
    }
    if (in.toggleMute) controls_->mute = !controls_->mute;
    if (in.togglePause) {
      if (controls_->paused) resume();
      else pause();
    }

    // ---- new connection: restart at an IDR
    if (epoch_ != epoch) {
      epoch = epoch_;
      resetEpoch(s);
      cache.restart();
      s.stalled = false;
    }
    if (controls_->paused) {
      if (lastShown) snapshotFrame(lastShown.get());  // paused: the picture kept on screen
      s.clock.setRunning(false);
      buffer_.waitForData(std::chrono::milliseconds(10));
      continue;
    }

    // ---- first picture: decode and show the first IDR at once (2003, 2004); the clock waits at its pts
    if (!s.firstShown && !s.ended) {
      if (rtc || !s.clock.valid()) buffer_.dropToFirstKeyframe();
      // Audio-only: no video after 0.5 s of audio (3 s when the metadata or FLV header announced video, as a
      // server may hold video back until the next keyframe).
      const int64_t audioSpan =
          buffer_.newestTs(Kind::Audio).value_or(0) - buffer_.oldestTs(Kind::Audio).value_or(0);
      bool audioOnly = !buffer_.hasVideo() && buffer_.count(Kind::Audio) > 0 &&
                       (audioSpan > (expectVideo_ ? 3000 : 500) || buffer_.endOfStream());
      if (auto p = buffer_.pop(Kind::Video)) {
        decodeVideo(*p);
        if (!s.pending.empty()) {
          auto f = s.pending.front();
          s.pending.pop_front();
          showFrame(f);
          s.firstShown = true;
          s.clock.set(f->pts);
          emit(EventCode::PLAY_EVT_PLAY_BEGIN);
        }
      } else if (audioOnly) {
        s.firstShown = true;
        s.clock.set(*buffer_.oldestTs(Kind::Audio));
        emit(EventCode::PLAY_EVT_PLAY_BEGIN);
      }
      if (!s.firstShown) {
        if (buffer_.endOfStream() && buffer_.count(Kind::Video) == 0 && buffer_.count(Kind::Audio) == 0) {
          s.ended = true;
          emit(EventCode::PLAY_EVT_PLAY_END);
          finish();
        }
        buffer_.waitForData(std::chrono::milliseconds(5));
        continue;
      }
    }

    // ---- cache policy
    const bool eos = buffer_.endOfStream();
    // Live: audio is the master clock. RTC: video leads (it arrives ahead of the encoder-delayed audio), so the
    // picture is not held back to wait for its audio; audio plays as it comes.
    const Kind master = (rtc && buffer_.hasVideo()) || !buffer_.hasAudio() ? Kind::Video : Kind::Audio;
    int64_t now = s.clock.now();
    auto newest = buffer_.newestTs(master);
    int64_t buffered = newest ? *newest - now : 0;
    bool dry = buffer_.count(master) == 0 && (!newest || now > *newest + 40);
    auto step = cache.update(buffered, dry, eos, buffer_.jitterMs());
    if (step.stallBegan && !s.ended) {
      s.stalled = true;
      s.stallStart = wallNow;
      ++s.stallCount;
      s.clock.setRunning(false);
      emit(EventCode::PLAY_EVT_PLAY_LOADING);
    }
    if (step.resumed) {
      s.clock.setRunning(true);
      if (!s.everRunning) s.lastShow = wallNow;  // the render-gap watch starts when the clock first runs
      s.everRunning = true;
      if (s.stalled) {
        s.stallMs += uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(wallNow - s.stallStart).count());
        s.stalled = false;
        emit(EventCode::PLAY_EVT_PLAY_BEGIN);
      }
    }
    if (step.jump) {
      if (auto key = buffer_.dropToNewestKeyframe(step.jumpKeepMs)) {
        if (step.jumpKeepMs)
          OL_LOGI("play", "buffer %lld ms, too far over max cache to catch up within %lld ms: jumping to the "
                  "newest IDR keeping %lld ms", static_cast<long long>(buffered),
                  static_cast<long long>(jitter::CacheController::kMaxCatchUpMs),
                  static_cast<long long>(step.jumpKeepMs));
        else
          OL_LOGI("play", "buffer %lld ms beyond 2x max cache: jumping to the newest IDR",
                  static_cast<long long>(buffered));
        s.pending.clear();
        s.clock.set(*key);
        asink->flush();
      }
    }
    // RTC: a burst after a stall is not played through. Skip the clock to the live edge (the video in between is
    // still decoded, so no IDR is needed, but not shown; late audio is dropped).
    if (rtc && !step.jump && s.clock.running() && newest && buffered > step.targetMs + kRtcSkipAboveTargetMs) {
      int64_t to = *newest - step.targetMs;
      OL_LOGD("play", "RTC: %lld ms buffered, target %lld: skipping to the live edge", static_cast<long long>(buffered),
              static_cast<long long>(step.targetMs));
      s.clock.set(to);
      while (buffer_.popIfDue(Kind::Audio, to - 20)) ++s.audioSkipped;
      asink->flush();
    }
    s.clock.setSpeed(step.speed);
    // Render gap (2105): no new picture for the block threshold once playback has run (stalls included).
    if (s.everRunning && !s.reported2105 && !s.ended && buffer_.hasVideo() &&
        wallNow - s.lastShow > std::chrono::milliseconds(config_.videoBlockThresholdMs)) {
      s.reported2105 = true;
      emit(EventCode::PLAY_WARNING_VIDEO_PLAY_LAG,
           {{std::string(evt::kParam1),
             std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(wallNow - s.lastShow).count())}});
    }
    if (!s.clock.running()) {
      // Stalled (or not started) when the stream ends with nothing left to play: end now, do not wait forever.
      if (eos && !s.ended && buffer_.count(Kind::Video) == 0 && buffer_.count(Kind::Audio) == 0) {
        s.ended = true;
        s.pending.clear();
        emit(EventCode::PLAY_EVT_PLAY_END);
        finish();
      }
      buffer_.waitForData(std::chrono::milliseconds(5));
      goto status;
    }
    now = s.clock.now();
    // Audio master: follow the device's position when it drifts.
    if (auto pos = asink->playedMediaMs(s.clock.speed()); pos && !rtc && s.everAudio && std::llabs(*pos - now) > 40 &&
                                                            buffer_.count(Kind::Audio) > 0) {
      s.clock.set(*pos);
      now = *pos;
    }

    // ---- video: decode what is due (a little early), show what has reached its time
    while (auto p = buffer_.popIfDue(Kind::Video, now + 50)) decodeVideo(*p);
    while (!s.pending.empty() && s.pending.front()->pts <= now) {
      auto f = s.pending.front();
      s.pending.pop_front();
      bool anotherDue = !s.pending.empty() && s.pending.front()->pts <= now;
      if ((rtc && anotherDue) || now - f->pts > 500) {
        ++s.drops;  // late: RTC drops every late picture, live only the very late ones
        continue;
      }
      showFrame(f);
    }
    // ---- audio: hand over what is due (device sinks get their lead)
    while (auto p = buffer_.popIfDue(Kind::Audio, now + asink->leadMs())) playAudio(std::move(*p), s.clock.speed(), now);

    // ---- end of stream
    if (eos && !s.ended && buffer_.count(Kind::Video) == 0 && buffer_.count(Kind::Audio) == 0 && s.pending.empty()) {
      s.ended = true;
      emit(EventCode::PLAY_EVT_PLAY_END);
      finish();
    }
    // Irregular arrival (2104): packets arriving 500 ms (RTC: 200 ms) later than the steadiest ones; at most every 5 s.
    if ((wallNow - lastLag) > std::chrono::seconds(5) && buffer_.jitterMs() > (rtc ? 200 : 500)) {
      lastLag = wallNow;
      emit(EventCode::PLAY_WARNING_RECV_DATA_LAG,
           {{std::string(evt::kParam1), std::to_string(buffer_.jitterMs())}});
    }
    {
      // Sleep until the next picture is due (at most 5 ms), or until data arrives.
      int64_t sleepMs = 5;
      if (!s.pending.empty()) sleepMs = std::clamp<int64_t>(s.pending.front()->pts - now, 1, 5);
      buffer_.waitForData(std::chrono::milliseconds(sleepMs));
    }

  status:
    if (SteadyClock::now() >= statusAt) {
      auto t = SteadyClock::now();
      double secs = std::chrono::duration<double>(t - statusWindowStart).count();
      statusWindowStart = t;
      statusAt = t + std::chrono::seconds(1);
      uint64_t v = videoBytes_, a = audioBytes_, netBytes = v + a;
      double cpu = cpuSeconds();
      ParamMap m;
      int64_t clk = s.clock.now();
      m[std::string(net::kVideoWidth)] = std::to_string(s.width);
      m[std::string(net::kVideoHeight)] = std::to_string(s.height);
      m[std::string(net::kVideoFps)] = fmt(double(s.shownInWindow) / secs, 1);
      m[std::string(net::kVideoBitrate)] = fmt(double(v - lastV) * 8 / 1000 / secs);
      m[std::string(net::kAudioBitrate)] = fmt(double(a - lastA) * 8 / 1000 / secs);
      m[std::string(net::kNetSpeed)] = fmt(double(netBytes - lastNet) * 8 / 1000 / secs);
      auto vn = buffer_.newestTs(Kind::Video), an = buffer_.newestTs(Kind::Audio);
      m[std::string(net::kVideoCache)] = std::to_string(vn && s.clock.valid() ? std::max<int64_t>(0, *vn - clk) : 0);
      m[std::string(net::kAudioCache)] = std::to_string(an && s.clock.valid() ? std::max<int64_t>(0, *an - clk) : 0);
      m[std::string(net::kNetJitter)] = std::to_string(buffer_.jitterMs());
      // Device sinks report what is being heard now; headless sinks get PCM exactly when it is due.
      int64_t heard = asink->playedMediaMs(s.clock.speed()).value_or(s.lastAudioPts);
      m[std::string(net::kAvPlayInterval)] = std::to_string(s.everAudio && s.width ? s.lastVideoPts - heard : 0);
      m[std::string(net::kAudioPlaySpeed)] = fmt(s.clock.speed(), 2);
      m[std::string(net::kAudioCacheThreshold)] = fmt(double(step.targetMs) / 1000.0, 2);
      m[std::string(net::kStallCount)] = std::to_string(s.stallCount);
      m[std::string(net::kStallMs)] = std::to_string(s.stallMs);
      m[std::string(net::kVideoDrop)] = std::to_string(s.drops + buffer_.overflowDrops());
      m[std::string(net::kCpuUsage)] = fmt((cpu - lastCpu) * 100 / secs, 1);
      {
        std::lock_guard lk(serverMu_);
        m[std::string(net::kServerIp)] = serverIp_;
      }
      if (s.latencyMs) m[std::string(net::kLatency)] = std::to_string(*s.latencyMs);
      if (s.audioRate)
        m[std::string(net::kAudioInfo)] = std::to_string(s.audioRate) + "," + std::to_string(s.audioChannels);
      lastV = v;
      lastA = a;
      lastNet = netBytes;
      lastCpu = cpu;
      s.shownInWindow = 0;
      emitNetStatus(std::move(m));
    }
    if (s.ended) break;
  }
}

}  // namespace openlive::player
