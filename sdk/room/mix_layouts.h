// The mix layouts a live room's main anchor asks the RoomService for (rooms.md section 5): the mergeParams
// request for the anchor's stream and its co-anchors' streams.
//   Mobile: alone, the anchor at its own size; with co-anchors a 540x960 canvas, co-anchors 160x240 at x = 380,
//           y = 630, 390, 150.
//   PC:     alone, the anchor at its own size; with co-anchors the anchor W x H on top of a canvas
//           W x (H + S), S = W/3 (even), three S x S squares in a row below it: co-anchors (centre crop), the
//           empty ones a picture input.
//   PK:     a 720x640 canvas, the anchor 360x640 on the left, the other room's anchor 360x640 on the right.
#pragma once

#include <openlive/live_room.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace openlive::room {

struct MixRequestSpec {
  RoomMixLayout layout = RoomMixLayout::Mobile;  // Mobile or PC (Auto resolved by the caller)
  std::string mainStream;
  int mainWidth = 0, mainHeight = 0;  // the anchor's picture as it pushes it now
  std::vector<std::string> coStreams;  // at most 3 are placed
  int64_t timestampSec = 0;
  std::string pkStream;  // set: the PK layout (720x640 canvas, main 360x640 left, this stream right); no co-anchors
  std::string pictureId;  // the PC layout's empty squares: their picture_id ("" = none: the mixer's placeholder)
};

nlohmann::json mixRequest(const MixRequestSpec& spec);

// The stream id of a play or push URL: its last path segment, without the query ("rtmp://h/live/s?x=1" -> "s").
std::string streamIdOfUrl(const std::string& url);

}  // namespace openlive::room
