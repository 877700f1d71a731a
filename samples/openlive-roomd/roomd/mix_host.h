// A mixer host: room mixes run on another machine than roomd (openlive-mixhost, samples/openlive-mixhost). Its
// HTTP API, which roomd's RemoteMixers calls (JSON bodies; every request carries "Authorization: Bearer <token>"
// when the host has a token, else 401):
//   PUT    /v1/mixes/<key>   {"output": URL, "inputs": {"id": URL, ...}, "mergeParams": {...}, "lease_ms": N}
//          starts the mix (an openlive-mixer child, MixerSupervisor) or gives it the new layout, and (re)leases it
//          for lease_ms (1 s .. 10 min): 200 {"key", "state": "started" | "updated" | "renewed"}; 400 with
//          {"error"} for a body that is not such a job.
//   DELETE /v1/mixes/<key>   stops it: 200 {"key", "state": "stopped"}, 404 when there is none.
//   GET    /v1/mixes         {"mixes": [keys], "starts", "ready", "updates"}.
// A mix whose lease runs out (its roomd died or lost the host) is stopped by sweep(): a roomd renews its mixes'
// leases every third of the lease. Keys are "<kind>/<roomID>" (letters, digits, _ - . /, at most 200).
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "mixers.h"

namespace openlive::roomd {

// The wire form of a job (both sides).
nlohmann::json mixJobToJson(const MixJob& job, std::chrono::milliseconds lease);
// nullopt with `why` for anything but an object with a string "output", an object "inputs" of strings, an
// object "mergeParams" and an integer "lease_ms" in range.
std::optional<MixJob> mixJobFromJson(const nlohmann::json& j, std::chrono::milliseconds* lease, std::string* why);
bool validMixKey(const std::string& key);

class MixHost {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kMinLease{1000}, kMaxLease{600000};

  MixHost(std::unique_ptr<Mixers> mixers, std::string token);
  ~MixHost();  // stops every mix
  void routes(httplib::Server& http);
  // Stops the mixes whose lease ran out by `now`; the number stopped.
  int sweep(Clock::time_point now = Clock::now());
  size_t size() const;

 private:
  bool authorized(const httplib::Request& req, httplib::Response& res) const;
  void put(const std::string& key, const httplib::Request& req, httplib::Response& res);
  void remove(const std::string& key, httplib::Response& res);
  void list(httplib::Response& res) const;

  struct Lease {
    nlohmann::json job;  // as last applied (a renewal with the same job changes nothing)
    Clock::time_point until;
  };
  const std::unique_ptr<Mixers> mixers_;
  const std::string token_;  // a secret: never logged
  mutable std::mutex mu_;
  std::map<std::string, Lease> leases_;  // guarded by mu_
};

}  // namespace openlive::roomd
