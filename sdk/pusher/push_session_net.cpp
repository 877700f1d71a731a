// PushSession, network side: connect / publish / send / reconnect on "ol-push-io", net status on
// "ol-push-stat". The media side (capture, encode, packetize) is in push_session.cpp.
#include "pusher/push_session.h"

#include "common/logging.h"
#include "mux/flv_mux.h"

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <cstdio>

namespace openlive::detail {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

int64_t wallNowMs() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double processCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

}  // namespace

// ---------------------------------------------------------------- network

bool PushSession::sendHeaders(transport::RtmpConnection& conn, uint32_t ts) {
  StreamMetadata md;
  md.hasVideo = hasVideo_;
  md.hasAudio = hasAudio_;
  md.width = curWidth_;
  md.height = curHeight_;
  md.fps = video_.fps;
  md.videoKbps = curKbps_;
  md.audioKbps = audioKbpsFor(config_);
  md.audioSampleRate = audioRateFor(config_);
  md.audioChannels = audioChannelsFor(config_);
  Bytes meta = buildMetadataBody(md);
  if (!conn.sendMessage(18, 0, meta.data(), meta.size())) return false;
  if (hasVideo_) {
    Bytes cfg;
    {
      std::lock_guard lk(clockMu_);
      cfg = avcConfig_;
    }
    Bytes body = videoSequenceHeaderBody(cfg);
    if (!conn.sendMessage(9, ts, body.data(), body.size())) return false;
  }
  if (hasAudio_) {
    Bytes body = audioSequenceHeaderBody(asc_);
    if (!conn.sendMessage(8, ts, body.data(), body.size())) return false;
  }
  headersDirty_ = false;
  return true;
}

void PushSession::ioThread() {
  nameThread("ol-push-io");
  transport::ConnectOptions opts;
  opts.publish = true;
  opts.connectTimeout = config_.connectTimeout;
  opts.ioTimeout = config_.ioTimeout;
  opts.tlsAllowSelfSigned = config_.tlsAllowSelfSigned;
  opts.tlsCaFile = config_.tlsCaFile;
  // ~250 ms of the highest total bitrate (the kernel doubles it), at least 16 KiB: enough for the link, small
  // enough that congestion shows up in the send queue, which the adaptive bitrate and drop policy watch.
  opts.sendBufferBytes =
      std::max(16 * 1024, (video_.maxBitrateKbps + audioKbpsFor(config_)) * 1000 / 8 / 4);
  // And at most ~100 ms of it unsent in the kernel: past that the send thread waits, the backlog builds in
  // the send queue, and congestion shows there at once instead of after the socket buffer filled (~1 s).
  opts.notSentLowWatermarkBytes =
      std::max(8 * 1024, (video_.maxBitrateKbps + audioKbpsFor(config_)) * 1000 / 8 / 10);
  int retriesUsed = 0;
  bool everPublished = false;
  while (!stopping_) {
    auto conn = std::make_shared<transport::RtmpConnection>(url_);
    {
      std::lock_guard lk(connMu_);
      if (stopping_) break;
      conn_ = conn;
    }
    transport::ConnectResult r = conn->connect(opts, [this] { emit(EventCode::PUSH_EVT_CONNECT_SUCC, ""); });
    if (stopping_) break;
    if (r.ok()) {
      {
        std::lock_guard lk(connMu_);
        serverIp_ = conn->serverAddress();
      }
      // Wait for the video encoder's SPS/PPS (the video thread opens it; camera opening may take a moment).
      if (hasVideo_) {
        std::unique_lock lk(clockMu_);
        clockCv_.wait(lk, [&] { return videoReady_ || stopping_.load(); });
      }
      if (stopping_) break;
      retriesUsed = 0;
      if (everPublished) {
        queue_.resetToNextIdr();
        forceKey_ = true;
      }
      transport::ReadStatus why = transport::ReadStatus::Error;
      if (sendHeaders(*conn, static_cast<uint32_t>(std::max(ts_.last[0], ts_.last[1]) + config_.timestampOffset.count()))) {
        linkUp_ = true;
        setState(paused_ ? PushState::Paused : PushState::Publishing);
        if (!everPublished) {  // start the media clock before 1002, so the app may send custom frames at once
          everPublished = true;
          std::lock_guard lk(clockMu_);
          epoch_ = Clock::now();
          epochWallMs_ = wallNowMs();
          mediaStarted_ = true;
          clockCv_.notify_all();
        }
        emit(EventCode::PUSH_EVT_PUSH_BEGIN, "", {{std::string(evt::kParam1), conn->serverAddress()}});
        why = sendLoop(*conn);
        linkUp_ = false;
      } else {
        why = conn->lastFailure();
      }
      if (stopping_) break;
      if (why == transport::ReadStatus::Closed)
        emit(EventCode::PUSH_WARNING_SERVER_DISCONNECT, "server closed the connection: " + conn->lastError());
      else
        emit(EventCode::PUSH_WARNING_READ_WRITE_FAIL, "send failed: " + conn->lastError());
    } else {
      using F = transport::ConnectFailure;
      switch (r.failure) {
        case F::Cancelled: break;
        case F::InvalidUrl: fatal(EventCode::PUSH_ERR_INVALID_ADDRESS, r.message); break;
        case F::Dns: emit(EventCode::PUSH_WARNING_DNS_FAIL, r.message); break;
        case F::Tcp: emit(EventCode::PUSH_WARNING_SEVER_CONN_FAIL, r.message); break;
        case F::Handshake:
        case F::Timeout: emit(EventCode::PUSH_WARNING_SHAKE_FAIL, r.message); break;
        case F::Closed: emit(EventCode::PUSH_WARNING_SERVER_DISCONNECT, r.message); break;
        case F::Rejected:
          if (!r.retryable) {
            fatal(EventCode::PUSH_ERR_SERVER_REFUSE, r.message);
          } else {
            OL_LOGW("push", "publish refused (%s), probably a stale session of ours on the server; will retry",
                    r.statusCode.c_str());
            emit(EventCode::PUSH_WARNING_SERVER_DISCONNECT, r.message + "; will retry",
                 {{std::string(evt::kParam1), r.statusCode}});
          }
          break;
        case F::None: break;
      }
      if (r.failure == F::Cancelled || failed_) break;
    }
    conn->close();
    {
      std::lock_guard lk(connMu_);
      conn_.reset();
    }
    if (stopping_) break;
    if (retriesUsed >= config_.connectRetryCount) {
      fatal(EventCode::PUSH_ERR_NET_DISCONNECT,
            "gave up after " + std::to_string(config_.connectRetryCount) + " reconnect attempts");
      break;
    }
    ++retriesUsed;
    setState(PushState::Reconnecting);
    if (!sleepUntil(Clock::now() + config_.connectRetryInterval)) break;
    emit(EventCode::PUSH_WARNING_RECONNECT,
         "reconnecting, attempt " + std::to_string(retriesUsed) + " of " + std::to_string(config_.connectRetryCount),
         {{std::string(evt::kParam1), std::to_string(retriesUsed)},
          {std::string(evt::kParam2), std::to_string(config_.connectRetryCount)}});
  }
  std::shared_ptr<transport::RtmpConnection> last;
  {
    std::lock_guard lk(connMu_);
    last = std::move(conn_);
  }
  if (last) last->close();
  ioDone_ = true;
}

transport::ReadStatus PushSession::sendLoop(transport::RtmpConnection& conn) {
  TsState& ts = ts_;
  bool waitIdr = hasVideo_;  // after (re)sent headers the media starts at an IDR
  while (!stopping_) {
    if (!conn.pollIncoming()) return stopping_ ? transport::ReadStatus::Cancelled : conn.lastFailure();
    auto p = queue_.pop(milliseconds(20));
    if (!p) {
      interleaver_.releaseExpired();
      if (sourceEndDts_ != INT64_MAX && interleaver_.held() == 0 && queue_.empty() && !sourceEndFired_.exchange(true)) {
        detail::postCallbackWith(dispatcher_, callbacks_, &PusherCallbacks::onSourceEnd);
      }
      continue;
    }
    if (p->isHeader()) {  // the encoder was reopened at a new size: metadata + sequence header, in stream order
      StreamMetadata md;
      md.hasVideo = hasVideo_;
      md.hasAudio = hasAudio_;
      md.width = p->header->width;
      md.height = p->header->height;
      md.fps = video_.fps;
      md.videoKbps = p->header->kbps;
      md.audioKbps = audioKbpsFor(config_);
      md.audioSampleRate = audioRateFor(config_);
      md.audioChannels = audioChannelsFor(config_);
      Bytes meta = buildMetadataBody(md);
      Bytes body = videoSequenceHeaderBody(p->header->avcc);
      const auto t = static_cast<uint32_t>(ts.last[1] + config_.timestampOffset.count());
      if (!conn.sendMessage(18, 0, meta.data(), meta.size()) || !conn.sendMessage(9, t, body.data(), body.size()))
        return stopping_ ? transport::ReadStatus::Cancelled : conn.lastFailure();
      continue;  // the old encoder was flushed before it: the next video is the new encoder's IDR

    }
    if (waitIdr) {
      if (!(p->isVideo() && p->keyframe)) continue;  // media starts at an IDR
      waitIdr = false;
    }
    if (!ts.baseSet) {
      ts.base = p->dtsMs;
      ts.baseSet = true;
    }
    if (headersDirty_ &&
        !sendHeaders(conn, static_cast<uint32_t>(std::max(ts.last[0], ts.last[1]) + config_.timestampOffset.count())))
      return conn.lastFailure();
    const int track = p->isVideo() ? 1 : 0;
    int64_t t = std::max<int64_t>(0, p->dtsMs - ts.base);
    if (t < ts.last[track]) t = ts.last[track];
    ts.last[track] = t;
    t += config_.timestampOffset.count();
    Bytes body = p->isVideo() ? videoFrameBody(p->data, p->keyframe, static_cast<int32_t>(p->ptsMs - p->dtsMs))
                              : audioFrameBody(p->data.data(), p->data.size());
    if (!conn.sendMessage(p->isVideo() ? 9 : 8, static_cast<uint32_t>(t), body.data(), body.size()))
      return stopping_ ? transport::ReadStatus::Cancelled : conn.lastFailure();
    netBytes_ += body.size();
    if (!p->isVideo()) netAudioBytes_ += body.size();
  }
  OL_LOGI("push", "send loop ends at %lld ms (audio) / %lld ms (video)", static_cast<long long>(ts.last[0]),
          static_cast<long long>(ts.last[1]));
  return transport::ReadStatus::Cancelled;
}

// ---------------------------------------------------------------- statistics

void PushSession::controlTick(Clock::time_point now) {
  const int64_t queueMs = queue_.durationMs();
  if (!linkUp_ || paused_) {
    tpHistory_.clear();
    rttHistory_.clear();
    return;
  }
  if (queueMs > config_.netBusyThreshold.count() && now - lastBusyWarn_ >= std::chrono::seconds(5)) {
    lastBusyWarn_ = now;
    emit(EventCode::PUSH_WARNING_NET_BUSY,
         "uplink too slow: " + std::to_string(queueMs) + " ms of media waiting to be sent",
         {{std::string(evt::kParam1), std::to_string(queueMs)}});
  }
  if (!abr_) return;
  std::shared_ptr<transport::RtmpConnection> conn;
  {
    std::lock_guard lk(connMu_);
    conn = conn_;
  }
  const int64_t rtt = conn ? conn->smoothedRttUs() : -1;
  const int64_t acked = conn ? conn->bytesAcked() : -1;
  // Video the link delivered over the last ~2 s: bytes the peer acknowledged (what the network delivered; the
  // bytes the socket took also count what only went into flight, into a shaper's queue), minus audio. Without
  // TCP_INFO (rtmps), the bytes the socket took. And over the last ~1 s, next to what the encoder produced
  // then: the early sign of a bottleneck whose buffer the socket cannot see.
  tpHistory_.push_back({now, netBytes_.load(), netAudioBytes_.load(), acked, videoBytes_.load()});
  while (tpHistory_.size() > 2 && now - tpHistory_[1].t >= milliseconds(2000)) tpHistory_.erase(tpHistory_.begin());
  auto deliveredKbps = [](const TpSample& a, const TpSample& b) -> int64_t {
    const double secs = std::chrono::duration<double>(b.t - a.t).count();
    if (secs < 0.5) return -1;
    const int64_t audio = static_cast<int64_t>(b.audio - a.audio);
    const int64_t total =
        a.acked >= 0 && b.acked >= a.acked ? b.acked - a.acked : static_cast<int64_t>(b.net - a.net);
    return static_cast<int64_t>(static_cast<double>(std::max<int64_t>(0, total - audio)) * 8 / secs / 1000);
  };
  const TpSample& last = tpHistory_.back();
  BitrateController::Input in;
  if (now - tpHistory_.front().t >= milliseconds(1000)) in.throughputKbps = deliveredKbps(tpHistory_.front(), last);
  // The newest sample at least 1 s old.
  for (auto it = tpHistory_.rbegin(); it != tpHistory_.rend(); ++it) {
    if (now - it->t < milliseconds(1000)) continue;
    in.recentDeliveredKbps = deliveredKbps(*it, last);
    const double secs = std::chrono::duration<double>(last.t - it->t).count();
    in.recentProducedKbps = static_cast<int64_t>(static_cast<double>(last.produced - it->produced) * 8 / secs / 1000);
    break;
  }
  const int64_t tpKbps = in.throughputKbps;
  // The network's own queue: smoothed RTT above the path's base RTT (the minimum over 30 s). A shaper holds
  // a backlog there before the socket pushes back (tbf: up to its latency limit, then losses); counting it
  // lets the controller react before the send queue grows.
  int64_t netQueueMs = 0;
  if (rtt > 0) {
    rttHistory_.emplace_back(now, rtt);
    while (now - rttHistory_.front().first > std::chrono::seconds(30)) rttHistory_.pop_front();
    int64_t base = rtt;
    for (const auto& [t, r] : rttHistory_) base = std::min(base, r);
    netQueueMs = (rtt - base) / 1000;
  }
  const int64_t nowMs = std::chrono::duration_cast<milliseconds>(now.time_since_epoch()).count();
  in.queueMs = queueMs + netQueueMs;
  OL_LOGD("push", "abr tick: queue %lld + %lld ms, delivered %lld kbps / 2 s, %lld of %lld kbps / 1 s",
          static_cast<long long>(queueMs), static_cast<long long>(netQueueMs), static_cast<long long>(in.throughputKbps),
          static_cast<long long>(in.recentDeliveredKbps), static_cast<long long>(in.recentProducedKbps));
  BitrateController::Decision d = abr_->update(nowMs, in);
  if (!d.bitrateChanged && !d.resolutionChanged) return;
  if (d.bitrateChanged) {
    OL_LOGI("push",
            "bitrate %d -> %d kbps (queue %lld ms + %lld ms in the network, video delivered %lld kbps over 2 s, "
            "%lld of %lld produced over 1 s)",
            curKbps_.load(), d.kbps, static_cast<long long>(queueMs), static_cast<long long>(netQueueMs),
            static_cast<long long>(tpKbps), static_cast<long long>(in.recentDeliveredKbps),
            static_cast<long long>(in.recentProducedKbps));
    curKbps_ = d.kbps;
    pendingKbps_ = d.kbps;
    emit(EventCode::PUSH_EVT_CHANGE_BITRATE, "video bitrate changed to " + std::to_string(d.kbps) + " kbps",
         {{std::string(evt::kParam1), std::to_string(d.kbps)}});
  }
  if (d.resolutionChanged) pendingRung_ = d.rung;
}

void PushSession::statThread() {
  nameThread("ol-push-stat");
  auto last = Clock::now();
  double lastCpu = processCpuSeconds();
  uint64_t lastV = 0, lastA = 0, lastF = 0, lastN = 0;
  const auto interval = std::max(config_.netStatusInterval, milliseconds(100));
  const auto tick = milliseconds(200);
  auto nextStatus = last + interval;
  auto nextTick = last + tick;
  while (sleepUntil(std::min(nextStatus, nextTick))) {
    auto now = Clock::now();
    if (now >= nextTick) {
      controlTick(now);
      nextTick = now + tick;
    }
    if (now < nextStatus) continue;
    nextStatus = now + interval;
    double secs = std::chrono::duration<double>(now - last).count();
    double cpu = processCpuSeconds();
    uint64_t v = videoBytes_, a = audioBytes_, f = videoFrames_, n = netBytes_;
    NetStatus st;
    auto put = [&](std::string_view k, std::string val) { st.values[std::string(k)] = std::move(val); };
    auto num = [](double x) {
      char b[32];
      std::snprintf(b, sizeof b, "%.1f", x);
      return std::string(b);
    };
    put(net::kCpuUsage, num(100.0 * (cpu - lastCpu) / secs));
    put(net::kVideoWidth, std::to_string(hasVideo_ ? curWidth_.load() : 0));
    put(net::kVideoHeight, std::to_string(hasVideo_ ? curHeight_.load() : 0));
    put(net::kVideoFps, num((f - lastF) / secs));
    put(net::kVideoGop, num(video_.gopSeconds));
    put(net::kVideoBitrate, std::to_string(static_cast<int64_t>((v - lastV) * 8 / secs / 1000)));
    put(net::kAudioBitrate, std::to_string(static_cast<int64_t>((a - lastA) * 8 / secs / 1000)));
    put(net::kNetSpeed, std::to_string(static_cast<int64_t>((n - lastN) * 8 / secs / 1000)));
    put(net::kSetVideoBitrate, std::to_string(hasVideo_ ? curKbps_.load() : 0));
    put(net::kCacheSize, std::to_string(queue_.durationMs()));
    put(net::kDropSize, std::to_string(queue_.dropped()));
    put(net::kAudioInfo, std::to_string(audioRateFor(config_)) + "," + std::to_string(audioChannelsFor(config_)));
    {
      std::lock_guard lk(connMu_);
      put(net::kServerIp, serverIp_);
    }
    put("STATE", std::string(toString(state_.load())));
    last = now;
    lastCpu = cpu;
    lastV = v;
    lastA = a;
    lastF = f;
    lastN = n;
    detail::postCallbackWith(dispatcher_, callbacks_, &PusherCallbacks::onNetStatus, std::move(st));
  }
}

}  // namespace openlive::detail
