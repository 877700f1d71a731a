#include "redis_store.h"

#include <hiredis/hiredis.h>

#include "request.h"

namespace openlive::roomd {
namespace {

using nlohmann::json;

constexpr int kMaxAttempts = 64;  // optimistic retries of one mutateRoom before giving up (code 1)

std::string kindName(RoomKind kind) { return std::string(traits(kind).base); }
std::string roomKey(RoomKind kind, const std::string& id) { return "ol:room:" + kindName(kind) + ":" + id; }
std::string indexKey(RoomKind kind) { return "ol:rooms:" + kindName(kind); }
std::string hbKey(RoomKind kind, const std::string& room, const std::string& user) {
  return "ol:hb:" + kindName(kind) + ":" + std::to_string(room.size()) + ":" + room + ":" + user;
}
std::string tokenKey(const std::string& user) { return "ol:token:" + user; }
std::string liveKey(const std::string& stream) { return "ol:live:" + stream; }

std::optional<RoomState> decodeRoom(const std::string& text) {
  auto doc = parseJsonBounded(text);
  if (!doc) return std::nullopt;
  return roomFromJson(*doc);
}

}  // namespace

RedisStore::RedisStore(RedisPool& pool, std::chrono::milliseconds roomTtl)
    : pool_(pool), ttlMs_(std::to_string(roomTtl.count())) {}

bool RedisStore::createRoom(RoomKind kind, const RoomState& room) {
  auto r = pool_.run({"SET", roomKey(kind, room.roomID), toJson(room).dump(), "NX", "PX", ttlMs_});
  if (r.isNil()) return false;
  pool_.run({"ZADD", indexKey(kind), std::to_string(room.createdMs), room.roomID});
  return true;
}

std::optional<RoomState> RedisStore::getRoom(RoomKind kind, const std::string& roomID) {
  auto r = pool_.run({"GET", roomKey(kind, roomID)});
  if (!r.isString()) return std::nullopt;
  return decodeRoom(r.str());
}

std::vector<RoomState> RedisStore::listRooms(RoomKind kind) {
  auto ids = pool_.run({"ZRANGE", indexKey(kind), "0", "-1"});
  std::vector<RoomState> out;
  if (ids.size() == 0) return out;
  std::vector<std::string> mget{"MGET"};
  for (size_t i = 0; i < ids.size(); ++i) mget.push_back(roomKey(kind, RedisReply::str(ids.element(i))));
  auto docs = pool_.run(mget);
  std::vector<std::string> stale{"ZREM", indexKey(kind)};
  for (size_t i = 0; i < ids.size(); ++i) {
    const redisReply* d = docs.element(i);
    std::optional<RoomState> room;
    if (d && d->type == REDIS_REPLY_STRING) room = decodeRoom(RedisReply::str(d));
    if (room)
      out.push_back(std::move(*room));
    else
      stale.push_back(RedisReply::str(ids.element(i)));  // expired (TTL) or deleted
  }
  if (stale.size() > 2) pool_.run(stale);
  return out;
}

RedisStore::Attempt RedisStore::mutateOnce(const std::string& key, const std::string& index,
                                           const std::string& roomID, const Mutator& mutator) {
  auto c = pool_.acquire();
  c->command({"WATCH", key});
  auto cur = c->command({"GET", key});
  std::optional<RoomState> room;
  if (cur.isString()) room = decodeRoom(cur.str());
  if (!room) {
    c->command({"UNWATCH"});
    return Attempt::Missing;
  }
  const Mutation m = mutator(*room);
  if (m == Mutation::None) {
    c->command({"UNWATCH"});
    return Attempt::Done;
  }
  c->command({"MULTI"});
  if (m == Mutation::Write) {
    c->command({"SET", key, toJson(*room).dump(), "PX", ttlMs_});
  } else {
    c->command({"DEL", key});
    c->command({"ZREM", index, roomID});
  }
  auto exec = c->command({"EXEC"});
  return exec.isNil() ? Attempt::Conflict : Attempt::Done;
}

bool RedisStore::mutateRoom(RoomKind kind, const std::string& roomID, const Mutator& mutator) {
  const std::string key = roomKey(kind, roomID);
  const std::string index = indexKey(kind);
  for (int i = 0; i < kMaxAttempts; ++i) {
    switch (mutateOnce(key, index, roomID, mutator)) {
      case Attempt::Missing: return false;
      case Attempt::Done: return true;
      case Attempt::Conflict: break;
    }
  }
  throw StoreUnavailable("redis: room " + roomID + " changed under us " + std::to_string(kMaxAttempts) + " times");
}

void RedisStore::touchMember(RoomKind kind, const std::string& roomID, const std::string& userID,
                             std::chrono::milliseconds silence) {
  pool_.run({"SET", hbKey(kind, roomID, userID), "1", "PX", std::to_string(silence.count())});
  pool_.run({"PEXPIRE", roomKey(kind, roomID), ttlMs_});
}

bool RedisStore::memberFresh(RoomKind kind, const std::string& roomID, const std::string& userID) {
  return pool_.run({"EXISTS", hbKey(kind, roomID, userID)}).integer() > 0;
}

void RedisStore::forgetMember(RoomKind kind, const std::string& roomID, const std::string& userID) {
  pool_.run({"DEL", hbKey(kind, roomID, userID)});
}

void RedisStore::putToken(const std::string& userID, const TokenRecord& record, std::chrono::seconds ttl) {
  json doc = {{"token", record.token}, {"issuedMs", record.issuedMs}};
  pool_.run({"SET", tokenKey(userID), doc.dump(), "EX", std::to_string(ttl.count())});
}

std::optional<TokenRecord> RedisStore::getToken(const std::string& userID) {
  auto r = pool_.run({"GET", tokenKey(userID)});
  if (!r.isString()) return std::nullopt;
  auto doc = parseJsonBounded(r.str());
  if (!doc || !doc->is_object()) return std::nullopt;
  auto token = doc->find("token");
  auto issued = doc->find("issuedMs");
  if (token == doc->end() || !token->is_string() || issued == doc->end() || !issued->is_number_integer())
    return std::nullopt;
  return TokenRecord{token->get<std::string>(), issued->get<int64_t>()};
}

void RedisStore::dropToken(const std::string& userID) { pool_.run({"DEL", tokenKey(userID)}); }

void RedisStore::setStreamLive(const std::string& streamName, bool live) {
  if (live)
    pool_.run({"SET", liveKey(streamName), "1"});
  else
    pool_.run({"DEL", liveKey(streamName)});
}

bool RedisStore::streamLive(const std::string& streamName) {
  return pool_.run({"EXISTS", liveKey(streamName)}).integer() > 0;
}

}  // namespace openlive::roomd
