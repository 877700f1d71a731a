#include "remote_mixers.h"

#include <httplib.h>

#include "log.h"
#include "mix_host.h"

namespace openlive::roomd {

namespace {
constexpr auto kConnectTimeout = std::chrono::seconds(1);
constexpr auto kReadTimeout = std::chrono::seconds(3);
}  // namespace

RemoteMixers::RemoteMixers(std::string hostUrl, std::string token, std::chrono::milliseconds lease)
    : hostUrl_(std::move(hostUrl)), token_(std::move(token)), lease_(lease), thread_([this] { run(); }) {}

RemoteMixers::~RemoteMixers() { stopAll(); }

void RemoteMixers::apply(const std::string& key, MixJob job) {
  {
    std::lock_guard lk(mu_);
    wanted_[key] = Want{std::move(job), false};
    gone_.erase(key);
    dirty_ = true;
  }
  cv_.notify_all();
}

void RemoteMixers::stop(const std::string& key, const std::string& why) {
  {
    std::lock_guard lk(mu_);
    if (!wanted_.erase(key)) return;
    gone_.insert(key);
    dirty_ = true;
  }
  logLine(LogLevel::Info, "mixer " + key + ": stopping on the mixer host (" + why + ")");
  cv_.notify_all();
}

void RemoteMixers::stopAll() {
  {
    std::lock_guard lk(mu_);
    for (auto& [key, want] : wanted_) gone_.insert(key);
    wanted_.clear();
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::vector<std::string> RemoteMixers::keys() const {
  std::lock_guard lk(mu_);
  std::vector<std::string> k;
  for (const auto& [key, want] : wanted_) k.push_back(key);
  return k;
}

Mixers::Counts RemoteMixers::counts() const {
  std::lock_guard lk(mu_);
  Counts c = counts_;
  c.mixers = wanted_.size();
  return c;
}

void RemoteMixers::run() {
  setThreadName("roomd-mixhost");
  const auto renewEvery = lease_ / 3;
  auto nextRenew = std::chrono::steady_clock::now() + renewEvery;
  for (;;) {
    bool renew = false, last = false;
    {
      std::unique_lock lk(mu_);
      cv_.wait_until(lk, nextRenew, [&] { return dirty_ || stopping_; });
      last = stopping_;
      renew = std::chrono::steady_clock::now() >= nextRenew;
      dirty_ = false;
    }
    const bool ok = syncOnce(renew);
    if (last) return;
    if (renew || !ok) nextRenew = std::chrono::steady_clock::now() + (ok ? renewEvery : std::chrono::milliseconds(1000));
  }
}

bool RemoteMixers::syncOnce(bool renew) {
  std::map<std::string, MixJob> put;
  std::set<std::string> del;
  {
    std::lock_guard lk(mu_);
    for (auto& [key, want] : wanted_)
      if (renew || !want.sent) put[key] = want.job;
    del = gone_;
  }
  httplib::Client http(hostUrl_);
  http.set_connection_timeout(kConnectTimeout);
  http.set_read_timeout(kReadTimeout);
  http.set_write_timeout(kReadTimeout);
  httplib::Headers headers;
  if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
  bool ok = true;
  for (const auto& [key, job] : put) {
    auto r = http.Put("/v1/mixes/" + key, headers, mixJobToJson(job, lease_).dump(), "application/json");
    if (!r || r->status != 200) {
      ok = false;
      if (r && r->status != 200)
        logLine(LogLevel::Warning, "mixer host refused mix " + key + ": HTTP " + std::to_string(r->status) + " " +
                                       printable(r->body, 200));
      if (!r) break;  // unreachable: the rest waits for the next round
      continue;
    }
    std::lock_guard lk(mu_);
    auto it = wanted_.find(key);
    if (it != wanted_.end() && it->second.job.mergeParams == job.mergeParams && it->second.job.inputs == job.inputs)
      it->second.sent = true;
    const auto reply = nlohmann::json::parse(r->body, nullptr, false);
    const std::string state = reply.is_object() ? reply.value("state", "") : "";
    if (state == "started") ++counts_.starts;
    if (state == "updated") ++counts_.updates;
  }
  for (const auto& key : del) {
    if (!ok) break;
    auto r = http.Delete("/v1/mixes/" + key, headers);
    if (!r) {
      ok = false;
      break;
    }
    std::lock_guard lk(mu_);
    gone_.erase(key);  // 200, or 404: the host has no such mix either way
  }
  if (ok == hostDown_) {
    hostDown_ = !ok;
    logLine(ok ? LogLevel::Info : LogLevel::Warning,
            ok ? "mixer host " + hostUrl_ + " reachable again" : "mixer host " + hostUrl_ + " cannot be reached; retrying");
  }
  return ok;
}

}  // namespace openlive::roomd
