// LiveRoom: the main anchor's mix requests (rooms.md section 5, include/openlive/live_room.h RoomMixLayout).
#include <algorithm>

#include "common/clock_ms.h"
#include "common/logging.h"
#include "pusher/push_params.h"
#include "room/live_room_impl.h"
#include "room/mix_layouts.h"

namespace openlive {
namespace {

constexpr int kMixAttempts = 5;
constexpr std::chrono::milliseconds kMixRetryInterval{2000};

}  // namespace

void LiveRoom::Impl::requestMix() {
  if (!mainAnchor() || !service || config.mixLayout == RoomMixLayout::Off) return;
  const PushConfig& now = linkedQuality && config.linkedAnchorPush ? *config.linkedAnchorPush : config.anchorPush;
  const detail::ResolvedVideoParams v = detail::resolveVideoParams(now);
  room::MixRequestSpec spec;
  spec.layout = config.mixLayout;
  if (spec.layout == RoomMixLayout::Auto) spec.layout = v.height > v.width ? RoomMixLayout::Mobile : RoomMixLayout::PC;
  spec.mainStream = room::streamIdOfUrl(pushURL);
  spec.mainWidth = v.width;
  spec.mainHeight = v.height;
  for (const auto& p : anchors)  // in the service's order: the order co-anchors joined in
    if (p.userID != login.userID) spec.coStreams.push_back(room::streamIdOfUrl(p.accelerateURL));
  if (pkPeer) spec.pkStream = room::streamIdOfUrl(pkPeer->accelerateURL);
  spec.pictureId = config.mixPictureId;
  spec.timestampSec = serverNowSeconds();
  nlohmann::json request = room::mixRequest(spec);
  if (!mixParams.is_null() && mixParams["interface"] == request["interface"]) return;  // the same layout
  mixParams = std::move(request);
  worker.cancel(mixTimer);
  OL_LOGI("room", "mix request: %zu co-anchors, %s layout", spec.coStreams.size(),
          pkPeer ? "PK" : spec.layout == RoomMixLayout::PC ? "PC" : "mobile");
  sendMix(++mixGen, 1);
}

void LiveRoom::Impl::sendMix(uint64_t mixGeneration, int attempt) {
  if (mixGeneration != mixGen || mixParams.is_null() || !service || !inService) return;
  auto r = service->mergeStream(roomID, mixParams);
  // merge_code 0: the service mixes; 1: it recorded the layout and has no mixer (not worth repeating).
  if (r.ok() && (r.value.mergeCode == 0 || r.value.mergeCode == 1)) {
    OL_LOGI("room", "mix request accepted (merge_code %d: %s)", r.value.mergeCode, r.value.mergeMessage.c_str());
    return;
  }
  const std::string why = r.ok() ? "merge_code " + std::to_string(r.value.mergeCode) + " " + r.value.mergeMessage
                                 : std::to_string(r.code) + " " + r.message;
  if (attempt >= kMixAttempts) {
    notify([why](const LiveRoomCallbacks& c) {
      if (c.onWarning) c.onWarning(EventCode::ROOM_WARNING_MERGE_FAIL, "merge_stream failed 5 times: " + why);
    });
    return;
  }
  OL_LOGW("room", "mix request failed (attempt %d of %d): %s", attempt, kMixAttempts, why.c_str());
  std::weak_ptr<Impl> weak = weak_from_this();
  const uint64_t g = gen;
  mixTimer = worker.postAfter(kMixRetryInterval, [weak, g, mixGeneration, attempt] {
    if (auto self = weak.lock(); self && self->gen == g) self->sendMix(mixGeneration, attempt + 1);
  });
}

}  // namespace openlive
