#include "sse_endpoint.h"

#include <charconv>
#include <memory>

#include "clock.h"
#include "log.h"
#include "room_api.h"

namespace openlive::roomd {
namespace {

using nlohmann::json;

struct StreamState {
  MailboxHub::Stream stream;
  std::string token;  // re-checked every ssePing (logout elsewhere ends the stream); never logged
  uint64_t lastId = 0;
  int64_t sinceMs = 0;
  int64_t lastCheckMs = 0;
  bool greeted = false;
};

void replyJson(httplib::Response& res, int status, ApiCode code, const std::string& message) {
  res.status = status;
  res.set_content(json{{"code", static_cast<int>(code)}, {"message", message}}.dump(), "application/json");
}

std::optional<uint64_t> parseId(const std::string& text) {
  if (text.empty()) return 0;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// One provider call: waits for messages (up to ssePing), writes them or a ping. False ends the response.
bool pump(Services& s, StreamState& st, httplib::DataSink& sink) {
  if (!st.greeted) {
    st.greeted = true;
    static const std::string hello = "retry: 1000\n: connected\n\n";
    return sink.write(hello.data(), hello.size());
  }
  auto batch = s.hub.next(st.stream, st.lastId, st.sinceMs, s.config.ssePing);
  const int64_t now = unixMs();
  bool valid = !batch.closed;
  if (valid && now - st.lastCheckMs >= s.config.ssePing.count()) {
    st.lastCheckMs = now;
    try {
      valid = s.auth.session(st.stream.userID, st.token).has_value();
    } catch (const StoreUnavailable&) {
      valid = true;  // keep the stream through a store outage; the next check decides
    }
  }
  if (!valid) {
    sink.done();
    return true;
  }
  std::string text = formatBatch(batch, now, &st.lastId);
  if (text.empty()) text = ": ping\n\n";
  return sink.write(text.data(), text.size());
}

}  // namespace

std::string formatBatch(const MailboxHub::Batch& batch, int64_t nowMs, uint64_t* lastId) {
  std::string text;
  if (batch.gap) text += "event: reset\ndata: {\"reason\":\"messages were dropped before they could be read\"}\n\n";
  for (const auto& m : batch.messages) {
    *lastId = std::max(*lastId, m->env.id);
    if (m->env.staleAfterMs && *m->env.staleAfterMs < nowMs) continue;  // older than the max age: dropped
    text += m->sse;
  }
  return text;
}

void serveSignalStream(Services& s, const httplib::Request& req, httplib::Response& res) {
  const std::string userID = req.get_param_value("userID");
  const std::string token = req.get_param_value("token");
  std::optional<TokenRecord> session;
  try {
    session = s.auth.session(userID, token);
  } catch (const StoreUnavailable&) {
    return replyJson(res, 503, ApiCode::ServiceError, "service temporarily unavailable");
  }
  if (!session) return replyJson(res, 401, ApiCode::BadToken, "userID/token not valid (log in first)");
  std::string idText = req.get_header_value("Last-Event-ID");
  if (idText.empty()) idText = req.get_param_value("lastEventID");
  auto lastId = parseId(idText);
  if (!lastId) return replyJson(res, 400, ApiCode::MissingParam, "Last-Event-ID must be a decimal id");
  auto stream = s.hub.openStream(userID);
  if (!stream) return replyJson(res, 503, ApiCode::ServiceError, "too many signalling streams on this instance");
  auto st = std::make_shared<StreamState>();
  st->stream = *stream;
  st->token = token;
  st->lastId = *lastId;
  st->sinceMs = session->issuedMs;
  st->lastCheckMs = unixMs();
  logLine(LogLevel::Debug, "signal stream opened for " + printable(userID) + " after id " + std::to_string(*lastId));
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream", [&s, st](size_t, httplib::DataSink& sink) { return pump(s, *st, sink); },
      [&s, st](bool) {
        s.hub.closeStream(st->stream);
        logLine(LogLevel::Debug, "signal stream closed for " + printable(st->stream.userID));
      });
}

}  // namespace openlive::roomd
