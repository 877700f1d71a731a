// PlaySession: lifecycle, events and the I/O thread (connect, read, demux, reconnect).
#include "player/play_session.h"

#include "common/logging.h"
#include "transport/http_flv_reader.h"
#include "transport/rtmp_connection.h"

#include <pthread.h>
#include <signal.h>

#include <chrono>

namespace openlive::player {

namespace {
int64_t wallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
void blockSigpipe() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &s, nullptr);
}
EventCode mapConnectFailure(transport::ConnectFailure f) {
  using F = transport::ConnectFailure;
  switch (f) {
    case F::Dns: return EventCode::PLAY_WARNING_DNS_FAIL;
    case F::Tcp: return EventCode::PLAY_WARNING_SEVER_CONN_FAIL;
    case F::Handshake:
    case F::Timeout: return EventCode::PLAY_WARNING_SHAKE_FAIL;
    case F::Closed:
    case F::Rejected: return EventCode::PLAY_WARNING_SERVER_DISCONNECT;
    default: return EventCode::PLAY_WARNING_READ_WRITE_FAIL;
  }
}
}  // namespace

jitter::CacheSettings cacheSettingsFor(const PlayConfig& c, bool rtc) {
  if (rtc) return jitter::cacheRtc();
  jitter::CacheSettings s;
  s.rtc = false;
  s.autoAdjust = c.autoAdjustCache;
  s.fixedMs = static_cast<int64_t>(c.cacheTime * 1000);
  s.minMs = static_cast<int64_t>(c.minCacheTime * 1000);
  s.maxMs = std::max(s.minMs, static_cast<int64_t>(c.maxCacheTime * 1000));
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
      controls_(std::move(controls)) {
  buffer_.setJitterFollowsVideo(type_ == PlayType::Rtc);
  if (type_ == PlayType::Rtc) buffer_.setJitterWindow(kRtcJitterWindowMs);
}

PlaySession::~PlaySession() { stop(); }

void PlaySession::start() {
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
    stop_ = true;
  }
  waitCv_.notify_all();
  {
    std::lock_guard lk(connMu_);
    if (rtmp_) rtmp_->cancel();
    if (http_) http_->cancel();
  }
  buffer_.wake();
  if (io_.joinable()) io_.join();
  if (render_.joinable()) render_.join();
  recordQuiet_ = true;  // no callback after stop() returns: the file is finished, its 1029 not sent
  recordGate_->close();
  stopRecord();
  aux_.shutdown();
  dispatcher_.shutdown();
  finished_ = true;
}

void PlaySession::pause() {
  controls_->paused = true;
  std::lock_guard lk(connMu_);
  if (rtmp_) rtmp_->cancel();
  if (http_) http_->cancel();
}

void PlaySession::resume() {
  {
    std::lock_guard lk(waitMu_);
    controls_->paused = false;
  }
  waitCv_.notify_all();
}

void PlaySession::emit(EventCode code, ParamMap extra) {
  Event ev;
  ev.code = code;
  ev.params = std::move(extra);
  if (!ev.params.count(evt::kMsg)) ev.params.emplace(std::string(evt::kMsg), std::string(eventMessage(code)));
  ev.params[std::string(evt::kTime)] = std::to_string(wallMs());
  if (code != EventCode::PLAY_EVT_GET_MESSAGE)
    OL_LOGI("play", "event %d %s: %s", toInt(code), std::string(eventName(code)).c_str(), ev.message().c_str());
  detail::postCallbackWith(dispatcher_, callbacks_, &CallbackSet::onEvent, std::move(ev));
}

void PlaySession::emitNetStatus(ParamMap values) {
  NetStatus st;
  st.values = std::move(values);
  detail::postCallbackWith(dispatcher_, callbacks_, &CallbackSet::onNetStatus, std::move(st));
}

void PlaySession::finish() {
  finished_ = true;
  buffer_.wake();
}

bool PlaySession::waitInterruptible(std::chrono::milliseconds d) {
  std::unique_lock lk(waitMu_);
  waitCv_.wait_for(lk, d, [&] { return stop_.load(); });
  return !stop_;
}

void PlaySession::checkNoData() {
  if (!reading_ || watchdogFired_ || stop_ || controls_->paused) return;
  const bool waitingForRepublish = unpublished_;
  const int64_t limit = waitingForRepublish ? kRepublishGraceMs : kNoDataMs;
  if (steadyMs() - lastMediaMs_ <= limit) return;
  if (waitingForRepublish)
    OL_LOGI("play", "no republish within %lld ms: the stream has ended", static_cast<long long>(limit));
  else
    OL_LOGW("play", "no media for %lld ms while playing: reconnecting", static_cast<long long>(limit));
  watchdogNoRepublish_ = waitingForRepublish;
  watchdogFired_ = true;
  std::lock_guard lk(connMu_);
  if (rtmp_) rtmp_->cancel();
  if (http_) http_->cancel();
}

void PlaySession::closeTransport() {
  std::shared_ptr<transport::RtmpConnection> r;
  std::shared_ptr<transport::HttpFlvReader> h;
  {
    std::lock_guard lk(connMu_);
    r = std::move(rtmp_);
    h = std::move(http_);
  }
  if (r) r->close();
  if (h) h->close();
}

// ---------------------------------------------------------------------------------------------- I/O thread

void PlaySession::onDemuxedPacket(demux::MediaPacket&& p) {
  // Timeline: a jump of the incoming timestamps (server restart, publisher change) is folded into an offset so
  // the buffer stays continuous; a forward gap in video is a discontinuity (2107).
  const bool video = p.isVideo();
  int64_t ts = (video ? p.dtsMs : p.ptsMs) + tsOffset_;
  auto& last = video ? lastVideoDts_ : lastAudioPts_;
  if (last && (ts < *last - 1000 || ts > *last + 10000)) {
    int64_t newOffset = *last + (video ? 33 : 23) - (video ? p.dtsMs : p.ptsMs);
    OL_LOGW("play", "%s timestamp jump %lld -> %lld ms; timeline re-based", video ? "video" : "audio",
            static_cast<long long>(*last), static_cast<long long>(ts));
    tsOffset_ = newOffset;
    ts = (video ? p.dtsMs : p.ptsMs) + tsOffset_;
    // The shared offset re-bases both tracks, so whichever track sees the jump first reports it.
    emit(EventCode::PLAY_WARNING_VIDEO_DISCONTINUITY, {{std::string(evt::kMsg), "timestamp jump"}});
  } else if (video && last && ts > *last + 1000) {
    emit(EventCode::PLAY_WARNING_VIDEO_DISCONTINUITY,
         {{std::string(evt::kMsg), "video gap of " + std::to_string(ts - *last) + " ms"}});
  }
  p.dtsMs += tsOffset_;
  p.ptsMs += tsOffset_;
  if (!last || ts > *last) last = ts;
  (video ? videoBytes_ : audioBytes_) += p.data.size();
  recordPacket(p);
  buffer_.push(std::move(p), steadyMs());
}

bool PlaySession::connectRtmp(EventCode* failCode, std::string* why) {
  auto conn = std::make_shared<transport::RtmpConnection>(url_);
  {
    std::lock_guard lk(connMu_);
    if (stop_ || controls_->paused) return false;
    rtmp_ = conn;
  }
  transport::ConnectOptions opt;
  opt.publish = false;
  opt.playBuffer = std::chrono::milliseconds(type_ == PlayType::Rtc ? 100 : 1000);
  opt.ioTimeout = std::chrono::milliseconds(5000);  // play-read timeout: no data this long -> 3005, reconnect
  opt.tlsAllowSelfSigned = config_.tlsAllowSelfSigned;
  opt.tlsCaFile = config_.tlsCaFile;
  auto res = conn->connect(opt, [this] { emit(EventCode::PLAY_EVT_CONNECT_SUCC); });
  if (!res.ok()) {
    *failCode = mapConnectFailure(res.failure);
    *why = res.message;
    return false;
  }
  {
    std::lock_guard lk(serverMu_);
    serverIp_ = conn->serverAddress();
  }
  emit(EventCode::PLAY_EVT_RTMP_STREAM_BEGIN);
  return true;
}

bool PlaySession::connectHttp(EventCode* failCode, std::string* why) {
  auto reader = std::make_shared<transport::HttpFlvReader>(url_);
  {
    std::lock_guard lk(connMu_);
    if (stop_ || controls_->paused) return false;
    http_ = reader;
  }
  auto f = reader->open(std::chrono::milliseconds(5000), why);
  switch (f) {
    case transport::HttpFlvReader::OpenFailure::None: break;
    case transport::HttpFlvReader::OpenFailure::Dns: *failCode = EventCode::PLAY_WARNING_DNS_FAIL; return false;
    case transport::HttpFlvReader::OpenFailure::Http:
      *failCode = EventCode::PLAY_WARNING_SERVER_DISCONNECT;
      return false;
    default: *failCode = EventCode::PLAY_WARNING_SEVER_CONN_FAIL; return false;
  }
  {
    std::lock_guard lk(serverMu_);
    serverIp_ = reader->serverAddress();
  }
  emit(EventCode::PLAY_EVT_CONNECT_SUCC);
  return true;
}

PlaySession::ReadEnd PlaySession::readRtmp(EventCode* failCode) {
  std::shared_ptr<transport::RtmpConnection> conn;
  {
    std::lock_guard lk(connMu_);
    conn = rtmp_;
  }
  transport::RtmpMessage msg;
  for (;;) {
    if (stop_) return ReadEnd::Stopped;
    auto st = conn->readMessage(msg);
    switch (st) {
      case transport::ReadStatus::Message:
        if (!msg.statusCode.empty()) {
          OL_LOGI("play", "onStatus %s", msg.statusCode.c_str());
          if (msg.statusCode == "NetStream.Play.UnpublishNotify" || msg.statusCode == "NetStream.Play.Stop" ||
              msg.statusCode == "NetStream.Play.Complete" || msg.statusCode == "UserControl.StreamEOF") {
            // The publisher left. A server keeps the subscription (nginx-rtmp sends PublishNotify and the new
            // media when someone publishes again, e.g. a pusher reconnecting after it was dropped as idle), so
            // wait a little for that before ending with 2006; the watchdog ends the wait.
            if (!unpublished_) OL_LOGI("play", "publisher left; waiting %lld ms for a republish",
                                       static_cast<long long>(kRepublishGraceMs));
            lastMediaMs_ = steadyMs();
            unpublished_ = true;
            continue;
          }
          if (msg.statusCode == "NetStream.Play.StreamNotFound" || msg.statusCode == "NetStream.Play.Failed") {
            *failCode = EventCode::PLAY_WARNING_SERVER_DISCONNECT;
            return ReadEnd::Failed;
          }
          continue;
        }
        if (msg.type == 8 || msg.type == 9 || msg.type == 18) {
          if (msg.type != 18) {
            if (unpublished_) OL_LOGI("play", "stream published again; playback continues");
            unpublished_ = false;
            lastMediaMs_ = steadyMs();
          }
          demuxer_->pushTag(msg.type, msg.timestamp, msg.body.data(), msg.body.size());
        }
        break;
      case transport::ReadStatus::Cancelled:
        if (stop_) return ReadEnd::Stopped;
        if (watchdogFired_) {
          if (watchdogNoRepublish_) return ReadEnd::EndOfStream;
          *failCode = EventCode::PLAY_WARNING_READ_WRITE_FAIL;
          return ReadEnd::Failed;
        }
        return ReadEnd::Paused;
      case transport::ReadStatus::Closed:
        if (unpublished_) return ReadEnd::EndOfStream;  // the server ended the stream, then closed
        *failCode = EventCode::PLAY_WARNING_SERVER_DISCONNECT;
        return ReadEnd::Failed;
      case transport::ReadStatus::Timeout:
      case transport::ReadStatus::Error:
        if (unpublished_) return ReadEnd::EndOfStream;
        *failCode = EventCode::PLAY_WARNING_READ_WRITE_FAIL;
        return ReadEnd::Failed;
    }
  }
}

PlaySession::ReadEnd PlaySession::readHttp(EventCode* failCode) {
  std::shared_ptr<transport::HttpFlvReader> reader;
  {
    std::lock_guard lk(connMu_);
    reader = http_;
  }
  bool begun = false;
  demux::FlvStreamParser parser(
      [this](uint8_t type, uint32_t ts, const uint8_t* body, size_t n) { demuxer_->pushTag(type, ts, body, n); },
      [this](const std::string& w) {
        int folded = 0;
        if (demuxWarn_.allow(&folded)) OL_LOGW("play", "%s (%d similar folded)", w.c_str(), folded);
      });
  std::vector<uint8_t> buf(64 * 1024);
  for (;;) {
    if (stop_) return ReadEnd::Stopped;
    size_t got = 0;
    auto st = reader->read(buf.data(), buf.size(), &got);
    switch (st) {
      case transport::HttpFlvReader::Status::Ok:
        if (got > 0) lastMediaMs_ = steadyMs();
        parser.feed(buf.data(), got);
        if (!begun && parser.headerSeen()) {
          begun = true;
          if (parser.hasVideo()) expectVideo_ = true;
          emit(EventCode::PLAY_EVT_RTMP_STREAM_BEGIN);
        }
        if (!parser.headerSeen() && parser.garbageBytes() > 1024 * 1024) {
          OL_LOGW("play", "HTTP-FLV: no FLV header in the first MiB; giving up on this connection");
          *failCode = EventCode::PLAY_WARNING_READ_WRITE_FAIL;
          return ReadEnd::Failed;
        }
        break;
      case transport::HttpFlvReader::Status::Eof:
        if (parser.pendingBytes() > 0)
          OL_LOGW("play", "HTTP-FLV: stream ended inside a tag (%zu bytes dropped)", parser.pendingBytes());
        return ReadEnd::EndOfStream;
      case transport::HttpFlvReader::Status::Cancelled:
        if (stop_) return ReadEnd::Stopped;
        if (watchdogFired_) {
          *failCode = EventCode::PLAY_WARNING_READ_WRITE_FAIL;
          return ReadEnd::Failed;
        }
        return ReadEnd::Paused;
      case transport::HttpFlvReader::Status::Timeout:
      case transport::HttpFlvReader::Status::Error:
        *failCode = EventCode::PLAY_WARNING_READ_WRITE_FAIL;
        return ReadEnd::Failed;
    }
  }
}

void PlaySession::ioMain() {
  const bool http = type_ == PlayType::Flv;
  int attempts = 0;
  demux::FlvDemuxer::Callbacks cb;
  cb.onPacket = [this](demux::MediaPacket&& p) { onDemuxedPacket(std::move(p)); };
  cb.onMetadata = [this](const demux::amf0::Value& v) {
    if (auto fps = v.numberAt("framerate")) metaFps_ = static_cast<int>(*fps + 0.5);
    if (v.numberAt("videocodecid") || v.numberAt("width")) expectVideo_ = true;
  };
  cb.onAppMessage = [this](std::vector<uint8_t> payload, int64_t) {
    if (!config_.enableMessage) return;
    emit(EventCode::PLAY_EVT_GET_MESSAGE, {{std::string(evt::kGetMsg), std::string(payload.begin(), payload.end())},
                                           {std::string(evt::kGetMsgLength), std::to_string(payload.size())}});
  };
  cb.onWarning = [this](const std::string& w) {
    int folded = 0;
    if (demuxWarn_.allow(&folded)) OL_LOGW("play", "%s (%d similar folded)", w.c_str(), folded);
  };
  demuxer_ = std::make_unique<demux::FlvDemuxer>(cb);

  while (!stop_) {
    if (controls_->paused) {
      std::unique_lock lk(waitMu_);
      waitCv_.wait(lk, [&] { return stop_ || !controls_->paused; });
      continue;
    }
    // A new connection starts a new timeline epoch: the render thread flushes and restarts at an IDR.
    buffer_.clear();
    demuxer_->reset();
    tsOffset_ = 0;
    lastVideoDts_.reset();
    lastAudioPts_.reset();
    expectVideo_ = false;
    ++epoch_;
    buffer_.wake();

    EventCode fail = EventCode::PLAY_WARNING_READ_WRITE_FAIL;
    std::string why;
    bool ok = http ? connectHttp(&fail, &why) : connectRtmp(&fail, &why);
    ReadEnd end = ReadEnd::Failed;
    if (ok) {
      uint64_t before = videoBytes_ + audioBytes_;
      unpublished_ = false;
      watchdogFired_ = false;
      lastMediaMs_ = steadyMs();
      reading_ = true;
      end = http ? readHttp(&fail) : readRtmp(&fail);
      reading_ = false;
      if (watchdogFired_ && end == ReadEnd::Failed && why.empty())
        why = "no media for " + std::to_string(kNoDataMs) + " ms";
      if (videoBytes_ + audioBytes_ != before) attempts = 0;  // only a connection that delivered media counts
    } else if (stop_) {
      end = ReadEnd::Stopped;
    } else if (controls_->paused) {
      end = ReadEnd::Paused;
    }
    closeTransport();
    if (end == ReadEnd::Stopped || stop_) break;
    if (end == ReadEnd::Paused) continue;
    if (end == ReadEnd::EndOfStream) {
      OL_LOGI("play", "publisher ended the stream");
      buffer_.setEndOfStream(true);
      break;  // the render thread plays out the buffer, then reports 2006
    }
    emit(fail, why.empty() ? ParamMap{} : ParamMap{{std::string(evt::kDescription), why}});
    if (attempts >= config_.connectRetryCount) {
      emit(EventCode::PLAY_ERR_NET_DISCONNECT);
      finish();
      break;
    }
    ++attempts;
    emit(EventCode::PLAY_WARNING_RECONNECT, {{std::string(evt::kParam1), std::to_string(attempts)}});
    if (!waitInterruptible(std::chrono::milliseconds(static_cast<int64_t>(config_.connectRetryInterval * 1000))))
      break;
  }
  // The stream ended (2006) or the retries ran out (-2301): nothing more will arrive, finish the file (1029).
  if (!stop_) stopRecord();
}

}  // namespace openlive::player
