// openlive-mixer's core: composes the inputs of a MixLayout into one picture and one sound and publishes them
// with a LivePusher (custom video and audio sources). One thread makes the output: a 20 ms block of sound every
// 20 ms on the steady clock, and a picture as soon as the main stream's new picture arrives (at most one per
// 3/4 of 1/fps apart), or on a 1/fps tick when none came, so the main picture goes out without waiting for a
// tick and the output's rate never depends on an input; an input that stalls never stalls the output (its
// window keeps its last picture for `placeholderAfter`, then shows the placeholder; its sound is silence).
// Mixing off (the layout is the main stream alone, uncropped: MixLayout::forwardable) the main stream's H.264 is
// forwarded as it comes (LivePusher::sendEncodedVideo) from its next keyframe on, and nothing is composed; a
// layout with more, or a main stream that stops delivering for kRelayStall, brings the composed picture back
// (a fresh encoder: new headers and an IDR). While the pictures are forwarded, so is the main stream's sound
// (LivePusher::sendEncodedAudio) when its AAC configuration is the output's (--audio-channels; one AAC
// configuration throughout); otherwise, and whenever the pictures are composed, the sound is the mix.
#pragma once

#include "mixer/i420_canvas.h"
#include "mixer/input_slot.h"
#include "mixer/mix_layout.h"

#include <openlive/live_pusher.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace openlive::mixer {

struct MixerOptions {
  std::string outputUrl;
  std::map<std::string, std::string> inputUrls;  // stream id -> URL to play it
  int fps = 15;
  int bitrateKbps = 0;  // 0: from the canvas size
  std::chrono::milliseconds placeholderAfter{2000};
  // Picture inputs' pictures by picture_id (openlive-mixer --picture ID=PATH). A picture input whose id is not
  // here (or has none) shows the placeholder.
  std::map<std::string, std::shared_ptr<const I420Image>> pictures;
  bool relay = true;  // forward the main stream while mixing is off (false: always compose and encode)
  int audioChannels = 1;  // the output's sound (1: the SDK pusher's default, so a lone anchor's sound is forwarded)
  // Told when the forwarding starts (true) and ends (false); on the main input's callback thread or the mix
  // thread, no mixer lock held.
  std::function<void(bool forwarding)> onRelay;
};

// The placeholder of an empty or stalled window (grey) and the canvas behind the windows (black), in YUV.
inline constexpr uint8_t kPlaceholderYuv[3] = {96, 128, 128};
inline constexpr uint8_t kCanvasYuv[3] = {16, 128, 128};

class Mixer {
 public:
  // A forwarded main stream that sends nothing for this long is composed again (its last picture, then the
  // placeholder), so the output never stalls with its input.
  static constexpr std::chrono::milliseconds kRelayStall{500};
  // `source` is "output" for the pusher's events, else the input's stream id. Called on SDK callback threads.
  using EventFn = std::function<void(const std::string& source, const Event& e)>;
  Mixer(MixerOptions options, EventFn onEvent);
  ~Mixer();
  Mixer(const Mixer&) = delete;
  Mixer& operator=(const Mixer&) = delete;

  // Starts the output, the inputs of `layout` and the mix thread.
  Result start(const MixLayout& layout);
  // Replaces the layout while running (another thread than the callbacks): the inputs that stay keep playing,
  // new ones start (their URL from the options or `moreUrls`), the ones left out stop; a new canvas size
  // reopens the output's encoder at that size (players see 2009). InvalidArgument for a stream without a URL.
  Result update(const MixLayout& layout, const std::map<std::string, std::string>& moreUrls = {});
  void stop();

  struct Stats {
    uint64_t pictures = 0, soundBlocks = 0, lateTicks = 0, layouts = 0;
    uint64_t onArrival = 0;  // pictures composed when the main stream's picture arrived (the rest: on the tick)
    uint64_t relayed = 0;      // access units of the main stream forwarded without re-encoding
    uint64_t relayStarts = 0;  // switches from composed pictures to forwarding
    uint64_t audioRelayed = 0;  // AAC frames of the main stream forwarded without re-encoding
    std::vector<std::pair<std::string, uint64_t>> inputPictures;
  };
  Stats stats() const;

 private:
  // What the mix thread composes: a layout and the inputs it plays. Replaced whole by update().
  struct Scene {
    MixLayout layout;
    std::vector<std::shared_ptr<InputSlot>> slots;
    std::string mainStream;  // the first stream input by layer: its arrivals pace the output
    bool forward = false;    // mixing off and relaying allowed: the main stream is forwarded
  };
  std::shared_ptr<const Scene> scene() const;
  void onInputPicture(const std::string& streamId);  // a slot's callback thread
  void onInputPacket(const std::string& streamId, const EncodedVideoPacket& p);  // a slot's callback thread
  void onInputAudio(const std::string& streamId, const EncodedAudioPacket& p);  // a slot's callback thread
  bool audioForwardedLocked();  // under audioMu_: the main stream's sound goes out as it came (no mix sent)
  // Under videoMu_: forwarding, and the main stream still delivers. Sets `ended` when it stops forwarding.
  bool relayingNow(const Scene& scene, bool& ended);
  void tellRelay(bool forwarding);  // no lock held
  void run();
  void composeAndSend(const Scene& scene, int64_t ptsMs);
  void mixAndSend(const Scene& scene, int64_t ptsMs);
  PushConfig outputConfig(const MixLayout& layout) const;

  MixerOptions options_;  // inputUrls grows with update(); under updateMu_
  EventFn onEvent_;
  std::unique_ptr<LivePusher> output_;
  I420Image canvas_;        // the mix thread's
  std::mutex updateMu_;     // start / update / stop, one at a time
  mutable std::mutex mu_;   // scene_, stop_, stats_
  std::condition_variable cv_;
  std::shared_ptr<const Scene> scene_;
  bool stop_ = false;
  bool mainFresh_ = false;  // the main stream's new picture is not composed yet (under mu_)
  Stats stats_;
  std::thread thread_;
  // The output's video: composed pictures (mix thread) or the forwarded main stream (its callback thread),
  // one at a time, so a switch never interleaves the two.
  std::mutex videoMu_;
  std::atomic<bool> relaying_{false};                  // written under videoMu_
  std::chrono::steady_clock::time_point lastRelay_{};  // under videoMu_
  // The output's sound: the mix (mix thread) or the forwarded main stream's (its callback thread), one at a time.
  std::mutex audioMu_;
  bool audioForwarding_ = false;                            // under audioMu_
  std::chrono::steady_clock::time_point lastAudioRelay_{};  // under audioMu_
};

}  // namespace openlive::mixer
