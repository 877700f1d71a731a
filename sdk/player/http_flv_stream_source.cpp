// StreamSource over HTTP-FLV (player stage): transport::HttpFlvReader feeding demux::FlvStreamParser.
#include "common/logging.h"
#include "demux/flv_parser.h"
#include "player/stream_source.h"
#include "transport/http_flv_reader.h"

#include <vector>

namespace openlive::player {

namespace {

class HttpFlvSource final : public StreamSource {
 public:
  explicit HttpFlvSource(std::string url) : reader_(std::make_shared<transport::HttpFlvReader>(std::move(url))) {}

  SourceError connect(const std::function<void()>& onConnected) override {
    auto r = reader_->openStream(std::chrono::milliseconds(5000));
    if (!r.ok()) return {fromHttp(r.failure), r.message};
    if (onConnected) onConnected();
    return {};
  }

  ReadEnd read(TagListener& listener, SourceError* error) override {
    bool begun = false;  // 2002 with the first tag: a server may send the FLV header of a stream not yet live
    demux::FlvStreamParser parser(
        [&](uint8_t type, uint32_t ts, const uint8_t* body, size_t n) {
          if (!begun) {
            begun = true;
            listener.onStreamBegin();
          }
          listener.onTag(type, ts, body, n);
        },
        [this](const std::string& w) {
          int folded = 0;
          if (warn_.allow(&folded)) OL_LOGW("play", "%s (%d similar folded)", w.c_str(), folded);
        });
    std::vector<uint8_t> buf(64 * 1024);
    bool headerSeen = false;
    uint64_t total = 0;
    for (;;) {
      size_t got = 0;
      auto st = reader_->read(buf.data(), buf.size(), &got);
      using S = transport::HttpFlvReader::Status;
      if (st == S::Ok) {
        total += got;
        parser.feed(buf.data(), got);
        if (!headerSeen && parser.headerSeen()) {
          headerSeen = true;
          if (parser.hasVideo()) listener.onVideoAnnounced();
        }
        if (!parser.headerSeen() && parser.garbageBytes() > 1024 * 1024) {
          *error = {SourceFailure::NotFlv, "no FLV header in the first MiB of the response"};
          return ReadEnd::Failed;
        }
        continue;
      }
      if (st == S::Cancelled) return ReadEnd::Cancelled;
      if (st == S::Eof) {
        if (!headerSeen || reader_->endFailure() == transport::HttpFlvFailure::EmptyBody) {
          *error = {SourceFailure::EmptyBody, total == 0 ? "the server answered 200 with an empty body"
                                                         : "the response ended before an FLV header"};
          return ReadEnd::Failed;
        }
        if (parser.pendingBytes() > 0)
          OL_LOGW("play", "HTTP-FLV: stream ended inside a tag (%zu bytes dropped)", parser.pendingBytes());
        return ReadEnd::EndOfStream;
      }
      *error = {SourceFailure::ReadError, st == S::Timeout ? "no data within the read timeout" : "read failed"};
      return ReadEnd::Failed;
    }
  }

  void cancel() override { reader_->cancel(); }
  void close() override { reader_->close(); }
  std::string serverAddress() const override { return reader_->serverAddress(); }

 private:
  static SourceFailure fromHttp(transport::HttpFlvFailure f) {
    using F = transport::HttpFlvFailure;
    switch (f) {
      case F::None: return SourceFailure::None;
      case F::Dns:
      case F::InvalidUrl: return SourceFailure::Dns;
      case F::Unreachable: return SourceFailure::Tcp;
      case F::Timeout: return SourceFailure::Handshake;
      case F::NotFound: return SourceFailure::NotFound;
      case F::Refused: return SourceFailure::Refused;
      case F::EmptyBody: return SourceFailure::EmptyBody;
      case F::HttpError: return SourceFailure::Closed;
      case F::ReadError:
      case F::Cancelled: return SourceFailure::ReadError;
    }
    return SourceFailure::ReadError;
  }

  std::shared_ptr<transport::HttpFlvReader> reader_;
  detail::RateLimiter warn_{std::chrono::seconds(5)};
};

}  // namespace

std::unique_ptr<StreamSource> makeHttpFlvSource(const std::string& url) {
  return std::make_unique<HttpFlvSource>(url);
}

}  // namespace openlive::player
