// StreamSource over RTMP (player stage): transport::RtmpConnection in play mode.
#include "common/logging.h"
#include "player/stream_source.h"
#include "transport/rtmp_connection.h"

#include <mutex>

namespace openlive::player {

namespace {

SourceFailure fromRefusal(transport::Refusal r) {
  switch (r) {
    case transport::Refusal::NotFound: return SourceFailure::NotFound;
    case transport::Refusal::Refused:
    // nginx-rtmp answers `deny play` with Play.Start and a reset; a refused on_play and node-media-server close
    // right after play: a refusal, not a network problem worth retrying.
    case transport::Refusal::ClosedAfterStart: return SourceFailure::Refused;
    default: return SourceFailure::None;
  }
}

SourceFailure fromConnect(const transport::ConnectResult& r) {
  using F = transport::ConnectFailure;
  if (SourceFailure f = fromRefusal(r.refusal); f != SourceFailure::None) return f;
  switch (r.failure) {
    case F::None: return SourceFailure::None;
    case F::Dns: return SourceFailure::Dns;
    case F::Tcp: return SourceFailure::Tcp;
    case F::Closed: return SourceFailure::Closed;
    case F::Rejected: return SourceFailure::Refused;
    case F::Handshake:
    case F::Timeout:
    case F::InvalidUrl: return SourceFailure::Handshake;
    case F::Cancelled: return SourceFailure::ReadError;
  }
  return SourceFailure::ReadError;
}

bool isMedia(const transport::RtmpMessage& m) {
  return m.kind() == transport::RtmpMessageType::Audio || m.kind() == transport::RtmpMessageType::Video;
}

class RtmpSource final : public StreamSource {
 public:
  RtmpSource(std::string url, const PlayConfig& config, bool rtc) : url_(std::move(url)) {
    options_.publish = false;
    options_.playBuffer = std::chrono::milliseconds(rtc ? 100 : 1000);
    options_.ioTimeout = std::chrono::milliseconds(5000);  // play-read timeout: 3005, reconnect
    options_.tlsAllowSelfSigned = config.tlsAllowSelfSigned;
    options_.tlsCaFile = config.tlsCaFile;
    conn_ = std::make_shared<transport::RtmpConnection>(url_);
  }

  SourceError connect(const std::function<void()>& onConnected) override {
    auto res = conn_->connect(options_, onConnected);
    if (res.ok()) return {};
    return {fromConnect(res), res.message};
  }

  ReadEnd read(TagListener& listener, SourceError* error) override {
    bool sawMedia = false;
    transport::RtmpMessage msg;
    for (;;) {
      switch (conn_->readMessage(msg)) {
        case transport::ReadStatus::Message:
          if (!sawMedia && isMedia(msg)) {
            sawMedia = true;
            listener.onStreamBegin();  // 2002 with the stream's first media, not at Play.Start
          }
          dispatch(msg, listener, error);
          break;
        case transport::ReadStatus::Cancelled: return ReadEnd::Cancelled;
        case transport::ReadStatus::Closed:
        case transport::ReadStatus::Timeout:
        case transport::ReadStatus::Error: return failedRead(error);
      }
      if (!error->ok()) return ReadEnd::Failed;
    }
  }

  void cancel() override { conn_->cancel(); }
  void close() override { conn_->close(); }
  std::string serverAddress() const override { return conn_->serverAddress(); }

 private:
  ReadEnd failedRead(SourceError* error) {
    if (SourceFailure f = fromRefusal(conn_->lastRefusal()); f != SourceFailure::None) {
      *error = {f, "the server closed the connection right after play, before any media"};
    } else {
      const bool closed = conn_->lastFailure() == transport::ReadStatus::Closed;
      *error = {closed ? SourceFailure::Closed : SourceFailure::ReadError, conn_->lastError()};
    }
    return ReadEnd::Failed;
  }

  static void dispatch(const transport::RtmpMessage& msg, TagListener& listener, SourceError* error) {
    using M = transport::StatusMeaning;
    if (msg.event == transport::StreamEvent::Eof) return listener.onPublisherLeft();
    if (msg.status != transport::StreamStatus::None) {
      OL_LOGI("play", "onStatus %s", msg.statusCode.c_str());
      if (msg.statusMeaning == M::Ended) listener.onPublisherLeft();
      else if (msg.statusMeaning == M::NotFound) *error = {SourceFailure::NotFound, msg.statusCode};
      else if (msg.statusMeaning == M::Refused) *error = {SourceFailure::Refused, msg.statusCode};
      return;
    }
    if (msg.isMedia()) listener.onTag(msg.type, msg.timestamp, msg.body.data(), msg.body.size());
  }

  const std::string url_;
  transport::ConnectOptions options_;
  std::shared_ptr<transport::RtmpConnection> conn_;
};

}  // namespace

std::unique_ptr<StreamSource> makeRtmpSource(const std::string& url, const PlayConfig& config, bool rtc) {
  return std::make_unique<RtmpSource>(url, config, rtc);
}

}  // namespace openlive::player
