// A thin RAII layer over hiredis (Debian libhiredis-dev): connections, replies, a small bounded pool.
//
// Commands are sent as argument vectors (redisCommandArgv), never formatted into strings, so keys and values are
// binary-safe and nothing is interpreted. An I/O error (redis gone, command timeout) throws StoreUnavailable and
// marks the connection broken; the pool replaces broken connections on the next acquire.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;
struct redisReply;

namespace openlive::roomd {

struct RedisEndpoint {
  std::string host;
  int port = 6379;
};
// redis://HOST[:PORT][/] -> endpoint; nullopt for anything else (no credentials, no db index).
std::optional<RedisEndpoint> parseRedisUrl(std::string_view url);

class RedisReply {
 public:
  RedisReply() = default;
  explicit RedisReply(redisReply* r);
  bool isNil() const;
  bool isError() const;
  bool isString() const;  // bulk string or status
  bool isInteger() const;
  bool isArray() const;
  std::string str() const;  // "" unless a string / status / error
  long long integer() const;
  size_t size() const;                  // array elements
  const redisReply* element(size_t i) const;
  static std::string str(const redisReply* r);
  const redisReply* raw() const { return r_.get(); }

 private:
  struct Free {
    void operator()(redisReply* r) const;
  };
  std::unique_ptr<redisReply, Free> r_;
};

class RedisConnection {
 public:
  // Connects within `timeout`; commands then time out after `commandTimeout` (0: never, for a subscriber).
  static std::unique_ptr<RedisConnection> connect(const RedisEndpoint& endpoint, std::chrono::milliseconds timeout,
                                                  std::chrono::milliseconds commandTimeout, std::string* why);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends one command and reads its reply. Throws StoreUnavailable on an I/O error (then broken() is true).
  RedisReply command(const std::vector<std::string>& args);
  // Reads the next pushed reply (a subscriber's messages). Throws StoreUnavailable on EOF / error.
  RedisReply readReply();
  bool broken() const { return broken_; }
  int fd() const;

 private:
  explicit RedisConnection(redisContext* c) : c_(c) {}
  [[noreturn]] void fail(const char* what);
  redisContext* c_ = nullptr;
  bool broken_ = false;
};

// A fixed number of command connections; acquire() waits (block policy) up to the command timeout for a free one.
class RedisPool {
 public:
  RedisPool(RedisEndpoint endpoint, size_t size, std::chrono::milliseconds timeout);
  ~RedisPool();

  class Lease {
   public:
    Lease(RedisPool& pool, std::unique_ptr<RedisConnection> c) : pool_(&pool), c_(std::move(c)) {}
    Lease(Lease&& o) noexcept = default;
    ~Lease();
    RedisConnection* operator->() { return c_.get(); }
    RedisConnection& operator*() { return *c_; }

   private:
    RedisPool* pool_;
    std::unique_ptr<RedisConnection> c_;
  };
  // Throws StoreUnavailable when no connection can be had within the timeout.
  Lease acquire();
  // One command on a pooled connection.
  RedisReply run(const std::vector<std::string>& args);
  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  void release(std::unique_ptr<RedisConnection> c);

  const RedisEndpoint endpoint_;
  const size_t size_;
  const std::chrono::milliseconds timeout_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;  // guarded by mu_
  size_t leased_ = 0;                                   // guarded by mu_
};

}  // namespace openlive::roomd
