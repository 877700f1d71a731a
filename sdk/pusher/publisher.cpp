#include "pusher/publisher.h"

#include "common/logging.h"
#include "pusher/push_params.h"

#include <pthread.h>

#include <algorithm>

namespace openlive::detail {
namespace {
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
}  // namespace

Publisher::Publisher(const PushConfig& config, std::string url, StreamInfo info, Deps deps)
    : config_(config),
      url_(std::move(url)),
      d_(std::move(deps)),
      writer_(info, config.timestampOffset.count(), d_.stats) {}

transport::ConnectOptions Publisher::connectOptions() const {
  transport::ConnectOptions opts;
  opts.publish = true;
  opts.connectTimeout = config_.connectTimeout;
  opts.ioTimeout = config_.ioTimeout;
  opts.tlsAllowSelfSigned = config_.tlsAllowSelfSigned;
  opts.tlsCaFile = config_.tlsCaFile;
  const int maxKbps = resolveVideoParams(config_).maxBitrateKbps + audioKbpsFor(config_);
  // ~250 ms of the highest total bitrate (the kernel doubles it), at least 16 KiB: enough for the link, small
  // enough that congestion shows up in the send queue, which the adaptive bitrate and drop policy watch.
  opts.sendBufferBytes = std::max(16 * 1024, maxKbps * 1000 / 8 / 4);
  // And at most ~100 ms of it unsent in the kernel: past that the send thread waits, the backlog builds in the
  // send queue, and congestion shows there at once instead of after the socket buffer filled (~1 s).
  opts.notSentLowWatermarkBytes = std::max(8 * 1024, maxKbps * 1000 / 8 / 10);
  return opts;
}

std::shared_ptr<transport::RtmpConnection> Publisher::connection() const {
  std::lock_guard lk(mu_);
  return conn_;
}

std::string Publisher::serverIp() const {
  std::lock_guard lk(mu_);
  return serverIp_;
}

void Publisher::cancel() {
  std::lock_guard lk(mu_);
  if (conn_) conn_->cancel();
}

void Publisher::run() {
  pthread_setname_np(pthread_self(), "ol-push-io");
  const transport::ConnectOptions opts = connectOptions();
  int retriesUsed = 0;
  while (!d_.signal.stopping()) {
    bool published = false;
    if (!attempt(opts, published)) break;
    if (published) retriesUsed = 0;
    if (d_.signal.stopping()) break;
    if (retriesUsed >= config_.connectRetryCount) {
      d_.events.fatal(EventCode::PUSH_ERR_NET_DISCONNECT,
                      "gave up after " + std::to_string(config_.connectRetryCount) + " reconnect attempts");
      break;
    }
    ++retriesUsed;
    d_.state.apply(SessionEvent::LinkLost);
    if (!d_.signal.sleepUntil(Clock::now() + config_.connectRetryInterval)) break;
    d_.events.emit(EventCode::PUSH_WARNING_RECONNECT,
                   "reconnecting, attempt " + std::to_string(retriesUsed) + " of " +
                       std::to_string(config_.connectRetryCount),
                   {{std::string(evt::kParam1), std::to_string(retriesUsed)},
                    {std::string(evt::kParam2), std::to_string(config_.connectRetryCount)}});
  }
  std::shared_ptr<transport::RtmpConnection> last;
  {
    std::lock_guard lk(mu_);
    last = std::move(conn_);
  }
  if (last) last->close();  // politely: FCUnpublish, deleteStream
  done_ = true;
  d_.signal.notify();
}

bool Publisher::attempt(const transport::ConnectOptions& opts, bool& published) {
  auto conn = std::make_shared<transport::RtmpConnection>(url_);
  {
    std::lock_guard lk(mu_);
    if (d_.signal.stopping()) return false;
    conn_ = conn;
  }
  const transport::ConnectResult r = conn->connect(opts, [this] { d_.events.emit(EventCode::PUSH_EVT_CONNECT_SUCC); });
  if (d_.signal.stopping()) return false;
  bool retry = true;
  if (!r.ok()) {
    retry = reportConnectFailure(r);
  } else {
    {
      std::lock_guard lk(mu_);
      serverIp_ = conn->serverAddress();
    }
    // The video encoder's SPS/PPS first (the capture thread opens it; a camera may take a moment).
    if (config_.video.type != VideoSourceType::None) d_.signal.wait([&] { return d_.headers.video() != nullptr; });
    if (everPublished_ && !d_.signal.stopping()) {  // what waited through the outage restarts at an IDR
      d_.queue.resetToNextIdr();
      if (d_.requestKeyframe) d_.requestKeyframe();
    }
    transport::ReadStatus why = conn->lastFailure();
    if (!d_.signal.stopping() && writer_.begin(*conn, d_.headers)) {
      published = everPublished_ = true;
      d_.clock.start();  // before 1002, so the app may send custom frames at once
      d_.state.apply(SessionEvent::LinkUp);
      d_.events.emit(EventCode::PUSH_EVT_PUSH_BEGIN, "", {{std::string(evt::kParam1), conn->serverAddress()}});
      why = sendLoop(*conn);
    }
    if (!d_.signal.stopping() && conn->lastRefusal() != transport::Refusal::None) {
      // Publish.Start, then the link closed before the server took any media: node-media-server's refusal.
      d_.events.fatal(EventCode::PUSH_ERR_SERVER_REFUSE,
                      std::string("server refused the publish (") + toString(conn->lastRefusal()) + ")");
      retry = false;
    } else if (!d_.signal.stopping()) {
      if (why == transport::ReadStatus::Closed)
        d_.events.emit(EventCode::PUSH_WARNING_SERVER_DISCONNECT, "server closed the connection: " + conn->lastError());
      else
        d_.events.emit(EventCode::PUSH_WARNING_READ_WRITE_FAIL, "send failed: " + conn->lastError());
    }
  }
  conn->close();
  {
    std::lock_guard lk(mu_);
    conn_.reset();
  }
  return retry && !d_.signal.stopping();
}

bool Publisher::reportConnectFailure(const transport::ConnectResult& r) {
  using F = transport::ConnectFailure;
  using R = transport::Refusal;
  // A refusal (a bad or expired signature, a forbidden name: Publish.Forbidden/Unauthorized, an _error to
  // publish, or a link closed right after publish as nginx-rtmp does for a refused on_publish) is final. Only
  // "already publishing" (BadName, often our own stale session) is retried.
  if (r.refusal == R::Refused || r.refusal == R::NotFound || r.refusal == R::ClosedAfterStart) {
    d_.events.fatal(EventCode::PUSH_ERR_SERVER_REFUSE,
                    "server refused the publish (" + std::string(toString(r.refusal)) + "): " + r.message);
    return false;
  }
  switch (r.failure) {
    case F::Cancelled: return false;
    case F::InvalidUrl: d_.events.fatal(EventCode::PUSH_ERR_INVALID_ADDRESS, r.message); return false;
    case F::Dns: d_.events.emit(EventCode::PUSH_WARNING_DNS_FAIL, r.message); break;
    case F::Tcp: d_.events.emit(EventCode::PUSH_WARNING_SEVER_CONN_FAIL, r.message); break;
    case F::Handshake:
    case F::Timeout: d_.events.emit(EventCode::PUSH_WARNING_SHAKE_FAIL, r.message); break;
    case F::Closed: d_.events.emit(EventCode::PUSH_WARNING_SERVER_DISCONNECT, r.message); break;
    case F::Rejected:
      if (!r.retryable) {
        d_.events.fatal(EventCode::PUSH_ERR_SERVER_REFUSE, r.message);
        return false;
      }
      OL_LOGW("push", "publish refused (%s), probably a stale session of ours on the server; will retry",
              r.statusCode.c_str());
      d_.events.emit(EventCode::PUSH_WARNING_SERVER_DISCONNECT, r.message + "; will retry",
                     {{std::string(evt::kParam1), r.statusCode}});
      break;
    case F::None: break;
  }
  return true;
}

void Publisher::checkSourceEnd() {
  if (d_.sourceEnd.ended && d_.interleaver.held() == 0 && d_.queue.empty() && !d_.sourceEnd.fired.exchange(true))
    d_.events.sourceEnded();
}

transport::ReadStatus Publisher::sendLoop(transport::RtmpConnection& conn) {
  while (!d_.signal.stopping()) {
    if (!conn.pollIncoming()) break;
    auto p = d_.queue.pop(milliseconds(20));
    if (!p) {
      d_.interleaver.releaseExpired();
      checkSourceEnd();
      continue;
    }
    if (!writer_.write(conn, *p)) break;
    if (d_.signal.draining()) d_.signal.notify();  // stop() waits for the queue to empty
  }
  if (d_.signal.stopping()) return transport::ReadStatus::Cancelled;
  return conn.lastFailure();
}

}  // namespace openlive::detail
