#include "player/video_stage.h"

extern "C" {
#include <libavutil/frame.h>
}

#include <algorithm>

namespace openlive::player {

VideoStage::VideoStage(bool rtc, Listener listener)
    : listener_(std::move(listener)),
      decoder_(rtc ? decode::VideoDecoder::Threading::Slice : decode::VideoDecoder::Threading::Frame) {}

void VideoStage::fill(jitter::JitterBuffer& buffer, int64_t horizonMs, int maxPackets) {
  for (int i = 0; i < maxPackets; ++i) {
    if (!pending_.empty() && pending_.back()->pts > horizonMs) return;
    auto p = buffer.pop(demux::MediaPacket::Kind::Video);
    if (!p) return;
    decodeOne(*p);
  }
}

void VideoStage::decodeOne(const demux::MediaPacket& p) {
  if (listener_.onPacket) listener_.onPacket(p, gap_);
  gap_ = false;
  if (p.captureTimeMs) {
    captureByPts_[p.ptsMs] = *p.captureTimeMs;
    while (captureByPts_.size() > 64) captureByPts_.erase(captureByPts_.begin());
  }
  accept(decoder_.decode(p));
}

void VideoStage::drain() { accept(decoder_.drain()); }

void VideoStage::accept(decode::VideoDecoder::Result&& r) {
  if (r.opened && !opened_) {
    opened_ = true;
    if (listener_.onDecoderOpened) listener_.onDecoderOpened();
  }
  if ((r.failed || r.openFailed) && listener_.onDecodeError) listener_.onDecodeError(r.error);
  for (auto& f : r.frames) {
    if (!firstDecoded_) {
      firstDecoded_ = true;
      if (listener_.onFirstPicture) listener_.onFirstPicture();
    }
    if (f->pts < hideBefore_) {
      ++drops_;
      continue;
    }
    hideBefore_ = INT64_MIN;  // pictures come out in presentation order: the skip is behind us
    auto pos = std::upper_bound(pending_.begin(), pending_.end(), f->pts,
                                [](int64_t v, const decode::FramePtr& x) { return v < x->pts; });
    pending_.insert(pos, std::move(f));
    while (pending_.size() > kMaxPending) {
      pending_.pop_front();
      ++drops_;
    }
  }
}

decode::FramePtr VideoStage::takeDue(int64_t nowMs) {
  while (!pending_.empty() && pending_.front()->pts <= nowMs) {
    auto f = std::move(pending_.front());
    pending_.pop_front();
    if (nowMs - f->pts <= kLateDropMs) return f;  // the next due one at the next call, at once
    ++drops_;
  }
  return nullptr;
}

decode::FramePtr VideoStage::takeFirst() {
  if (pending_.empty()) return nullptr;
  auto f = std::move(pending_.front());
  pending_.pop_front();
  return f;
}

std::optional<int64_t> VideoStage::nextPts() const {
  if (pending_.empty()) return std::nullopt;
  return pending_.front()->pts;
}

void VideoStage::dropBefore(int64_t ptsMs) {
  while (!pending_.empty() && pending_.front()->pts < ptsMs) {
    pending_.pop_front();
    ++drops_;
  }
}

void VideoStage::hideBefore(int64_t ptsMs) {
  hideBefore_ = std::max(hideBefore_, ptsMs);
  dropBefore(ptsMs);
}

void VideoStage::reset() {
  gap_ = true;
  hideBefore_ = INT64_MIN;
  pending_.clear();
  captureByPts_.clear();
  decoder_.flush();
}

std::optional<int64_t> VideoStage::captureTimeOf(int64_t ptsMs) {
  auto it = captureByPts_.find(ptsMs);
  if (it == captureByPts_.end()) return std::nullopt;
  int64_t t = it->second;
  captureByPts_.erase(captureByPts_.begin(), std::next(it));
  return t;
}

}  // namespace openlive::player
