// PlaySession: lifecycle, state, events, the watchdog's cancel and what the renderer hands to the app.
#include "player/play_session.h"
#include "common/clock_ms.h"

#include "common/logging.h"
#include "player/play_renderer.h"

extern "C" {
#include <libavutil/frame.h>
}

#include <pthread.h>
#include <signal.h>

#include <chrono>

namespace openlive::player {

namespace {
void blockSigpipe() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &s, nullptr);
}
}  // namespace

jitter::CacheSettings cacheSettingsFor(const PlayConfig& c, bool rtc) {
  if (rtc) return jitter::cacheRtc();
  jitter::CacheSettings s;
  s.rtc = false;
  s.autoAdjust = c.autoAdjustCache;
  s.fixedMs = c.cacheTime.count();
  s.minMs = c.minCacheTime.count();
  s.maxMs = std::max(s.minMs, static_cast<int64_t>(c.maxCacheTime.count()));
  if (s.fixedMs <= 0) s.fixedMs = 200;
  if (s.minMs <= 0) s.minMs = 200;
  return s;
}

PlaySession::PlaySession(std::string url, PlayType type, PlayConfig config, std::shared_ptr<CallbackSet> callbacks,
                         std::shared_ptr<LiveControls> controls)
    : url_(std::move(url)),
      type_(type),
      config_(std::move(config)),
      callbacks_(std::move(callbacks)),
      controls_(std::move(controls)),
      windowVersionAtStart_(controls_->windowVersion.load()) {
  buffer_.setJitterFollowsVideo(type_ == PlayType::Rtc);
  controls_->debug.clearReports();  // the overlay starts over with this session
  if (type_ == PlayType::Rtc) {
    buffer_.setJitterWindow(PlayRenderer::kRtcJitterWindowMs);
    buffer_.setJitterShare(0.95);
  }
}

PlaySession::~PlaySession() { stop(); }

void PlaySession::start() {
  state_.transition(PlaySessionState::Idle, PlaySessionState::Connecting);
  render_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "ol-play-render");
    renderMain();
  });
  io_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "ol-play-io");
    blockSigpipe();
    ioMain();
  });
}

void PlaySession::stop() {
  {
    std::lock_guard lk(waitMu_);
    state_.moveTo(PlaySessionState::Stopped);
  }
  waitCv_.notify_all();
  cancelRead(CancelCause::Stop);
  buffer_.wake();
  if (io_.joinable()) io_.join();
  if (render_.joinable()) render_.join();
  recordQuiet_ = true;  // no callback after stop() returns: the file is finished, its 1029 not sent
  recordGate_->close();
  stopRecord();
  aux_.shutdown();
  dispatcher_.shutdown();
}

void PlaySession::pause() {
  controls_->paused = true;
  cancelRead(CancelCause::Pause);
  buffer_.wake();
}

void PlaySession::resume() {
  {
    std::lock_guard lk(waitMu_);
    controls_->paused = false;
  }
  waitCv_.notify_all();
  buffer_.wake();
}

void PlaySession::cancelRead(CancelCause cause) {
  std::lock_guard lk(connMu_);
  if (!source_) return;
  if (cancel_.raise(cause)) OL_LOGD("play", "cancelling the read: %s", toString(cause));
  source_->cancel();
}

void PlaySession::renderMain() {
  PlayRenderer renderer(*this);
  renderer.run();
}

void PlaySession::onStateChanged(PlaySessionState from, PlaySessionState to) {
  OL_LOGI("play", "state %s -> %s", toString(from), toString(to));
  const PlayState pub = publicState(to);
  // Stopped: no callback may follow stop(); the app knows it stopped.
  if (to == PlaySessionState::Stopped || lastPublicState_.exchange(pub) == pub) return;
  detail::postCallback(
      dispatcher_, callbacks_, &CallbackSet::onState, [pub](auto& fn) { fn(pub); }, detail::Delivery::Guaranteed);
}

void PlaySession::emit(EventCode code, ParamMap extra) {
  Event ev;
  ev.code = code;
  ev.params = std::move(extra);
  if (!ev.params.count(evt::kMsg)) ev.params.emplace(std::string(evt::kMsg), std::string(eventMessage(code)));
  const int64_t now = wallMs();
  ev.params[std::string(evt::kTime)] = std::to_string(now);
  controls_->debug.onEvent(code, now);
  if (code != EventCode::PLAY_EVT_GET_MESSAGE)
    OL_LOGI("play", "event %d %s: %s", toInt(code), std::string(eventName(code)).c_str(), ev.message().c_str());
  detail::queueEvent(*callbacks_, ev);
  detail::postCallbackWith(dispatcher_, callbacks_, &CallbackSet::onEvent, std::move(ev));
}

void PlaySession::emitNetStatus(ParamMap values) {
  controls_->debug.onNetStatus(values);
  NetStatus st;
  st.values = std::move(values);
  detail::postCallbackWith(dispatcher_, callbacks_, &CallbackSet::onNetStatus, std::move(st));
}

void PlaySession::deliverVideo(const decode::FramePtr& f) {
  snapshotFrame(f.get());
  std::function<void(const VideoFrame&)> cb;
  {
    std::lock_guard lk(callbacks_->mu);
    cb = callbacks_->onVideo;
  }
  if (!cb) return;
  // A reference, not a copy of the pixels: the decoder never writes into a picture it has handed out.
  auto ref = decode::allocFrame();
  av_frame_ref(ref.get(), f.get());
  const size_t bytes = size_t(f->width) * size_t(f->height) * 3 / 2;
  detail::postFrameCallback(dispatcher_, bytes, callbacks_, &CallbackSet::onVideo, [ref](auto& fn) {
    VideoFrame vf;
    vf.width = ref->width;
    vf.height = ref->height;
    for (int i = 0; i < 3; ++i) {
      vf.planes[i] = ref->data[i];
      vf.strides[i] = ref->linesize[i];
    }
    vf.ptsMs = ref->pts;
    fn(vf);
  });
}

void PlaySession::deliverAudio(const decode::PcmBlock& pcm) {
  {
    std::lock_guard lk(callbacks_->mu);
    if (!callbacks_->onAudio) return;
  }
  auto copy = std::make_shared<decode::PcmBlock>(pcm);
  detail::postFrameCallback(dispatcher_, pcm.samples.size() * sizeof(int16_t), callbacks_, &CallbackSet::onAudio,
                            [copy](auto& fn) {
    AudioFrame af;
    af.samples = copy->samples.data();
    af.frames = copy->frames();
    af.channels = copy->channels;
    af.sampleRate = copy->sampleRate;
    af.ptsMs = copy->ptsMs;
    fn(af);
  });
}

void PlaySession::deliverEncodedVideo(const demux::MediaPacket& p, bool discontinuity) {
  {
    std::lock_guard lk(callbacks_->mu);
    if (!callbacks_->onEncodedVideo) return;
  }
  if (!p.videoConfig) return;
  struct Copy {
    std::vector<uint8_t> data;
    std::shared_ptr<const demux::VideoConfig> config;
    int64_t dts, pts;
    bool key, gap;
    uint64_t seq;
  };
  auto c = std::make_shared<Copy>(Copy{p.data, p.videoConfig, p.dtsMs, p.ptsMs, p.keyframe, discontinuity, ++encodedPosted_});
  detail::postFrameCallback(dispatcher_, p.data.size(), callbacks_, &CallbackSet::onEncodedVideo,
                            [c, delivered = encodedDelivered_](auto& fn) {
    EncodedVideoPacket e;
    e.data = c->data.data();
    e.size = c->data.size();
    e.config = c->config->avcc.data();
    e.configSize = c->config->avcc.size();
    e.dts = std::chrono::milliseconds(c->dts);
    e.pts = std::chrono::milliseconds(c->pts);
    e.keyframe = c->key;
    e.discontinuity = c->gap || c->seq != *delivered + 1;  // one the lane dropped came before
    *delivered = c->seq;
    fn(e);
  });
}

void PlaySession::deliverEncodedAudio(const demux::MediaPacket& p, bool discontinuity) {
  {
    std::lock_guard lk(callbacks_->mu);
    if (!callbacks_->onEncodedAudio) return;
  }
  struct Copy {
    std::vector<uint8_t> data;
    std::shared_ptr<const demux::AudioConfig> config;
    int64_t pts;
    bool gap;
    uint64_t seq;
  };
  auto c = std::make_shared<Copy>(Copy{p.data, p.audioConfig, p.ptsMs, discontinuity, ++encodedAudioPosted_});
  detail::postFrameCallback(dispatcher_, p.data.size(), callbacks_, &CallbackSet::onEncodedAudio,
                            [c, delivered = encodedAudioDelivered_](auto& fn) {
    EncodedAudioPacket e;
    e.data = c->data.data();
    e.size = c->data.size();
    e.config = c->config->asc.data();
    e.configSize = c->config->asc.size();
    e.pts = std::chrono::milliseconds(c->pts);
    e.discontinuity = c->gap || c->seq != *delivered + 1;
    *delivered = c->seq;
    fn(e);
  });
}

uint64_t PlaySession::frameCallbackDrops() const { return dispatcher_.counters().framesDropped; }

void PlaySession::onPlayedOut() {
  if (state_.transition(PlaySessionState::Draining, PlaySessionState::Ended)) emit(EventCode::PLAY_EVT_PLAY_END);
}

void PlaySession::onWindowClosed() {
  emit(EventCode::PLAY_EVT_PLAY_END, {{std::string(evt::kMsg), "window closed by the user"}});
  {
    std::lock_guard lk(waitMu_);
    state_.moveTo(PlaySessionState::Stopped);  // the I/O thread ends too; stopPlay() still joins both
  }
  waitCv_.notify_all();
  cancelRead(CancelCause::Stop);
}

void PlaySession::checkWatchdog(int64_t nowSteadyMs) {
  if (controls_->paused) return;
  switch (watchdog_.check(nowSteadyMs)) {
    case ReadWatchdog::Verdict::Ok: return;
    case ReadWatchdog::Verdict::NoData:
      OL_LOGW("play", "no media for %lld ms while playing: reconnecting", static_cast<long long>(kNoDataMs));
      watchdog_.disarm();
      cancelRead(CancelCause::NoData);
      return;
    case ReadWatchdog::Verdict::NoRepublish:
      OL_LOGI("play", "no republish within %lld ms: the stream has ended", static_cast<long long>(kRepublishGraceMs));
      watchdog_.disarm();
      cancelRead(CancelCause::NoRepublish);
      return;
  }
}

std::string PlaySession::serverAddress() const {
  std::lock_guard lk(serverMu_);
  return serverIp_;
}

}  // namespace openlive::player
