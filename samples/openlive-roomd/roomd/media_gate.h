// The media server's HTTP callbacks (nginx-rtmp on_publish / on_play / on_publish_done / on_play_done / on_done;
// form-encoded POSTs carrying call, name, addr, app and the client's query arguments such as txSecret and txTime).
// 2xx allows, anything else refuses: a publish or play whose signature is missing, wrong or expired gets 403.
// Successful publishes and publish_done mark the stream live / not live for the liveness sweep.
#pragma once

#include <string_view>

#include "room_api.h"
#include "services.h"

namespace openlive::roomd {

class MediaGate {
 public:
  explicit MediaGate(Services& s) : s_(s) {}
  // `action`: the path's last segment ("on_publish", ...). Returns the HTTP status to answer with.
  int handle(std::string_view action, const QueryParams& form);

 private:
  int check(const char* what, const QueryParams& form, bool markLive);
  Services& s_;
};

}  // namespace openlive::roomd
