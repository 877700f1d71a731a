#include "redis_client.h"

#include <hiredis/hiredis.h>

#include <charconv>

#include "store.h"

namespace openlive::roomd {
namespace {

timeval toTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

}  // namespace

std::optional<RedisEndpoint> parseRedisUrl(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  std::string_view rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty() || rest.find_first_of("/@?#[] ") != std::string_view::npos) return std::nullopt;
  RedisEndpoint e;
  const size_t colon = rest.rfind(':');
  e.host = std::string(rest.substr(0, colon));
  if (colon != std::string_view::npos) {
    std::string_view p = rest.substr(colon + 1);
    int port = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (ec != std::errc() || end != p.data() + p.size() || port < 1 || port > 65535) return std::nullopt;
    e.port = port;
  }
  if (e.host.empty()) return std::nullopt;
  return e;
}

void RedisReply::Free::operator()(redisReply* r) const { freeReplyObject(r); }
RedisReply::RedisReply(redisReply* r) : r_(r) {}
bool RedisReply::isNil() const { return !r_ || r_->type == REDIS_REPLY_NIL; }
bool RedisReply::isError() const { return r_ && r_->type == REDIS_REPLY_ERROR; }
bool RedisReply::isString() const { return r_ && (r_->type == REDIS_REPLY_STRING || r_->type == REDIS_REPLY_STATUS); }
bool RedisReply::isInteger() const { return r_ && r_->type == REDIS_REPLY_INTEGER; }
bool RedisReply::isArray() const { return r_ && r_->type == REDIS_REPLY_ARRAY; }
std::string RedisReply::str() const { return str(r_.get()); }
long long RedisReply::integer() const { return isInteger() ? r_->integer : 0; }
size_t RedisReply::size() const { return isArray() ? r_->elements : 0; }
const redisReply* RedisReply::element(size_t i) const { return i < size() ? r_->element[i] : nullptr; }

std::string RedisReply::str(const redisReply* r) {
  if (!r || !r->str) return {};
  if (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS && r->type != REDIS_REPLY_ERROR) return {};
  return std::string(r->str, r->len);
}

std::unique_ptr<RedisConnection> RedisConnection::connect(const RedisEndpoint& endpoint,
                                                          std::chrono::milliseconds timeout,
                                                          std::chrono::milliseconds commandTimeout,
                                                          std::string* why) {
  redisContext* c = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, toTimeval(timeout));
  if (!c || c->err) {
    if (why) *why = c ? c->errstr : "out of memory";
    if (c) redisFree(c);
    return nullptr;
  }
  if (commandTimeout.count() > 0) redisSetTimeout(c, toTimeval(commandTimeout));
  redisEnableKeepAlive(c);
  return std::unique_ptr<RedisConnection>(new RedisConnection(c));
}

RedisConnection::~RedisConnection() {
  if (c_) redisFree(c_);
}

int RedisConnection::fd() const { return c_ ? c_->fd : -1; }

void RedisConnection::fail(const char* what) {
  broken_ = true;
  throw StoreUnavailable(std::string("redis ") + what + ": " + (c_ && c_->err ? c_->errstr : "no reply"));
}

RedisReply RedisConnection::command(const std::vector<std::string>& args) {
  if (broken_) fail("connection broken");
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  void* r = redisCommandArgv(c_, static_cast<int>(argv.size()), argv.data(), lens.data());
  if (!r) fail("command failed");
  return RedisReply(static_cast<redisReply*>(r));
}

RedisReply RedisConnection::readReply() {
  if (broken_) fail("connection broken");
  void* r = nullptr;
  if (redisGetReply(c_, &r) != REDIS_OK || !r) fail("read failed");
  return RedisReply(static_cast<redisReply*>(r));
}

RedisPool::RedisPool(RedisEndpoint endpoint, size_t size, std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), size_(size ? size : 1), timeout_(timeout) {}

RedisPool::~RedisPool() = default;

RedisPool::Lease::~Lease() {
  if (c_) pool_->release(std::move(c_));
}

RedisPool::Lease RedisPool::acquire() {
  std::unique_lock lk(mu_);
  if (!cv_.wait_for(lk, timeout_, [&] { return !idle_.empty() || leased_ < size_; }))
    throw StoreUnavailable("redis: no free connection within the timeout");
  ++leased_;
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(c));
  }
  lk.unlock();  // connect outside the lock
  std::string why;
  auto c = RedisConnection::connect(endpoint_, timeout_, timeout_, &why);
  if (!c) {
    std::lock_guard relock(mu_);
    --leased_;
    cv_.notify_one();
    throw StoreUnavailable("redis connect failed: " + why);
  }
  return Lease(*this, std::move(c));
}

void RedisPool::release(std::unique_ptr<RedisConnection> c) {
  std::lock_guard lk(mu_);
  --leased_;
  if (!c->broken()) idle_.push_back(std::move(c));
  cv_.notify_one();
}

RedisReply RedisPool::run(const std::vector<std::string>& args) {
  auto lease = acquire();
  return lease->command(args);
}

}  // namespace openlive::roomd
