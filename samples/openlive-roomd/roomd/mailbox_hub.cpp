#include "mailbox_hub.h"

#include <algorithm>

#include "clock.h"

namespace openlive::roomd {

MailboxHub::MailboxHub(size_t capacity, std::chrono::milliseconds retention, size_t maxStreams)
    : capacity_(capacity ? capacity : 1), retention_(retention), maxStreams_(maxStreams) {}

std::shared_ptr<MailboxHub::Box> MailboxHub::boxLocked(const std::string& userID) {
  auto& b = boxes_[userID];
  if (!b) {
    b = std::make_shared<Box>();
    b->lastUseMs = unixMs();
  }
  return b;
}

void MailboxHub::deliver(const std::vector<std::string>& to, const MessagePtr& m) {
  std::lock_guard lk(mu_);
  for (const auto& user : to) {
    auto box = boxLocked(user);
    if (!box->q.empty() && box->q.back()->env.id >= m->env.id) continue;  // a duplicate
    if (box->q.size() >= capacity_) {
      box->lostUpTo = std::max(box->lostUpTo, box->q.front()->env.id);
      box->q.erase(box->q.begin());
      ++dropped_;
    }
    box->q.push_back(m);
    box->cv.notify_all();
  }
}

std::optional<MailboxHub::Stream> MailboxHub::openStream(const std::string& userID) {
  std::lock_guard lk(mu_);
  if (shutdown_) return std::nullopt;
  auto box = boxLocked(userID);
  if (!box->streamOpen) {
    if (open_ >= maxStreams_) return std::nullopt;
    ++open_;
  }
  box->streamOpen = true;
  box->loggedOut = false;
  ++box->generation;  // an older stream of this user sees the change and ends
  box->lastUseMs = unixMs();
  box->cv.notify_all();
  return Stream{userID, box->generation};
}

void MailboxHub::closeStream(const Stream& stream) {
  std::lock_guard lk(mu_);
  auto it = boxes_.find(stream.userID);
  if (it == boxes_.end() || it->second->generation != stream.generation || !it->second->streamOpen) return;
  it->second->streamOpen = false;
  it->second->lastUseMs = unixMs();
  --open_;
}

bool MailboxHub::streamClosedLocked(const Box& box, const Stream& stream) const {
  return shutdown_ || box.generation != stream.generation || !box.streamOpen || box.loggedOut;
}

MailboxHub::Batch MailboxHub::next(const Stream& stream, uint64_t afterId, int64_t sinceMs,
                                   std::chrono::milliseconds wait) {
  std::unique_lock lk(mu_);
  auto box = boxLocked(stream.userID);
  auto pending = [&] {
    for (const auto& m : box->q)
      if (afterId ? m->env.id > afterId : m->env.serverTimeMs >= sinceMs) return true;
    return false;
  };
  box->cv.wait_for(lk, wait, [&] { return streamClosedLocked(*box, stream) || pending(); });
  Batch b;
  b.closed = streamClosedLocked(*box, stream);
  if (b.closed) return b;
  b.gap = afterId != 0 && box->lostUpTo > afterId;
  for (const auto& m : box->q)
    if (afterId ? m->env.id > afterId : m->env.serverTimeMs >= sinceMs) b.messages.push_back(m);
  box->lastUseMs = unixMs();
  return b;
}

void MailboxHub::closeUser(const std::string& userID) {
  std::lock_guard lk(mu_);
  auto it = boxes_.find(userID);
  if (it == boxes_.end()) return;
  it->second->loggedOut = true;
  it->second->q.clear();  // a new login starts a new session
  it->second->cv.notify_all();
}

void MailboxHub::shutdown() {
  std::lock_guard lk(mu_);
  shutdown_ = true;
  for (auto& [user, box] : boxes_) box->cv.notify_all();
}

void MailboxHub::prune(int64_t nowMs) {
  std::lock_guard lk(mu_);
  const int64_t cutoff = nowMs - retention_.count();
  for (auto it = boxes_.begin(); it != boxes_.end();) {
    Box& box = *it->second;
    auto keep = std::find_if(box.q.begin(), box.q.end(),
                             [&](const MessagePtr& m) { return m->env.serverTimeMs >= cutoff; });
    if (keep != box.q.begin()) {
      box.lostUpTo = std::max(box.lostUpTo, (*(keep - 1))->env.id);
      box.q.erase(box.q.begin(), keep);
    }
    const bool idle = !box.streamOpen && box.q.empty() && box.lastUseMs < cutoff;
    it = idle ? boxes_.erase(it) : std::next(it);
  }
}

size_t MailboxHub::openStreams() const {
  std::lock_guard lk(mu_);
  return open_;
}

uint64_t MailboxHub::dropped() const {
  std::lock_guard lk(mu_);
  return dropped_;
}

}  // namespace openlive::roomd
