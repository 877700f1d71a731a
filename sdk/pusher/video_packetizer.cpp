#include "pusher/video_packetizer.h"

#include "common/sei_uuids.h"
#include "mux/flv_mux.h"

namespace openlive::detail {

bool VideoPacketizer::queueMessage(const std::vector<uint8_t>& data) {
  if (data.empty() || data.size() > kMaxMessageBytes) return false;
  std::lock_guard lk(msgMu_);
  if (messages_.size() >= kMaxPendingMessages) return false;  // drop-newest
  messages_.push_back(data);
  return true;
}

void VideoPacketizer::prependMessages(std::vector<uint8_t>& avcc) {
  std::lock_guard lk(msgMu_);
  for (auto it = messages_.rbegin(); it != messages_.rend(); ++it)
    prependNal(avcc, buildSeiUserDataNal(kSeiUuidAppMessage, it->data(), it->size()));
  messages_.clear();
}

void VideoPacketizer::packetizeRelayed(EncodedPacket& p) { prependMessages(p.data); }

void VideoPacketizer::packetize(EncodedPacket& p) {
  p.disposable = !p.keyframe && isNonReferenceAccessUnit(p.data.data(), p.data.size());
  Bytes avcc = annexBToAvcc(p.data.data(), p.data.size());
  prependMessages(avcc);
  if (p.keyframe || lastCaptureSeiPts_ == INT64_MIN || p.ptsMs - lastCaptureSeiPts_ >= 1000) {
    const Bytes payload = captureTimePayload(clock_.wallMsAt(p.ptsMs));
    prependNal(avcc, buildSeiUserDataNal(kSeiUuidCaptureTime, payload.data(), payload.size()));
    lastCaptureSeiPts_ = p.ptsMs;
  }
  p.data = std::move(avcc);
}

}  // namespace openlive::detail
