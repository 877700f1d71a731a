#include "mixer/pcm_fifo.h"

#include <algorithm>

namespace openlive::mixer {

void PcmFifo::append(int16_t l, int16_t r) {
  samples_.push_back(l);
  samples_.push_back(r);
  const size_t cap = size_t(kMixRate) * kCapacityMs / 1000 * kMixChannels;
  while (samples_.size() > cap) {
    samples_.pop_front();
    samples_.pop_front();
    ++dropped_;
  }
}

void PcmFifo::push(const AudioFrame& f) {
  if (!f.samples || f.frames <= 0 || f.sampleRate <= 0 || (f.channels != 1 && f.channels != 2)) return;
  auto at = [&](int i, int ch) { return f.samples[size_t(i) * size_t(f.channels) + size_t(f.channels == 2 ? ch : 0)]; };
  if (f.sampleRate == kMixRate) {
    for (int i = 0; i < f.frames; ++i) append(at(i, 0), at(i, 1));
    return;
  }
  if (rate_ != f.sampleRate) {  // a new rate: start the interpolation afresh
    rate_ = f.sampleRate;
    pos_ = 0;
    havePrev_ = false;
  }
  // Output frame k lies at input position pos_ + k * step, measured from the previous block's last frame
  // (index -1 of this block).
  const double step = double(f.sampleRate) / kMixRate;
  int i = 0;
  if (!havePrev_) {
    prevL_ = at(0, 0);
    prevR_ = at(0, 1);
    havePrev_ = true;
    i = 1;
  }
  for (; i < f.frames; ++i) {
    const int16_t l = at(i, 0), r = at(i, 1);
    while (pos_ < 1.0) {
      append(int16_t(prevL_ + (l - prevL_) * pos_), int16_t(prevR_ + (r - prevR_) * pos_));
      pos_ += step;
    }
    pos_ -= 1.0;
    prevL_ = l;
    prevR_ = r;
  }
}

int PcmFifo::mixInto(int32_t* acc, int frames) {
  const size_t queued = queuedFrames();
  if (!taking_ && queued < size_t(kMixRate) * kPrefillMs / 1000) return 0;
  taking_ = true;
  const int n = int(std::min<size_t>(queued, size_t(frames)));
  for (int i = 0; i < n * kMixChannels; ++i) {
    acc[i] += samples_.front();
    samples_.pop_front();
  }
  if (n < frames) taking_ = false;  // ran dry: prefill again
  return n;
}

void PcmFifo::clear() {
  samples_.clear();
  taking_ = false;
  havePrev_ = false;
  pos_ = 0;
}

}  // namespace openlive::mixer
