// roomd's mixes on a mixer host (--mixer-host URL, docs/ROOMS.md "Mixer hosts"): the jobs roomd wants are kept
// here and one thread ("roomd-mixhost") brings the host in line with them over its HTTP API (mix_host.h): a new
// or changed job at once (PUT), a stopped one (DELETE), and every job again each third of the lease, so a host
// that restarted gets its mixes back within that time and a roomd that dies leaves its mixes to end with their
// lease. A host that cannot be reached is retried on the next round (one log line when it goes and comes back).
// Calls return at once; the thread waits on a condition variable (a change, the next renewal, or stop).
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "mixers.h"

namespace openlive::roomd {

class RemoteMixers final : public Mixers {
 public:
  // `hostUrl`: http://HOST:PORT of the mixer host; `token`: its bearer token ("" = none; a secret, never logged).
  RemoteMixers(std::string hostUrl, std::string token, std::chrono::milliseconds lease);
  ~RemoteMixers() override;  // stopAll()

  void apply(const std::string& key, MixJob job) override;
  void stop(const std::string& key, const std::string& why) override;
  // Ends every mix on the host (DELETE, bounded by the HTTP timeouts) and the thread.
  void stopAll() override;
  std::vector<std::string> keys() const override;
  Counts counts() const override;

 private:
  struct Want {
    MixJob job;
    bool sent = false;  // the host has this version
  };
  void run();
  // One round: PUT what is new (or everything, `renew`), DELETE what was stopped. False when the host failed.
  bool syncOnce(bool renew);

  const std::string hostUrl_, token_;
  const std::chrono::milliseconds lease_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Want> wanted_;  // guarded by mu_
  std::set<std::string> gone_;          // guarded by mu_: stopped, not yet deleted on the host
  bool dirty_ = false, stopping_ = false;  // guarded by mu_
  Counts counts_;                        // guarded by mu_
  bool hostDown_ = false;                // the thread's
  std::thread thread_;
};

}  // namespace openlive::roomd
