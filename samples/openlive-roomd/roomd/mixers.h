// Where a roomd's room mixes run, one interface for both places: MixerSupervisor (openlive-mixer children of this
// roomd, --mixer) and RemoteMixers (a mixer host on another machine, openlive-mixhost, --mixer-host). Keys are
// "<kind>/<roomID>". apply() starts the room's mix or gives it a new layout; stop() ends it (the room was
// destroyed); keepOnly() ends the mixes of rooms that no longer exist (the liveness sweep). Every call returns at
// once; stopAll() is bounded.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mixer_run.h"

namespace openlive::roomd {

class Mixers {
 public:
  struct Counts {
    uint64_t mixers = 0;    // running now (or asked for, on a mixer host)
    uint64_t starts = 0;    // mixer processes started (restarts included)
    uint64_t ready = 0;     // of those, the ones whose output published
    uint64_t updates = 0;   // layouts sent to running mixers
  };
  virtual ~Mixers() = default;
  virtual void apply(const std::string& key, MixJob job) = 0;
  virtual void stop(const std::string& key, const std::string& why) = 0;
  // Stops every mix whose key `keep` rejects (its room is gone).
  void keepOnly(const std::function<bool(const std::string& key)>& keep) {
    for (const auto& key : keys())
      if (!keep(key)) stop(key, "its room is gone");
  }
  virtual void stopAll() = 0;
  virtual std::vector<std::string> keys() const = 0;
  virtual Counts counts() const = 0;
};

}  // namespace openlive::roomd
