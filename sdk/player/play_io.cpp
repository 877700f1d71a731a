// PlaySession's I/O thread: connect, read, demux into the jitter buffer, and the reconnect policy.
#include "common/clock_ms.h"
#include "common/logging.h"
#include "demux/flv_types.h"
#include "player/play_session.h"
#include "common/clock_ms.h"

#include <chrono>

namespace openlive::player {

namespace {

EventCode warningFor(SourceFailure f) {
  switch (f) {
    case SourceFailure::Dns: return EventCode::PLAY_WARNING_DNS_FAIL;
    case SourceFailure::Tcp: return EventCode::PLAY_WARNING_SEVER_CONN_FAIL;
    case SourceFailure::Handshake: return EventCode::PLAY_WARNING_SHAKE_FAIL;
    case SourceFailure::Closed: return EventCode::PLAY_WARNING_SERVER_DISCONNECT;
    default: return EventCode::PLAY_WARNING_READ_WRITE_FAIL;
  }
}

EventCode finalErrorFor(SourceFailure f) {
  return f == SourceFailure::Refused ? EventCode::PLAY_ERR_SERVER_REFUSE : EventCode::PLAY_ERR_FILE_NOT_FOUND;
}

ParamMap describe(const std::string& why) {
  return why.empty() ? ParamMap{} : ParamMap{{std::string(evt::kDescription), why}};
}
}  // namespace

// What the stream source reports while it reads; one per connection.
class PlaySession::IoListener final : public TagListener {
 public:
  explicit IoListener(PlaySession& s) : s_(s) {}
  void onStreamBegin() override {
    if (begun_) return;
    begun_ = true;
    s_.emit(EventCode::PLAY_EVT_RTMP_STREAM_BEGIN);
  }
  void onTag(uint8_t type, uint32_t ts, const uint8_t* body, size_t n) override {
    if (type != uint8_t(demux::FlvTagType::Script)) {
      if (s_.watchdog_.waitingForRepublish()) OL_LOGI("play", "stream published again; playback continues");
      s_.watchdog_.onMedia(steadyMs());
    }
    s_.demuxer_->pushTag(type, ts, body, n);
  }
  void onPublisherLeft() override {
    if (!s_.watchdog_.waitingForRepublish())
      OL_LOGI("play", "publisher left; waiting %lld ms for a republish", static_cast<long long>(kRepublishGraceMs));
    s_.watchdog_.onPublisherLeft(steadyMs());
  }
  void onVideoAnnounced() override { s_.feed_.expectVideo = true; }

 private:
  PlaySession& s_;
  bool begun_ = false;
};

void PlaySession::newEpoch() {
  // A new connection starts a new timeline epoch: the render thread flushes and restarts at an IDR.
  buffer_.clear();
  demuxer_->reset();
  timeline_.reset();
  feed_.expectVideo = false;
  ++feed_.epoch;
  buffer_.wake();
}

void PlaySession::onDemuxedPacket(demux::MediaPacket&& p) {
  const auto placed = timeline_.place(p);
  if (placed.rebased) {
    OL_LOGW("play", "%s timestamp jump; timeline re-based (offset %lld ms)", p.isVideo() ? "video" : "audio",
            static_cast<long long>(timeline_.offsetMs()));
    emit(EventCode::PLAY_WARNING_VIDEO_DISCONTINUITY, {{std::string(evt::kMsg), "timestamp jump"}});
  } else if (placed.gapMs) {
    emit(EventCode::PLAY_WARNING_VIDEO_DISCONTINUITY,
         {{std::string(evt::kMsg), "video gap of " + std::to_string(*placed.gapMs) + " ms"}});
  }
  (p.isVideo() ? feed_.videoBytes : feed_.audioBytes) += p.data.size();
  recordPacket(p);
  buffer_.push(std::move(p), steadyMs());
}

void PlaySession::onTrackProblem(demux::MediaPacket::Kind kind, const std::string& detail) {
  const bool video = kind == demux::MediaPacket::Kind::Video;
  emit(video ? EventCode::PLAY_WARNING_VIDEO_DECODE_FAIL : EventCode::PLAY_WARNING_AUDIO_DECODE_FAIL,
       {{std::string(evt::kDescription), detail},
        {std::string(evt::kMsg), std::string(video ? "video" : "audio") + " not played: " + detail}});
}

StreamSource::ReadEnd PlaySession::runConnection(SourceError* error, bool* delivered) {
  std::shared_ptr<StreamSource> src =
      type_ == PlayType::Flv ? makeHttpFlvSource(url_) : makeRtmpSource(url_, config_, type_ == PlayType::Rtc);
  {
    std::lock_guard lk(connMu_);
    if (stopping() || controls_->paused) return StreamSource::ReadEnd::Cancelled;
    cancel_.reset();
    source_ = src;
  }
  auto end = StreamSource::ReadEnd::Failed;
  *error = src->connect([this] { emit(EventCode::PLAY_EVT_CONNECT_SUCC); });
  if (error->ok()) {
    {
      std::lock_guard lk(serverMu_);
      serverIp_ = src->serverAddress();
    }
    state_.transition(PlaySessionState::Connecting, PlaySessionState::Playing);
    const uint64_t before = feed_.videoBytes + feed_.audioBytes;
    watchdog_.arm(steadyMs());
    IoListener listener(*this);
    end = src->read(listener, error);
    watchdog_.disarm();
    *delivered = feed_.videoBytes + feed_.audioBytes != before;
  } else if (cancel_.cause() != CancelCause::None) {
    end = StreamSource::ReadEnd::Cancelled;
  }
  {
    std::lock_guard lk(connMu_);
    source_.reset();
  }
  src->close();
  return end;
}

void PlaySession::waitWhilePaused() {
  std::unique_lock lk(waitMu_);
  state_.moveTo(PlaySessionState::Paused);
  waitCv_.wait(lk, [&] { return stopping() || !controls_->paused; });
  if (!stopping()) state_.transition(PlaySessionState::Paused, PlaySessionState::Connecting);
}

bool PlaySession::waitRetryInterval() {
  const auto interval = config_.connectRetryInterval;
  std::unique_lock lk(waitMu_);
  waitCv_.wait_for(lk, interval, [&] { return stopping() || controls_->paused.load(); });
  if (stopping()) return false;
  if (!controls_->paused) state_.transition(PlaySessionState::Reconnecting, PlaySessionState::Connecting);
  return true;
}

// Reports a failed connection; false when the session ends (a final refusal, or the retries are used up).
bool PlaySession::handleFailure(const SourceError& error, int* attempts, bool everConnected) {
  OL_LOGW("play", "%s: %s", toString(error.failure), error.why.c_str());
  if (isFinal(error.failure)) {
    emit(finalErrorFor(error.failure), describe(std::string(toString(error.failure)) + ": " + error.why));
    state_.moveTo(PlaySessionState::Failed);
    return false;
  }
  emit(warningFor(error.failure), describe(error.why));
  if (*attempts >= config_.connectRetryCount) {
    emit(EventCode::PLAY_ERR_NET_DISCONNECT,
         describe(everConnected ? "reconnect attempts used up; last: " + error.why
                                : "never connected: " + error.why));
    state_.moveTo(PlaySessionState::Failed);
    return false;
  }
  ++*attempts;
  state_.moveTo(PlaySessionState::Reconnecting);
  emit(EventCode::PLAY_WARNING_RECONNECT, {{std::string(evt::kParam1), std::to_string(*attempts)}});
  return waitRetryInterval();
}

void PlaySession::ioMain() {
  demux::FlvDemuxer::Callbacks cb;
  cb.onPacket = [this](demux::MediaPacket&& p) { onDemuxedPacket(std::move(p)); };
  cb.onMetadata = [this](const demux::amf0::Value& v) {
    if (v.numberAt("videocodecid") || v.numberAt("width")) feed_.expectVideo = true;
  };
  cb.onAppMessage = [this](std::vector<uint8_t> payload, int64_t) {
    if (!config_.enableMessage) return;
    emit(EventCode::PLAY_EVT_GET_MESSAGE, {{std::string(evt::kGetMsg), std::string(payload.begin(), payload.end())},
                                           {std::string(evt::kGetMsgLength), std::to_string(payload.size())}});
  };
  cb.onWarning = [](const std::string& w) { OL_LOGD("play", "demux: %s", w.c_str()); };
  cb.onTrackProblem = [this](demux::MediaPacket::Kind k, const std::string& d) { onTrackProblem(k, d); };
  demuxer_ = std::make_unique<demux::FlvDemuxer>(cb);

  int attempts = 0;
  bool everConnected = false;
  for (;;) {
    if (controls_->paused) waitWhilePaused();
    if (stopping()) break;
    newEpoch();
    SourceError error;
    bool delivered = false;
    auto end = runConnection(&error, &delivered);
    everConnected = everConnected || state_.state() == PlaySessionState::Playing;
    if (delivered) attempts = 0;  // only a connection that delivered media resets the count
    if (stopping()) break;
    if (end == StreamSource::ReadEnd::Cancelled) {
      const CancelledRead outcome = outcomeOf(cancel_.cause(), controls_->paused);
      if (outcome == CancelledRead::Stop) break;
      if (outcome == CancelledRead::Pause) continue;
      if (outcome == CancelledRead::EndOfStream) end = StreamSource::ReadEnd::EndOfStream;
      else error = {SourceFailure::ReadError, "no media for " + std::to_string(kNoDataMs) + " ms"};
    }
    if (end == StreamSource::ReadEnd::EndOfStream) {
      OL_LOGI("play", "publisher ended the stream");
      if (state_.moveTo(PlaySessionState::Draining)) buffer_.setEndOfStream(true);  // the renderer plays out, then 2006
      break;
    }
    if (!handleFailure(error, &attempts, everConnected)) break;
  }
  // The stream ended (2006) or the session failed: nothing more will arrive, finish the file (1029).
  if (!stopping()) stopRecord();
}

}  // namespace openlive::player
