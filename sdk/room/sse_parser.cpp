#include "room/sse_parser.h"

#include <algorithm>
#include <cctype>

namespace openlive::room {

bool SseParser::feed(std::string_view bytes) {
  if (failed_) return false;
  for (char c : bytes) {
    if (afterCR_) {
      afterCR_ = false;
      if (c == '\n') continue;
    }
    if (c == '\r' || c == '\n') {
      afterCR_ = c == '\r';
      line(buf_);
      buf_.clear();
      continue;
    }
    if (buf_.size() >= maxLine_) {
      failed_ = true;
      return false;
    }
    buf_.push_back(c);
  }
  return true;
}

void SseParser::line(std::string_view l) {
  if (l.empty()) return dispatch();
  if (l.front() == ':') return;  // comment (keep-alive)
  const size_t colon = l.find(':');
  std::string_view field = l.substr(0, colon), value;
  if (colon != std::string_view::npos) {
    value = l.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "event") {
    type_ = std::string(value);
  } else if (field == "data") {
    if (hasData_) data_.push_back('\n');
    data_.append(value);
    hasData_ = true;
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) lastEventId_ = std::string(value);
  } else if (field == "retry") {
    if (!value.empty() && value.size() < 10 &&
        std::all_of(value.begin(), value.end(), [](unsigned char ch) { return std::isdigit(ch); }))
      retryMs_ = std::stoi(std::string(value));
  }
}

void SseParser::dispatch() {
  if (hasData_) {
    SseEvent e;
    if (!type_.empty()) e.type = type_;
    e.data = std::move(data_);
    e.lastEventId = lastEventId_;
    if (handler_) handler_(e);
  }
  type_.clear();
  data_.clear();
  hasData_ = false;
}

}  // namespace openlive::room
