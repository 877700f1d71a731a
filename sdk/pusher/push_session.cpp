#include "pusher/push_session.h"

#include "capture/av_device_source.h"
#include "capture/file_readers.h"
#include "capture/test_pattern.h"
#include "common/logging.h"
#include "common/sei_uuids.h"
#include "mux/flv_mux.h"

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <cmath>

namespace openlive::detail {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

int64_t wallNowMs() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// An H.264 access unit (Annex B) nothing refers to: its first slice has nal_ref_idc 0.
bool isDisposable(const std::vector<uint8_t>& au) {
  const size_t n = au.size();
  for (size_t i = 0; i + 3 < n; ++i) {
    if (au[i] != 0 || au[i + 1] != 0) continue;
    size_t h = au[i + 2] == 1 ? i + 3 : (au[i + 2] == 0 && au[i + 3] == 1 ? i + 4 : 0);
    if (h == 0 || h >= n) continue;
    const int type = au[h] & 0x1f;
    if (type == 1 || type == 5) return ((au[h] >> 5) & 3) == 0;
    i = h;
  }
  return false;
}




// Audio may lead the video produced so far by one video frame, video the audio by three AAC frames (the
// AAC encoder's delay); neither waits longer than twice the video encoder's delay.
Interleaver::Options interleaverOptions(const PushConfig& c) {
  const ResolvedVideoParams v = resolveVideoParams(c);
  const X264Settings x = x264SettingsFor(v);
  Interleaver::Options o;
  o.hasVideo = c.video.type != VideoSourceType::None;
  o.hasAudio = c.audio.type != AudioSourceType::None;
  o.audioToleranceMs = 1000 / std::max(1, v.fps);
  o.videoToleranceMs = 3 * 1024 * 1000 / audioRateFor(c);
  o.maxHold = Interleaver::holdFor(v.lowLatency ? 1 : x.lookahead + x.bframes + 4, v.fps);
  return o;
}

}  // namespace

void nameThread(const char* name) { pthread_setname_np(pthread_self(), name); }

PushSession::PushSession(PushConfig config, std::string url, std::shared_ptr<PusherCallbacks> callbacks)
    : config_(std::move(config)),
      url_(std::move(url)),
      callbacks_(std::move(callbacks)),
      queue_(config_.dropThreshold, config_.maxCache, config_.nonRefDropThreshold),
      interleaver_(interleaverOptions(config_), [this](EncodedPacket&& p, bool flushing) { queue_.push(std::move(p), flushing || draining_); }) {
  video_ = resolveVideoParams(config_);
  hasVideo_ = config_.video.type != VideoSourceType::None;
  hasAudio_ = config_.audio.type != AudioSourceType::None;
  mirror_ = config_.mirror;
  curKbps_ = video_.bitrateKbps;
  curWidth_ = video_.width;
  curHeight_ = video_.height;
  if (hasVideo_ && video_.autoAdjust != AutoAdjust::None && video_.minBitrateKbps < video_.maxBitrateKbps) {
    BitrateControllerConfig bc;
    bc.minKbps = video_.minBitrateKbps;
    bc.maxKbps = video_.maxBitrateKbps;
    bc.startKbps = video_.bitrateKbps;
    bc.stepUpKbps = std::max(1, video_.bitrateKbps / 5);
    bc.upIntervalMs = std::max<int64_t>(100, config_.autoAdjustUpInterval.count());
    bc.adjustResolution = video_.autoAdjust == AutoAdjust::BitrateAndResolution;
    abr_ = std::make_unique<BitrateController>(bc);
    int w, h;
    BitrateController::scaledSize(video_.width, video_.height, abr_->rung(), &w, &h);
    curWidth_ = w;
    curHeight_ = h;
    appliedRung_ = abr_->rung();
  }
}

PushSession::~PushSession() { stop(); }

StartResult PushSession::start() {
  if (hasAudio_) {
    AudioEncoderOptions ao{audioRateFor(config_), audioChannelsFor(config_), audioKbpsFor(config_)};
    std::string err;
    if (!audioEncoder_.open(ao, &err))
      return StartResult{false, EventCode::PUSH_ERR_AUDIO_ENCODE_FAIL, err};
    asc_ = audioEncoder_.extradata();
    if (asc_.empty()) asc_ = makeAudioSpecificConfig(ao.sampleRate, ao.channels);
    auto rec = std::make_shared<RecAudioConfig>();
    rec->asc = asc_;
    rec->sampleRate = ao.sampleRate;
    rec->channels = ao.channels;
    recAudioCfg_ = std::move(rec);
  }
  if (config_.video.type == VideoSourceType::Custom && !openVideoEncoder(video_.fps))
    return StartResult{false, EventCode::PUSH_ERR_VIDEO_ENCODE_FAIL, "cannot open the H.264 encoder"};
  setState(PushState::Connecting);
  ioThread_ = std::thread([this] { ioThread(); });
  statThread_ = std::thread([this] { statThread(); });
  if (hasVideo_ && config_.video.type != VideoSourceType::Custom) videoThread_ = std::thread([this] { videoThread(); });
  if (hasAudio_ && config_.audio.type != AudioSourceType::Custom) audioThread_ = std::thread([this] { audioThread(); });
  return {};
}

void PushSession::requestStop() {
  stopping_ = true;
  {
    std::lock_guard lk(clockMu_);
    clockCv_.notify_all();
  }
  queue_.close();
  std::lock_guard lk(connMu_);
  if (conn_) conn_->cancel();
}

void PushSession::stop() {
  std::call_once(stopOnce_, [this] {
    // Graceful part, bounded: stop capturing, flush the encoders' delayed frames (B-frames, lookahead) into
    // the queue and let the sender drain it, so the stream ends with what was captured. 120 ms at most.
    const auto deadline = Clock::now() + milliseconds(120);
    if (linkUp_ && !stopping_) {
      draining_ = true;
      {
        std::lock_guard lk(clockMu_);
        clockCv_.notify_all();
      }
      if (config_.video.type == VideoSourceType::Custom) {
        std::lock_guard lk(videoMu_);
        std::vector<EncodedPacket> rest;
        videoEncoder_.flush(rest);
        for (auto& p : rest) packetizeVideo(p, true);
        videoFlushed_ = true;
        interleaver_.endTrack(EncodedPacket::Kind::Video);
      }
      if (config_.audio.type == AudioSourceType::Custom) {
        flushAudio();
        audioFlushed_ = true;
        interleaver_.endTrack(EncodedPacket::Kind::Audio);
      }
      while (Clock::now() < deadline && !stopping_ && linkUp_ && !((videoFlushed_ || !hasVideo_) && (audioFlushed_ || !hasAudio_) && interleaver_.held() == 0 && queue_.empty()))
        std::this_thread::sleep_for(milliseconds(2));
      OL_LOGI("push", "stop: video %s, audio %s, %zu packets left unsent",
              videoFlushed_ || !hasVideo_ ? "flushed" : "not flushed", audioFlushed_ || !hasAudio_ ? "flushed" : "not flushed",
              queue_.size());
    }
    // Let the io thread leave on its own first (it closes the link politely: FCUnpublish, deleteStream); if it
    // is blocked in I/O, cancel() shuts the socket down.
    stopping_ = true;
    {
      std::lock_guard lk(clockMu_);
      clockCv_.notify_all();
    }
    queue_.close();
    auto politeUntil = Clock::now() + milliseconds(20);
    while (!ioDone_ && Clock::now() < politeUntil) std::this_thread::sleep_for(milliseconds(2));
    requestStop();
    for (std::thread* t : {&videoThread_, &audioThread_, &ioThread_, &statThread_})
      if (t->joinable()) t->join();
    stopRecorderQuietly();
    aux_.shutdown();
    dispatcher_.shutdown();
    if (!failed_) setState(PushState::Idle);
  });
}

void PushSession::setState(PushState s) {
  PushState old = state_.exchange(s);
  if (old != s) OL_LOGD("push", "state %s -> %s", toString(old).data(), toString(s).data());
}

void PushSession::emit(EventCode code, const std::string& message, ParamMap extra) {
  if (stopping_ && !failed_ && code != EventCode::PUSH_ERR_NET_DISCONNECT) {
    // After stop() was asked for, only the fatal event that caused it still goes out.
    if (findEvent(code) && findEvent(code)->category != EventCategory::Error) return;
  }
  Event e;
  e.code = code;
  e.params = std::move(extra);
  e.params[std::string(evt::kMsg)] = message.empty() ? std::string(eventMessage(code)) : message;
  e.params[std::string(evt::kTime)] = std::to_string(wallNowMs());
  const EventInfo* info = findEvent(code);
  const LogLevel level = !info ? LogLevel::Info
                         : info->category == EventCategory::Error   ? LogLevel::Error
                         : info->category == EventCategory::Warning ? LogLevel::Warning
                                                                    : LogLevel::Info;
  logf(level, "push", "event %d %s: %s", toInt(code), eventName(code).data(), e.params[std::string(evt::kMsg)].c_str());
  detail::postCallbackWith(dispatcher_, callbacks_, &PusherCallbacks::onEvent, std::move(e));
}

void PushSession::fatal(EventCode code, const std::string& message) {
  bool first = !failed_.exchange(true);
  if (!first) return;
  setState(PushState::Failed);
  emit(code, message);
  requestStop();
}

// ---------------------------------------------------------------- media clock

int64_t PushSession::mediaNowMs() const {
  std::lock_guard lk(clockMu_);
  if (!mediaStarted_) return 0;
  return std::chrono::duration_cast<milliseconds>(Clock::now() - epoch_).count();
}

bool PushSession::waitMediaStart() {
  std::unique_lock lk(clockMu_);
  clockCv_.wait(lk, [&] { return mediaStarted_ || stopping_.load() || draining_.load(); });
  return !stopping_ && !draining_;
}

bool PushSession::sleepUntil(Clock::time_point t) {
  std::unique_lock lk(clockMu_);
  clockCv_.wait_until(lk, t, [&] { return stopping_.load() || draining_.load(); });
  return !stopping_ && !draining_;
}

// ---------------------------------------------------------------- video

bool PushSession::openVideoEncoder(int fps) {
  std::lock_guard lk(videoMu_);
  VideoEncoderOptions o;
  o.params = video_;
  o.params.fps = fps;
  o.params.width = curWidth_;
  o.params.height = curHeight_;
  std::string err;
  if (!videoEncoder_.open(o, &err)) {
    OL_LOGE("push", "%s", err.c_str());
    return false;
  }
  auto cfg = buildAvcDecoderConfig(videoEncoder_.extradata().data(), videoEncoder_.extradata().size());
  if (!cfg) {
    OL_LOGE("push", "encoder gave no SPS/PPS");
    return false;
  }
  processor_ = std::make_unique<VideoProcessor>(curWidth_, curHeight_);
  setVideoConfig(*cfg, curWidth_, curHeight_);
  {
    std::lock_guard clk(clockMu_);
    videoReady_ = true;
    clockCv_.notify_all();
  }
  emit(EventCode::PUSH_EVT_START_VIDEO_ENCODER, "",
       {{std::string(evt::kParam1), "0"},
        {std::string(evt::kDescription), "libx264 " + std::to_string(curWidth_) + "x" + std::to_string(curHeight_)}});
  return true;
}

void PushSession::videoThread() {
  nameThread("ol-push-video");
  const auto& src = config_.video;
  std::atomic<bool>& cancel = stopping_;
  std::unique_ptr<Y4mReader> y4m;
  std::unique_ptr<AvDeviceVideoSource> device;
  std::unique_ptr<TestPatternGenerator> pattern;
  int fps = video_.fps;
  std::string err;
  switch (src.type) {
    case VideoSourceType::TestPattern:
      pattern = std::make_unique<TestPatternGenerator>(video_.width, video_.height);
      break;
    case VideoSourceType::Y4m:
      y4m = std::make_unique<Y4mReader>();
      if (!y4m->open(src.path.empty() ? "-" : src.path, &err)) return fatal(EventCode::PUSH_ERR_OPEN_CAMERA_FAIL, err);
      if (!config_.fps) fps = std::max(1, static_cast<int>(std::lround(y4m->fps())));
      break;
    case VideoSourceType::Camera: {
      device = std::make_unique<AvDeviceVideoSource>();
      std::string dev = src.path.empty() ? "/dev/video0" : src.path;
      if (!device->open("v4l2", dev, video_.width, video_.height, fps, cancel, &err))
        return fatal(EventCode::PUSH_ERR_OPEN_CAMERA_FAIL, "camera " + dev + ": " + err);
      emit(EventCode::PUSH_EVT_OPEN_CAMERA_SUCC, "camera " + dev + " opened");
      break;
    }
    case VideoSourceType::Screen: {
      device = std::make_unique<AvDeviceVideoSource>();
      std::string display = src.path;
      if (display.empty()) {
        const char* env = std::getenv("DISPLAY");
        display = env ? env : ":0";
      }
      std::string dev = display + "+" + std::to_string(src.regionX) + "," + std::to_string(src.regionY);
      int w = src.regionWidth ? src.regionWidth : video_.width, h = src.regionHeight ? src.regionHeight : video_.height;
      if (!device->open("x11grab", dev, w, h, fps, cancel, &err))
        return fatal(EventCode::PUSH_ERR_SCREEN_CAPTURE_FAIL, "screen " + dev + ": " + err);
      emit(EventCode::PUSH_EVT_SCREEN_CAPTURE_SUCC, "screen " + dev + " captured");
      break;
    }
    default: return;
  }
  if (!openVideoEncoder(fps)) return fatal(EventCode::PUSH_ERR_VIDEO_ENCODE_FAIL, "cannot open the H.264 encoder");
  if (!waitMediaStart()) return;

  I420Image frame, pauseCard;
  std::string pauseErr;
  const auto start = Clock::now();
  const double frameMs = 1000.0 / fps;
  int64_t index = 0;
  bool firstFrame = true;
  while (!stopping_ && !draining_) {
    if (paused_) {
      if (pauseCard.width == 0) {
        pauseCard = makePauseCard(video_.width, video_.height, config_.pauseImagePath, &pauseErr);
        if (!pauseErr.empty()) OL_LOGW("push", "%s; using the generated card", pauseErr.c_str());
      }
      if (!sleepUntil(Clock::now() + milliseconds(1000 / std::max(1, config_.pauseFps)))) break;
      if (Clock::now() - pauseStart_ > config_.pauseMaxTime) continue;  // past the limit: send nothing
      const uint8_t* planes[3] = {pauseCard.y.data(), pauseCard.u.data(), pauseCard.v.data()};
      int strides[3] = {pauseCard.width, pauseCard.width / 2, pauseCard.width / 2};
      if (!encodeVideo(planes, strides, pauseCard.width, pauseCard.height, mediaNowMs())) return;
      continue;
    }
    if (pattern || y4m) {
      auto due = start + std::chrono::microseconds(static_cast<int64_t>(index * frameMs * 1000));
      if (Clock::now() < due && !sleepUntil(due)) break;
      if (Clock::now() - due > milliseconds(1000)) index = static_cast<int64_t>((Clock::now() - start) / milliseconds(1) / frameMs);  // fell behind: skip ahead
    }
    if (pattern) {
      pattern->render(index, wallNowMs(), frame);
    } else if (y4m) {
      if (!y4m->readFrame(frame, cancel)) {
        if (stopping_) break;
        std::vector<EncodedPacket> rest;
        {
          std::lock_guard lk(videoMu_);
          videoEncoder_.flush(rest);
          for (auto& p : rest) packetizeVideo(p, true);
        }
        markSourceEnded();
        videoFlushed_ = true;
        interleaver_.endTrack(EncodedPacket::Kind::Video);
        OL_LOGI("push", "Y4M source ended after %lld frames", static_cast<long long>(index));
        return;
      }
    } else if (device) {
      if (!device->read(frame, cancel, &err)) {
        if (stopping_) break;
        return fatal(src.type == VideoSourceType::Camera ? EventCode::PUSH_ERR_OPEN_CAMERA_FAIL
                                                         : EventCode::PUSH_ERR_SCREEN_CAPTURE_FAIL,
                     "capture stopped: " + err);
      }
    }
    if (firstFrame) {
      firstFrame = false;
      emit(EventCode::PUSH_EVT_FIRST_FRAME_AVAILABLE, "");
    }
    const uint8_t* planes[3] = {frame.y.data(), frame.u.data(), frame.v.data()};
    int strides[3] = {frame.width, (frame.width + 1) / 2, (frame.width + 1) / 2};
    if (!encodeVideo(planes, strides, frame.width, frame.height, mediaNowMs())) return;
    ++index;
  }
  if (draining_ && !stopping_) {  // stopPush(): hand over the encoder's delayed frames
    std::lock_guard lk(videoMu_);
    std::vector<EncodedPacket> rest;
    videoEncoder_.flush(rest);
    for (auto& p : rest) packetizeVideo(p, true);
    OL_LOGI("push", "stop: %zu delayed frames flushed after %lld captured", rest.size(), static_cast<long long>(index));
  }
  videoFlushed_ = true;
  interleaver_.endTrack(EncodedPacket::Kind::Video);
}

bool PushSession::encodeVideo(const uint8_t* const planes[3], const int strides[3], int w, int h, int64_t ptsMs) {
  std::lock_guard lk(videoMu_);
  if (stopping_ || !processor_) return false;
  applyRateChange();
  if (!processor_->process(planes, strides, w, h, mirror_, scratch_)) return true;  // bad input frame: skip
  snapshotFrame(scratch_);
  bool key = forceKey_.exchange(false) | queue_.takeKeyframeRequest();
  const uint8_t* p[3] = {scratch_.y.data(), scratch_.u.data(), scratch_.v.data()};
  int s[3] = {scratch_.width, scratch_.width / 2, scratch_.width / 2};
  std::vector<EncodedPacket> out;
  std::string err;
  if (!videoEncoder_.encode(p, s, ptsMs, key, out, &err)) {
    if (encoderRestarts_++ < 3) {
      VideoEncoderOptions o;
      o.params = videoEncoder_.params();
      std::string err2;
      if (videoEncoder_.open(o, &err2)) {
        auto cfg = buildAvcDecoderConfig(videoEncoder_.extradata().data(), videoEncoder_.extradata().size());
        if (cfg) {
          setVideoConfig(*cfg, o.params.width, o.params.height);
          headersDirty_ = true;
          emit(EventCode::PUSH_WARNING_VIDEO_ENCODE_FAIL, "video encoder error (" + err + "); encoder restarted");
          return true;
        }
      }
    }
    fatal(EventCode::PUSH_ERR_VIDEO_ENCODE_FAIL, "video encoding failed: " + err);
    return false;
  }
  for (auto& pkt : out) packetizeVideo(pkt);
  return true;
}

void PushSession::packetizeVideo(const EncodedPacket& p, bool flushing) {
  Bytes avcc = annexBToAvcc(p.data.data(), p.data.size());
  {
    std::lock_guard lk(msgMu_);
    for (auto it = messages_.rbegin(); it != messages_.rend(); ++it)
      prependNal(avcc, buildSeiUserDataNal(kSeiUuidAppMessage, it->data(), it->size()));
    messages_.clear();
  }
  if (p.keyframe || lastCaptureSeiPts_ == INT64_MIN || p.ptsMs - lastCaptureSeiPts_ >= 1000) {
    int64_t wall;
    {
      std::lock_guard clk(clockMu_);
      wall = epochWallMs_ + p.ptsMs;
    }
    Bytes payload = captureTimePayload(wall);
    prependNal(avcc, buildSeiUserDataNal(kSeiUuidCaptureTime, payload.data(), payload.size()));
    lastCaptureSeiPts_ = p.ptsMs;
  }
  recordVideo(p, avcc);
  EncodedPacket out;
  out.kind = EncodedPacket::Kind::Video;
  out.dtsMs = p.dtsMs;
  out.ptsMs = p.ptsMs;
  out.keyframe = p.keyframe;
  out.disposable = !p.keyframe && isDisposable(p.data);
  out.captureUs = p.captureUs;
  lastVideoDts_ = p.dtsMs;
  out.data = std::move(avcc);
  videoBytes_ += out.data.size() + 5;
  ++videoFrames_;
  interleaver_.push(std::move(out), flushing);
}

void PushSession::applyRateChange() {
  const int rung = pendingRung_.exchange(-1);
  const int kbps = pendingKbps_.exchange(0);
  if (rung >= 0 && rung != appliedRung_) {
    // New size: drain the old encoder (its delayed frames belong to the old size), reopen at the new size,
    // queue the new stream headers in order; the new encoder starts with an IDR.
    std::vector<EncodedPacket> rest;
    videoEncoder_.flush(rest);
    for (auto& p : rest) packetizeVideo(p);
    int w, h;
    BitrateController::scaledSize(video_.width, video_.height, rung, &w, &h);
    const int rate = kbps ? kbps : curKbps_.load();
    VideoEncoderOptions o;
    o.params = videoEncoder_.params();
    o.params.width = w;
    o.params.height = h;
    o.params.bitrateKbps = rate;
    o.params.minBitrateKbps = std::min(o.params.minBitrateKbps, rate);
    o.params.maxBitrateKbps = rate;
    std::string err;
    std::optional<Bytes> cfg;
    if (videoEncoder_.open(o, &err))
      cfg = buildAvcDecoderConfig(videoEncoder_.extradata().data(), videoEncoder_.extradata().size());
    if (!cfg) {
      OL_LOGE("push", "cannot reopen the encoder at %dx%d: %s", w, h, err.c_str());
      return;  // encodeVideo() then fails and takes its error path
    }
    processor_ = std::make_unique<VideoProcessor>(w, h);
    setVideoConfig(*cfg, w, h);
    EncodedPacket hdr;
    hdr.kind = EncodedPacket::Kind::Video;
    hdr.keyframe = true;
    hdr.dtsMs = hdr.ptsMs = lastVideoDts_;
    hdr.header = std::make_shared<VideoStreamHeader>(VideoStreamHeader{*cfg, w, h, rate});
    interleaver_.push(std::move(hdr));
    appliedRung_ = rung;
    curWidth_ = w;
    curHeight_ = h;
    const std::string size = std::to_string(w) + "x" + std::to_string(h);
    OL_LOGI("push", "resolution -> %s at %d kbps (encoder reopened)", size.c_str(), rate);
    emit(EventCode::PUSH_EVT_CHANGE_RESOLUTION, "resolution changed to " + size,
         {{std::string(evt::kParam1), std::to_string(rate)}, {std::string(evt::kParam2), size}});
  } else if (kbps) {
    videoEncoder_.setBitrate(kbps, kbps);
  }
}

void PushSession::markSourceEnded() {
  // The last packet produced carries the highest dts so far; fire once the sender passed it.
  int64_t last = std::max<int64_t>(mediaNowMs(), 0);
  int64_t expected = INT64_MAX;
  sourceEndDts_.compare_exchange_strong(expected, last);
}

bool PushSession::sendCustomVideo(const VideoFrame& f) {
  if (config_.video.type != VideoSourceType::Custom || stopping_) return false;
  if (f.width <= 0 || f.height <= 0 || f.width > 4096 || f.height > 4096 || (f.width % 2) || (f.height % 2)) {
    emit(EventCode::PUSH_ERR_UNSUPPORTED_RESOLUTION,
         "custom frame " + std::to_string(f.width) + "x" + std::to_string(f.height) + " not supported");
    return false;
  }
  if (!f.planes[0] || !f.planes[1] || !f.planes[2]) return false;
  int64_t now = 0;
  {
    std::lock_guard lk(clockMu_);
    if (!mediaStarted_) return false;
    now = std::chrono::duration_cast<milliseconds>(Clock::now() - epoch_).count();
  }
  int64_t pts;
  {
    std::lock_guard lk(videoMu_);
    if (customVideoBase_ == INT64_MIN) customVideoBase_ = now - f.ptsMs;
    pts = f.ptsMs + customVideoBase_;
  }
  return encodeVideo(f.planes, f.strides, f.width, f.height, pts);
}

// ---------------------------------------------------------------- audio

bool PushSession::encodeAudio(const int16_t* samples, int frames, int rate, int channels, int64_t firstPtsMs) {
  std::vector<EncodedPacket> out;
  std::string err;
  {
    std::lock_guard lk(audioMu_);
    if (stopping_) return false;
    if (!audioEncoder_.encode(samples, frames, rate, channels, firstPtsMs, out, &err)) {
      fatal(EventCode::PUSH_ERR_AUDIO_ENCODE_FAIL, "audio encoding failed: " + err);
      return false;
    }
  }
  for (auto& p : out) {
    recordAudio(p);
    audioBytes_ += p.data.size() + 2;
    interleaver_.push(std::move(p));
  }
  return true;
}

void PushSession::audioThread() {
  nameThread("ol-push-audio");
  const auto& src = config_.audio;
  int rate = audioRateFor(config_), channels = audioChannelsFor(config_);
  std::unique_ptr<ToneGenerator> tone;
  std::unique_ptr<WavReader> wav;
  std::unique_ptr<AvDeviceAudioSource> mic;
  std::string err;
  switch (src.type) {
    case AudioSourceType::Tone: tone = std::make_unique<ToneGenerator>(rate, channels); break;
    case AudioSourceType::Wav:
      wav = std::make_unique<WavReader>();
      if (!wav->open(src.path.empty() ? "-" : src.path, &err)) return fatal(EventCode::PUSH_ERR_OPEN_MIC_FAIL, err);
      if (!isSupportedInputSampleRate(wav->sampleRate()))
        return fatal(EventCode::PUSH_ERR_UNSUPPORTED_SAMPLERATE,
                     "WAV sample rate " + std::to_string(wav->sampleRate()) + " Hz is not supported");
      rate = wav->sampleRate();
      channels = wav->channels();
      break;
    case AudioSourceType::Microphone:
      mic = std::make_unique<AvDeviceAudioSource>();
      if (!mic->open(src.path, rate, channels, stopping_, &err))
        return fatal(EventCode::PUSH_ERR_OPEN_MIC_FAIL, "microphone " + (src.path.empty() ? std::string("default") : src.path) + ": " + err);
      break;
    default: return;
  }
  if (!waitMediaStart()) return;
  const int chunk = rate / 50;  // 20 ms
  const auto start = Clock::now();
  const int64_t firstPts = mediaNowMs();
  int64_t framesDone = 0;
  std::vector<int16_t> buf;
  while (!stopping_ && !draining_) {
    buf.clear();
    int got = 0;
    if (tone || wav) {
      auto due = start + std::chrono::microseconds(framesDone * 1000000 / rate);
      if (Clock::now() < due && !sleepUntil(due)) break;
    }
    if (tone) {
      tone->generate(chunk, buf);
      got = chunk;
    } else if (wav) {
      got = wav->read(chunk, buf, stopping_);
      if (got <= 0) {
        if (stopping_) break;
        markSourceEnded();
        interleaver_.endTrack(EncodedPacket::Kind::Audio);
        OL_LOGI("push", "WAV source ended");
        return;
      }
    } else if (mic) {
      got = mic->read(buf, stopping_, &err);
      if (got < 0) return fatal(EventCode::PUSH_ERR_OPEN_MIC_FAIL, "microphone capture stopped: " + err);
      if (got == 0) continue;
    }
    if (muted_ || paused_) std::fill(buf.begin(), buf.end(), 0);
    if (!encodeAudio(buf.data(), got, rate, channels, firstPts)) return;
    framesDone += got;
  }
  if (draining_ && !stopping_) flushAudio();
  audioFlushed_ = true;
  interleaver_.endTrack(EncodedPacket::Kind::Audio);
}

void PushSession::flushAudio() {
  std::vector<EncodedPacket> out;
  {
    std::lock_guard lk(audioMu_);
    audioEncoder_.flush(out);
  }
  for (auto& p : out) {
    recordAudio(p);
    audioBytes_ += p.data.size() + 2;
    interleaver_.push(std::move(p), true);
  }
}

bool PushSession::sendCustomAudio(const AudioFrame& f) {
  if (config_.audio.type != AudioSourceType::Custom || stopping_) return false;
  if (!isSupportedInputSampleRate(f.sampleRate)) {
    emit(EventCode::PUSH_ERR_UNSUPPORTED_SAMPLERATE, "custom PCM at " + std::to_string(f.sampleRate) + " Hz not supported");
    return false;
  }
  if (f.channels < 1 || f.channels > 2 || f.frames <= 0 || !f.samples) return false;
  int64_t now = mediaNowMs();
  {
    std::lock_guard lk(clockMu_);
    if (!mediaStarted_) return false;
  }
  std::vector<int16_t> silence;
  const int16_t* data = f.samples;
  if (muted_ || paused_) {
    silence.assign(static_cast<size_t>(f.frames) * f.channels, 0);
    data = silence.data();
  }
  return encodeAudio(data, f.frames, f.sampleRate, f.channels, now);
}

void PushSession::setPaused(bool paused) {
  if (paused && !paused_) pauseStart_ = Clock::now();
  paused_ = paused;
  if (!paused) forceKey_ = true;
  if (!failed_) setState(paused ? PushState::Paused : (linkUp_ ? PushState::Publishing : PushState::Connecting));
}

bool PushSession::queueMessage(const std::vector<uint8_t>& data) {
  if (data.empty() || data.size() > 4096 || stopping_ || !hasVideo_) return false;
  std::lock_guard lk(msgMu_);
  if (messages_.size() >= 64) return false;  // drop-newest
  messages_.push_back(data);
  return true;
}

}  // namespace openlive::detail
