// Server-Sent Events framing (the text/event-stream format of the HTML standard): bytes in, events out.
// Lines end in LF, CRLF or CR; "field: value" lines build an event, a blank line dispatches it, ':' lines are
// comments. Fields: event, data (joined with '\n'), id (kept as the last event id; ignored if it holds NUL),
// retry (digits). A line longer than maxLine is an error (the caller drops the connection).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace openlive::room {

struct SseEvent {
  std::string type = "message";  // the "event" field
  std::string data;
  std::string lastEventId;       // the stream's last event id when this event was dispatched
};

class SseParser {
 public:
  using Handler = std::function<void(const SseEvent&)>;
  explicit SseParser(Handler handler, size_t maxLine = 256 * 1024) : handler_(std::move(handler)), maxLine_(maxLine) {}

  // False once a line overflowed (then every later feed is refused too).
  bool feed(std::string_view bytes);
  const std::string& lastEventId() const { return lastEventId_; }
  std::optional<int> retryMs() const { return retryMs_; }

 private:
  void line(std::string_view l);
  void dispatch();

  Handler handler_;
  const size_t maxLine_;
  std::string buf_;
  bool afterCR_ = false;  // the previous byte was CR (a following LF belongs to it)
  bool failed_ = false;
  std::string type_, data_, lastEventId_;
  bool hasData_ = false;
  std::optional<int> retryMs_;
};

}  // namespace openlive::room
