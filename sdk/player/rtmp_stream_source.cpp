// StreamSource over RTMP (player stage): transport::RtmpConnection in play mode.
#include "common/logging.h"
#include "demux/flv_types.h"
#include "player/stream_source.h"
#include "transport/rtmp_connection.h"

#include <mutex>

namespace openlive::player {

namespace {

SourceFailure fromConnect(const transport::ConnectResult& r) {
  using F = transport::ConnectFailure;
  switch (r.failure) {
    case F::None: return SourceFailure::None;
    case F::Dns: return SourceFailure::Dns;
    case F::Tcp: return SourceFailure::Tcp;
    case F::Handshake:
    case F::Timeout:
    case F::InvalidUrl: return SourceFailure::Handshake;
    case F::Rejected:
      return r.statusCode.find("StreamNotFound") != std::string::npos ? SourceFailure::NotFound
                                                                      : SourceFailure::Refused;
    // NetConnection.connect succeeded, `play` was sent, and the server closed the link without starting the
    // stream: what nginx-rtmp does for `deny play` and a refused on_play.
    case F::Closed: return SourceFailure::Refused;
    case F::Cancelled: return SourceFailure::ReadError;
  }
  return SourceFailure::ReadError;
}

bool isMedia(const transport::RtmpMessage& m) {
  return m.statusCode.empty() &&
         (m.type == uint8_t(demux::FlvTagType::Audio) || m.type == uint8_t(demux::FlvTagType::Video));
}

bool isEndOfStreamNotice(const std::string& code) {
  return code == "NetStream.Play.UnpublishNotify" || code == "NetStream.Play.Stop" ||
         code == "NetStream.Play.Complete" || code == "UserControl.StreamEOF";
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
    const auto readStart = std::chrono::steady_clock::now();
    bool sawData = false;
    transport::RtmpMessage msg;
    for (;;) {
      switch (conn_->readMessage(msg)) {
        case transport::ReadStatus::Message:
          if (!sawData && isMedia(msg)) {
            sawData = true;
            listener.onStreamBegin();  // 2002 with the stream's first media, not at Play.Start
          }
          dispatch(msg, listener, error);
          break;
        case transport::ReadStatus::Cancelled: return ReadEnd::Cancelled;
        case transport::ReadStatus::Closed:
          // nginx-rtmp answers `deny play` with Play.Start and closes the link at once: a close right after
          // play with nothing sent is a refusal, not a network problem worth retrying.
          if (!sawData && std::chrono::steady_clock::now() - readStart < kRefusalWindow)
            *error = {SourceFailure::Refused, "the server closed the connection right after play, before any media"};
          else
            *error = {SourceFailure::Closed, conn_->lastError()};
          return ReadEnd::Failed;
        case transport::ReadStatus::Timeout:
        case transport::ReadStatus::Error:
          *error = {SourceFailure::ReadError, conn_->lastError()};
          return ReadEnd::Failed;
      }
      if (!error->ok()) return ReadEnd::Failed;
    }
  }

  void cancel() override { conn_->cancel(); }
  void close() override { conn_->close(); }
  std::string serverAddress() const override { return conn_->serverAddress(); }

 private:
  static void dispatch(const transport::RtmpMessage& msg, TagListener& listener, SourceError* error) {
    if (!msg.statusCode.empty()) {
      OL_LOGI("play", "onStatus %s", msg.statusCode.c_str());
      if (isEndOfStreamNotice(msg.statusCode)) listener.onPublisherLeft();
      else if (msg.statusCode == "NetStream.Play.StreamNotFound") *error = {SourceFailure::NotFound, msg.statusCode};
      else if (msg.statusCode == "NetStream.Play.Failed") *error = {SourceFailure::Refused, msg.statusCode};
      return;
    }
    using T = demux::FlvTagType;
    if (msg.type == uint8_t(T::Audio) || msg.type == uint8_t(T::Video) || msg.type == uint8_t(T::Script))
      listener.onTag(msg.type, msg.timestamp, msg.body.data(), msg.body.size());
  }

  static constexpr std::chrono::milliseconds kRefusalWindow{2000};
  const std::string url_;
  transport::ConnectOptions options_;
  std::shared_ptr<transport::RtmpConnection> conn_;
};

}  // namespace

std::unique_ptr<StreamSource> makeRtmpSource(const std::string& url, const PlayConfig& config, bool rtc) {
  return std::make_unique<RtmpSource>(url, config, rtc);
}

}  // namespace openlive::player
