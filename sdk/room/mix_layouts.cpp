#include "room/mix_layouts.h"

#include <algorithm>

namespace openlive::room {
namespace {

using nlohmann::json;

constexpr int kMobileWidth = 540, kMobileHeight = 960;
constexpr int kMobileCoWidth = 160, kMobileCoHeight = 240, kMobileCoX = 380, kMobileCoFirstY = 630;
constexpr size_t kMaxCoAnchors = 3;
constexpr int kPkWidth = 720, kPkHeight = 640;
constexpr int kInputStream = 0, kInputPicture = 2, kInputCanvas = 3;

json entry(const std::string& id, int layer, int x, int y, int w, int h, int type) {
  json lp = {{"image_layer", layer}, {"image_width", w}, {"image_height", h}, {"location_x", x}, {"location_y", y}};
  if (type != kInputStream) lp["input_type"] = type;
  return {{"input_stream_id", id}, {"layout_params", std::move(lp)}};
}

std::vector<json> mobile(const MixRequestSpec& s, size_t co) {
  std::vector<json> list{entry(s.mainStream, 1, 0, 0, kMobileWidth, kMobileHeight, kInputStream)};
  for (size_t i = 0; i < co; ++i)
    list.push_back(entry(s.coStreams[i], int(i) + 2, kMobileCoX, kMobileCoFirstY - int(i) * kMobileCoHeight,
                         kMobileCoWidth, kMobileCoHeight, kInputStream));
  return list;
}

std::vector<json> pc(const MixRequestSpec& s, size_t co) {
  const int w = s.mainWidth, h = s.mainHeight, side = (w / 3) & ~1;
  std::vector<json> list{entry("canvas", 1, 0, 0, w, h + side, kInputCanvas),
                         entry(s.mainStream, 2, 0, 0, w, h, kInputStream)};
  for (size_t i = 0; i < kMaxCoAnchors; ++i) {
    const int layer = int(i) + 3, x = int(i) * side;
    if (i < co) {
      list.push_back(entry(s.coStreams[i], layer, x, h, side, side, kInputStream));
      continue;
    }
    json picture = entry("picture" + std::to_string(i + 1), layer, x, h, side, side, kInputPicture);
    if (!s.pictureId.empty()) picture["layout_params"]["picture_id"] = s.pictureId;
    list.push_back(std::move(picture));
  }
  return list;
}

}  // namespace

json mixRequest(const MixRequestSpec& s) {
  const size_t co = std::min(s.coStreams.size(), kMaxCoAnchors);
  std::vector<json> list;
  if (!s.pkStream.empty())
    list = {entry("canvas", 1, 0, 0, kPkWidth, kPkHeight, kInputCanvas),
            entry(s.mainStream, 2, 0, 0, kPkWidth / 2, kPkHeight, kInputStream),
            entry(s.pkStream, 3, kPkWidth / 2, 0, kPkWidth / 2, kPkHeight, kInputStream)};
  else if (co == 0)
    list = {entry(s.mainStream, 1, 0, 0, s.mainWidth, s.mainHeight, kInputStream)};  // alone: mixing off
  else
    list = s.layout == RoomMixLayout::PC ? pc(s, co) : mobile(s, co);
  json para = {{"interface", "mix_streamv2.start_mix_stream_advanced"},
               {"mix_stream_session_id", s.mainStream},
               {"output_stream_id", s.mainStream},
               {"input_stream_list", list}};
  return {{"timestamp", s.timestampSec},
          {"eventId", s.timestampSec},
          {"interface", {{"interfaceName", "Mix_StreamV2"}, {"para", std::move(para)}}}};
}

std::string streamIdOfUrl(const std::string& url) {
  const std::string path = url.substr(0, url.find('?'));
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace openlive::room
