// PlayRenderer: the play session's render thread (see play_renderer.h).
#include "common/clock_ms.h"
#include "common/logging.h"
#include "player/play_renderer.h"
#include "player/play_session.h"
#include "render/speaker_names.h"

extern "C" {
#include <libavutil/frame.h>
}

#include <algorithm>
#include <cmath>

namespace openlive::player {

namespace {
using Kind = demux::MediaPacket::Kind;

int64_t steadyMs(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
int64_t msBetween(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}
ParamMap sinceStart(int64_t ms) { return {{std::string(evt::kParam1), std::to_string(ms)}}; }
}  // namespace

PlayRenderer::PlayRenderer(PlaySession& session)
    : s_(session),
      buf_(session.buffer()),
      rtc_(session.rtc()),
      cache_(cacheSettingsFor(session.config(), session.rtc())),
      stats_(Clock::now()) {
  openSinks();
  VideoStage::Listener vl;
  vl.onDecoderOpened = [this] { s_.emit(EventCode::PLAY_EVT_START_VIDEO_DECODER); };
  vl.onFirstPicture = [this] { s_.emit(EventCode::PLAY_EVT_RCV_FIRST_I_FRAME, sinceStart(stats_.msSinceStart(Clock::now()))); };
  vl.onDecodeError = [this](const std::string& why) { onDecodeError(true, why); };
  vl.onPacket = [this](const demux::MediaPacket& p, bool gap) { s_.deliverEncodedVideo(p, gap); };
  video_ = std::make_unique<VideoStage>(rtc_, std::move(vl));
  AudioStage::Listener al;
  al.onFirstSound = [this] {
    stats_.onFirstSound(Clock::now());
    if (soundReported_) return;
    soundReported_ = true;
    s_.emit(EventCode::PLAY_EVT_RCV_FIRST_AUDIO_FRAME, sinceStart(*stats_.firstSoundMs()));
  };
  al.onDecodeError = [this](const std::string& why) { onDecodeError(false, why); };
  al.onPcm = [this](const decode::PcmBlock& pcm) { s_.deliverAudio(pcm); };
  al.onPacket = [this](const demux::MediaPacket& p, bool gap) { s_.deliverEncodedAudio(p, gap); };
  audio_ = std::make_unique<AudioStage>(*asink_, std::move(al));
}

PlayRenderer::~PlayRenderer() = default;

void PlayRenderer::openSinks() {
  // Sinks live on this thread (SDL's window must be used by the thread that made it).
  LiveControls& c = s_.controls();
  viewVersion_ = c.viewVersion;
  {
    std::lock_guard lk(c.mu);
    view_ = c.view;
  }
  const PlayConfig& cfg = s_.config();
  std::string why;
  output_ = std::make_unique<PlayVideoOutput>(cfg, s_.windowVersionAtStart(), [this](const std::string& w) {
    s_.emit(EventCode::PLAY_WARNING_RENDER_WINDOW_FAIL, {{std::string(evt::kDescription), w}});
  });
  output_->open(view_);
  if (cfg.audio.kind == AudioOutput::Kind::Device) {
    asink_ = render::createSdlAudio(render::speakerDeviceName(cfg.audio.path), &why);
    if (!asink_) OL_LOGW("play", "no audio device (%s); audio is decoded but not played", why.c_str());
  } else if (cfg.audio.kind == AudioOutput::Kind::Wav) {
    auto w = std::make_unique<render::WavSink>(cfg.audio.path);
    if (!w->ok()) OL_LOGE("play", "cannot open %s for writing", cfg.audio.path.c_str());
    asink_ = std::move(w);
  }
  if (!asink_) asink_ = std::make_unique<render::NullAudioSink>();
}

void PlayRenderer::onDecodeError(bool video, const std::string& why) {
  bool& reported = video ? videoErrorReported_ : audioErrorReported_;
  OL_LOGD("play", "%s decode error: %s", video ? "video" : "audio", why.c_str());
  if (reported) return;  // once per connection: a broken stream does not flood the app
  reported = true;
  OL_LOGW("play", "%s decoding failed: %s", video ? "video" : "audio", why.c_str());
  s_.emit(video ? EventCode::PLAY_WARNING_VIDEO_DECODE_FAIL : EventCode::PLAY_WARNING_AUDIO_DECODE_FAIL,
          {{std::string(evt::kDescription), why}});
}

void PlayRenderer::run() {
  for (;;) {
    const auto wall = Clock::now();
    if (s_.stopping() || ended_) break;
    s_.checkWatchdog(steadyMs(wall));
    if (!handleWindow()) break;
    if (s_.feed().epoch != epoch_) onNewEpoch();
    if (s_.controls().paused) pausedStep();
    else if (!started_) startStep(wall);
    else playStep(wall);
    if (stats_.due(Clock::now())) reportStatus(Clock::now());
    if (isTerminal(s_.state())) break;
    const auto wake = nextWake(Clock::now());
    if (wake > Clock::now())
      buf_.waitForData(std::chrono::ceil<std::chrono::milliseconds>(wake - Clock::now()));
  }
}

bool PlayRenderer::handleWindow() {
  LiveControls& c = s_.controls();
  if (c.viewVersion != viewVersion_) {
    viewVersion_ = c.viewVersion;
    {
      std::lock_guard lk(c.mu);
      view_ = c.view;
    }
    output_->sink().setView(view_);
    output_->sink().refresh();
  }
  output_->applyWindowTarget(c, view_, lastShown_.get());
  auto in = output_->poll();
  if (in.quit) {
    s_.onWindowClosed();
    return false;
  }
  if (in.toggleMute) c.mute = !c.mute;
  if (in.toggleDebug) c.debug.toggleShown();
  updateOverlay();
  if (in.togglePause) {
    if (c.paused) s_.resume();
    else s_.pause();
  }
  return true;
}

void PlayRenderer::updateOverlay() {
  if (auto lines = s_.controls().debug.changes(overlay_)) output_->setOverlay(std::move(*lines));
}

void PlayRenderer::onNewEpoch() {
  epoch_ = s_.feed().epoch;
  video_->reset();
  audio_->markGap();
  clock_.invalidate();
  cache_.restart();
  started_ = keyChosen_ = shown_ = drained_ = stalled_ = startReady_ = false;
  skipTo_.reset();
  trimSeenVideo_.reset();
  video_->setSkipping(false);
  reported2105_ = videoErrorReported_ = audioErrorReported_ = false;
  firstAudioSeen_.reset();
}

void PlayRenderer::pausedStep() {
  if (lastShown_) s_.offerSnapshot(lastShown_);  // a pending snapshot takes the picture kept on screen
  clock_.setRunning(false);
}

// ---------------------------------------------------------------------------------------------- start

void PlayRenderer::startStep(Clock::time_point wall) {
  const bool eos = buf_.endOfStream();
  if (startAtKeyframe(wall, eos)) return;
  startAtAudio(wall, eos);
  if (!started_ && eos && buf_.count(Kind::Video) == 0 && buf_.count(Kind::Audio) == 0 && video_->empty()) {
    ended_ = true;
    s_.onPlayedOut();
  }
}

// The start at a keyframe; false when the buffer holds none (yet).
bool PlayRenderer::startAtKeyframe(Clock::time_point wall, bool eos) {
  if (!keyChosen_) {
    if (!buf_.hasKeyframe()) return false;
    buf_.dropToFirstKeyframe();  // and the audio before it: picture and sound start together
    keyChosen_ = true;
  }
  if (skipTo_ && !skipToLiveEdge()) return true;
  video_->fill(buf_, INT64_MIN);  // until the first picture is out (reordering may need a few packets)
  if (video_->empty() && eos && buf_.count(Kind::Video) == 0) video_->drain();
  if (video_->empty()) return true;
  const int64_t first = *video_->nextPts();
  if (!startReady_) {
    if (!prebuffered(first, eos)) return true;
    startReady_ = true;
    // Planned once the burst that brought the keyframe is in: a backlog is decoded through, not played.
    if (planStartSkip(first, wall)) return true;
  }
  audio_->skipTo(buf_, first - 1);
  startClock(first, wall);
  showPicture(video_->takeFirst(), wall);
  return true;
}

bool PlayRenderer::planStartSkip(int64_t firstPts, Clock::time_point wall) {
  // RTC skips to its live edge by its own rule; a stream that already ended is played whole.
  if (rtc_ || buf_.endOfStream()) return false;
  const Kind master = !buf_.hasAudio() ? Kind::Video : Kind::Audio;
  const auto newest = buf_.newestTs(master);
  const int64_t target = cache_.targetMs(buf_.jitterMs());
  if (!newest || *newest - firstPts <= target + kStartSkipMarginMs) return false;
  skipTo_ = *newest - target;
  skipDeadline_ = wall + kStartSkipBudget;
  OL_LOGI("play", "start with %lld ms buffered: decoding through to the live edge (%lld ms before the newest)",
          static_cast<long long>(*newest - firstPts), static_cast<long long>(target));
  return true;
}

bool PlayRenderer::skipToLiveEdge() {
  video_->setSkipping(true);
  video_->fill(buf_, *skipTo_, kStartSkipPacketsPerStep);  // small steps: the budget is checked between them
  video_->dropBefore(*skipTo_);
  const bool done = !video_->empty() || buf_.count(Kind::Video) == 0 || Clock::now() > skipDeadline_;
  if (done) {
    skipTo_.reset();
    video_->setSkipping(false);
  }
  return done;
}

void PlayRenderer::startAtAudio(Clock::time_point wall, bool eos) {
  if (buf_.count(Kind::Audio) == 0) return;
  if (!firstAudioSeen_) firstAudioSeen_ = wall;
  const bool videoExpected = s_.feed().expectVideo || buf_.hasVideo();
  if (videoExpected && !eos && wall - *firstAudioSeen_ < std::chrono::milliseconds(kAudioFirstGraceMs)) return;
  // A live edge, not a backlog: start no further back than the prebuffer (a server's burst on join is skipped).
  int64_t first = std::max(*buf_.oldestTs(Kind::Audio),
                           *buf_.newestTs(Kind::Audio) - jitter::CacheController::kStartPrebufferMs);
  if (rtc_) first = *buf_.newestTs(Kind::Audio);
  if (!prebuffered(first, eos)) return;
  audio_->skipTo(buf_, first - 1);
  if (videoExpected)
    OL_LOGI("play", "no keyframe yet: sound starts at %lld (newest audio %lld), the picture follows at the next keyframe",
            static_cast<long long>(first), static_cast<long long>(*buf_.newestTs(Kind::Audio)));
  startClock(first, wall);
}

bool PlayRenderer::prebuffered(int64_t startPts, bool eos) {
  const Kind master = (rtc_ && buf_.hasVideo()) || !buf_.hasAudio() ? Kind::Video : Kind::Audio;
  const int64_t buffered = buf_.newestTs(master).value_or(startPts) - startPts;
  step_ = cache_.update(buffered, false, eos, buf_.jitterMs(), false);
  return step_.resumed;
}

void PlayRenderer::startClock(int64_t pts, Clock::time_point wall) {
  started_ = true;
  startedAt_ = wall;
  clock_.set(pts);
  clock_.setRunning(true);
  trim_.reset(wall);
  lastShow_ = wall;
  s_.emit(EventCode::PLAY_EVT_PLAY_BEGIN, sinceStart(stats_.msSinceStart(wall)));
}

// ---------------------------------------------------------------------------------------------- playing

void PlayRenderer::playStep(Clock::time_point wall) {
  const bool eos = buf_.endOfStream();
  cacheStep(wall, clock_.now(), eos);
  watchLags(wall);
  if (!clock_.running()) {
    endIfPlayedOut(eos);  // stalled when the stream ended with nothing left: end now
    return;
  }
  trimRtcHold(wall);
  // Audio master: follow the device's position when it drifts.
  int64_t now = clock_.now();
  if (auto pos = asink_->playedMediaMs(clock_.speed());
      pos && !rtc_ && audio_->started() && std::llabs(*pos - now) > 40 && buf_.count(Kind::Audio) > 0) {
    clock_.set(*pos);
  }
  videoStep(wall, eos);
  const LiveControls& c = s_.controls();
  audio_->play(buf_, clock_.now(), clock_.speed(), c.mute ? 0 : c.volume.load());
  endIfPlayedOut(eos);
}

void PlayRenderer::cacheStep(Clock::time_point wall, int64_t now, bool eos) {
  const Kind master = (rtc_ && buf_.hasVideo()) || !buf_.hasAudio() ? Kind::Video : Kind::Audio;
  const auto newest = buf_.newestTs(master);
  const int64_t buffered = newest ? *newest - now : 0;
  const bool pictureAhead = master == Kind::Video && video_->nextPts() && *video_->nextPts() >= now;
  const bool dry = buf_.count(master) == 0 && !pictureAhead &&
                   (!newest || now > *newest + buf_.typicalIntervalMs(master) + kDryMarginMs);
  // The buffer grows by slower playback only once picture (if any) and sound have run a moment: the first
  // picture of a late joiner must not wait behind a grown buffer, and the first sound is not held by the
  // tempo filter's window.
  const bool videoDone = shown_ || !(s_.feed().expectVideo || buf_.hasVideo());
  const bool fillAllowed = videoDone && started_ && wall - startedAt_ > std::chrono::milliseconds(kFillDelayMs);
  step_ = cache_.update(buffered, dry, eos, buf_.jitterMs(), fillAllowed);
  if (step_.stallBegan || step_.resumed || step_.jump) trim_.reset(wall);
  if (step_.stallBegan) {
    stalled_ = true;
    stats_.onStallBegan(wall);
    clock_.setRunning(false);
    s_.emit(EventCode::PLAY_EVT_PLAY_LOADING);
  }
  if (step_.resumed) {
    clock_.setRunning(true);
    if (stalled_) {
      stalled_ = false;
      stats_.onStallEnded(wall);
      s_.emit(EventCode::PLAY_EVT_PLAY_BEGIN);
      resyncVideoAfterStall();
    }
  }
  if (step_.jump) {
    if (auto key = buf_.dropToNewestKeyframe(step_.jumpKeepMs)) {
      OL_LOGI("play", "buffer %lld ms over the cache policy's bound: jumping to the IDR at %lld (keeping %lld ms)",
              static_cast<long long>(buffered), static_cast<long long>(*key), static_cast<long long>(step_.jumpKeepMs));
      video_->reset();
      clock_.set(*key);
      audio_->flush();
    }
  }
  // RTC: a burst after a stall is not played through. Skip the clock to the live edge (the video in between is
  // still decoded, so no IDR is needed, but not shown; late audio is dropped).
  if (rtc_ && !step_.jump && clock_.running() && newest && buffered > step_.targetMs + kRtcSkipAboveTargetMs) {
    const int64_t to = *newest - step_.targetMs;
    OL_LOGD("play", "RTC: %lld ms buffered, target %lld: skipping to the live edge", static_cast<long long>(buffered),
            static_cast<long long>(step_.targetMs));
    clock_.set(to);
    video_->hideBefore(to);
    audioSkipped_ += audio_->skipTo(buf_, to - 20);
    trim_.reset(wall);
  }
  clock_.setSpeed(step_.speed);
}

void PlayRenderer::trimRtcHold(Clock::time_point wall) {
  // Only without reordering: with B-frames the newest pts belongs to a picture shown after the ones still to
  // come, so its lead says nothing about how long pictures wait.
  const auto newest = buf_.newestTs(Kind::Video);
  if (!rtc_ || !newest || newest == trimSeenVideo_ || buf_.videoReorders()) return;
  trimSeenVideo_ = newest;  // a new picture arrived (the loop wakes on every arrival)
  const int64_t now = clock_.now();
  if (const int64_t forward = trim_.onArrival(*newest - now, step_.targetMs, wall); forward > 0) {
    OL_LOGD("play", "RTC: pictures waited at least %lld ms for the clock: moving it %lld ms forward",
            static_cast<long long>(forward + RtcHoldTrim::kKeepMs), static_cast<long long>(forward));
    clock_.set(now + forward);
    audioSkipped_ += audio_->skipTo(buf_, now + forward - 20);
  }
}

// Live mode, a stall ends: the sound ran on to the clock while the pictures of the same time were still on their
// way (a publisher's video lags its sound in the stream), so they come in behind the clock and would all be
// skipped as late. Set the clock back to the oldest of them (at most kStallResyncMaxMs): the sound waits that long
// and no picture is lost; the catch-up then takes the extra latency off.
void PlayRenderer::resyncVideoAfterStall() {
  if (rtc_) return;
  const int64_t now = clock_.now();
  std::optional<int64_t> oldest = video_->nextPts();
  if (auto queued = buf_.oldestTs(Kind::Video); queued && (!oldest || *queued < *oldest)) oldest = queued;
  if (!oldest || *oldest >= now - kFirstPictureResyncMs || *oldest < now - kStallResyncMaxMs) return;
  OL_LOGI("play", "after the stall the pictures are %lld ms behind the sound: clock set back to them",
          static_cast<long long>(now - *oldest));
  clock_.set(*oldest);
}

void PlayRenderer::videoStep(Clock::time_point wall, bool eos) {
  int64_t now = clock_.now();
  video_->fill(buf_, now + kDecodeAheadMs);
  if (eos && !drained_ && buf_.count(Kind::Video) == 0) {
    drained_ = true;
    video_->drain();
  }
  // The first picture of a connection that started with its sound: if it comes in late (the publisher's video
  // lags its audio), set the clock back to it once; sound pauses for that long, then both run in sync.
  if (!shown_ && video_->nextPts() && *video_->nextPts() < now - kFirstPictureResyncMs) {
    OL_LOGI("play", "first picture %lld ms behind the sound: clock set back to it",
            static_cast<long long>(now - *video_->nextPts()));
    clock_.set(*video_->nextPts());
    now = clock_.now();
  }
  if (auto f = video_->takeDue(now)) showPicture(f, wall);
}

void PlayRenderer::endIfPlayedOut(bool eos) {
  if (!eos || ended_ || buf_.count(Kind::Video) != 0 || buf_.count(Kind::Audio) != 0) return;
  if (clock_.running() && !video_->empty()) return;
  ended_ = true;
  video_->clearPending();
  s_.onPlayedOut();
}

void PlayRenderer::watchLags(Clock::time_point wall) {
  // Render gap (2105): no new picture for the block threshold once pictures were shown (stalls included).
  const auto threshold = s_.config().videoBlockThreshold;
  if (shown_ && !reported2105_ && !ended_ && buf_.hasVideo() &&
      wall - lastShow_ > threshold) {
    reported2105_ = true;
    s_.emit(EventCode::PLAY_WARNING_VIDEO_PLAY_LAG, {{std::string(evt::kParam1), std::to_string(msBetween(lastShow_, wall))}});
  }
  // Irregular arrival (2104): packets arriving 500 ms (RTC: 200 ms) later than the steadiest ones; at most every 5 s.
  if (wall - lastLag_ > std::chrono::seconds(5) && buf_.jitterMs() > (rtc_ ? 200 : 500)) {
    lastLag_ = wall;
    s_.emit(EventCode::PLAY_WARNING_RECV_DATA_LAG, {{std::string(evt::kParam1), std::to_string(buf_.jitterMs())}});
  }
}

void PlayRenderer::showPicture(const decode::FramePtr& f, Clock::time_point wall) {
  if (!f) return;
  if (f->width != width_ || f->height != height_) {
    if (width_ != 0)
      s_.emit(EventCode::PLAY_EVT_CHANGE_RESOLUTION, {{std::string(evt::kParam1), std::to_string(f->width)},
                                                     {std::string(evt::kParam2), std::to_string(f->height)},
                                                     {std::string(evt::kVideoWidth), std::to_string(f->width)},
                                                     {std::string(evt::kVideoHeight), std::to_string(f->height)}});
    width_ = f->width;
    height_ = f->height;
  }
  output_->sink().show(f.get());
  lastShown_ = f;
  s_.deliverVideo(f);
  std::optional<int64_t> latency;
  if (auto captured = video_->captureTimeOf(f->pts)) latency = wallMs() - *captured;
  stats_.onPictureShown(latency);
  lastShow_ = wall;
  reported2105_ = false;
  if (!shown_) {
    shown_ = true;
    stats_.onFirstPicture(wall);
    OL_LOGD("play", "first picture pts %lld at clock %lld; newest audio %lld, newest video %lld",
            static_cast<long long>(f->pts), static_cast<long long>(clock_.now()),
            static_cast<long long>(buf_.newestTs(Kind::Audio).value_or(-1)),
            static_cast<long long>(buf_.newestTs(Kind::Video).value_or(-1)));
  }
}

// ---------------------------------------------------------------------------------------------- reports, waits

void PlayRenderer::reportStatus(Clock::time_point wall) {
  PlayStatsInput in;
  const int64_t clk = clock_.now();
  in.width = width_;
  in.height = height_;
  in.videoBytes = s_.feed().videoBytes;
  in.audioBytes = s_.feed().audioBytes;
  auto vn = buf_.newestTs(Kind::Video), an = buf_.newestTs(Kind::Audio);
  in.videoCacheMs = vn && clock_.valid() ? std::max<int64_t>(0, *vn - clk) : 0;
  in.audioCacheMs = an && clock_.valid() ? std::max<int64_t>(0, *an - clk) : 0;
  in.jitterMs = buf_.jitterMs();
  // Device sinks report what is being heard now; headless sinks get PCM exactly when it is due.
  if (audio_->started() && width_ && lastShown_)
    in.avIntervalMs = lastShown_->pts - asink_->playedMediaMs(clock_.speed()).value_or(audio_->lastPts());
  in.speed = clock_.speed();
  in.targetMs = step_.targetMs;
  in.drops = video_->drops() + buf_.overflowDrops();
  in.frameCallbackDrops = s_.frameCallbackDrops();
  in.serverAddress = s_.serverAddress();
  in.audioRate = audio_->sampleRate();
  in.audioChannels = audio_->channels();
  in.state = toString(s_.state());
  s_.emitNetStatus(stats_.report(in, wall));
}

PlayRenderer::Clock::time_point PlayRenderer::nextWake(Clock::time_point wall) const {
  auto wake = stats_.nextReport();
  if (auto d = s_.watchdogDeadline()) wake = std::min(wake, wall + std::chrono::milliseconds(*d - steadyMs(wall)));
  if (output_->isWindow()) wake = std::min(wake, wall + kWindowPumpInterval);
  if (skipTo_) return wall;  // decoding through a backlog: go on at once
  if (s_.controls().paused || !clock_.running()) return wake;  // new data (or resume) wakes the wait
  const int64_t now = clock_.now();
  const double speed = std::max(0.1, clock_.speed());
  auto at = [&](int64_t mediaMs) {
    return wall + std::chrono::microseconds(std::max<int64_t>(500, int64_t(double(mediaMs - now) * 1000 / speed)));
  };
  if (auto v = video_->nextPts()) wake = std::min(wake, at(*v));
  else if (buf_.count(Kind::Video) > 0) wake = wall;  // decode ahead at once
  if (auto a = buf_.oldestTs(Kind::Audio)) wake = std::min(wake, at(*a - asink_->leadMs()));
  if (shown_ && !reported2105_)
    wake = std::min(wake, lastShow_ + s_.config().videoBlockThreshold + std::chrono::milliseconds(1));
  return wake;
}

}  // namespace openlive::player
