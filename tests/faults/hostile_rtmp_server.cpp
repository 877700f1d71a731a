#include "faults/hostile_rtmp_server.h"
#include "faults/loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <random>

namespace openlive::test {
namespace {

using Clock = std::chrono::steady_clock;

// Blocking helpers bounded by a deadline and the stop flag.
bool readFull(int fd, uint8_t* p, size_t n, const std::atomic<bool>& stop, int timeoutMs = 3000) {
  size_t got = 0;
  auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
  while (got < n) {
    if (stop || Clock::now() > deadline) return false;
    pollfd q{fd, POLLIN, 0};
    if (::poll(&q, 1, 20) <= 0) continue;
    ssize_t r = ::recv(fd, p + got, n - got, 0);
    if (r <= 0) return false;
    got += static_cast<size_t>(r);
  }
  return true;
}

bool writeAll(int fd, const uint8_t* p, size_t n) {
  size_t off = 0;
  while (off < n) {
    ssize_t w = ::send(fd, p + off, n - off, MSG_NOSIGNAL);
    if (w <= 0) return false;
    off += static_cast<size_t>(w);
  }
  return true;
}
bool writeAll(int fd, const std::vector<uint8_t>& v) { return writeAll(fd, v.data(), v.size()); }

void put24(std::vector<uint8_t>& v, uint32_t x) {
  v.push_back(static_cast<uint8_t>(x >> 16));
  v.push_back(static_cast<uint8_t>(x >> 8));
  v.push_back(static_cast<uint8_t>(x));
}
void put32(std::vector<uint8_t>& v, uint32_t x) {
  v.push_back(static_cast<uint8_t>(x >> 24));
  put24(v, x & 0xFFFFFF);
}

// AMF0 encoders (just what the answers need).
void amfString(std::vector<uint8_t>& v, const std::string& s) {
  v.push_back(0x02);
  v.push_back(static_cast<uint8_t>(s.size() >> 8));
  v.push_back(static_cast<uint8_t>(s.size()));
  v.insert(v.end(), s.begin(), s.end());
}
void amfNumber(std::vector<uint8_t>& v, double d) {
  v.push_back(0x00);
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  for (int i = 7; i >= 0; --i) v.push_back(static_cast<uint8_t>(bits >> (i * 8)));
}
void amfNull(std::vector<uint8_t>& v) { v.push_back(0x05); }
void amfKey(std::vector<uint8_t>& v, const std::string& k) {
  v.push_back(static_cast<uint8_t>(k.size() >> 8));
  v.push_back(static_cast<uint8_t>(k.size()));
  v.insert(v.end(), k.begin(), k.end());
}
void amfObjectStart(std::vector<uint8_t>& v) { v.push_back(0x03); }
void amfObjectEnd(std::vector<uint8_t>& v) {
  v.push_back(0);
  v.push_back(0);
  v.push_back(0x09);
}

// One message as a single type-0 chunk sequence with the given chunk size.
std::vector<uint8_t> chunked(int csid, uint32_t ts, uint8_t type, uint32_t streamId, const std::vector<uint8_t>& body,
                             size_t chunkSize = 128, uint32_t declaredSize = 0) {
  std::vector<uint8_t> out;
  bool ext = ts >= 0xFFFFFF;
  out.push_back(static_cast<uint8_t>(csid & 0x3F));
  put24(out, ext ? 0xFFFFFF : ts);
  put24(out, declaredSize ? declaredSize : static_cast<uint32_t>(body.size()));
  out.push_back(type);
  out.push_back(static_cast<uint8_t>(streamId));
  out.push_back(static_cast<uint8_t>(streamId >> 8));
  out.push_back(static_cast<uint8_t>(streamId >> 16));
  out.push_back(static_cast<uint8_t>(streamId >> 24));
  if (ext) put32(out, ts);
  for (size_t off = 0; off < body.size(); off += chunkSize) {
    if (off > 0) {
      out.push_back(static_cast<uint8_t>(0xC0 | (csid & 0x3F)));
      if (ext) put32(out, ts);
    }
    size_t n = std::min(chunkSize, body.size() - off);
    out.insert(out.end(), body.begin() + static_cast<long>(off), body.begin() + static_cast<long>(off + n));
  }
  return out;
}

std::vector<uint8_t> command(const std::string& name, double txn, bool withInfo, const std::string& code = "",
                             double streamIdResult = -1) {
  std::vector<uint8_t> b;
  amfString(b, name);
  amfNumber(b, txn);
  if (name == "_result" && !withInfo && streamIdResult < 0) {
    amfObjectStart(b);
    amfKey(b, "fmsVer");
    amfString(b, "FMS/3,0,1,123");
    amfObjectEnd(b);
    amfObjectStart(b);
    amfKey(b, "level");
    amfString(b, "status");
    amfKey(b, "code");
    amfString(b, "NetConnection.Connect.Success");
    amfObjectEnd(b);
    return b;
  }
  amfNull(b);
  if (streamIdResult >= 0) {
    amfNumber(b, streamIdResult);
    return b;
  }
  if (withInfo) {
    amfObjectStart(b);
    amfKey(b, "level");
    amfString(b, "status");
    amfKey(b, "code");
    amfString(b, code);
    amfKey(b, "description");
    amfString(b, "hostile test server");
    amfObjectEnd(b);
  }
  return b;
}

// Minimal server-side chunk-stream reader: returns complete messages (type, body).
struct ChunkReader {
  struct Chan {
    uint32_t ts = 0, len = 0, sid = 0;
    uint8_t type = 0;
    std::vector<uint8_t> buf;
  };
  std::map<int, Chan> chans;
  size_t chunkSize = 128;

  // Reads one chunk; fills `type`/`body` when a message completed. False on I/O failure or nonsense.
  bool readChunk(int fd, const std::atomic<bool>& stop, bool& complete, uint8_t& type, std::vector<uint8_t>& body) {
    complete = false;
    uint8_t b0;
    if (!readFull(fd, &b0, 1, stop)) return false;
    int fmt = b0 >> 6, csid = b0 & 0x3F;
    if (csid == 0) {
      uint8_t x;
      if (!readFull(fd, &x, 1, stop)) return false;
      csid = 64 + x;
    } else if (csid == 1) {
      uint8_t x[2];
      if (!readFull(fd, x, 2, stop)) return false;
      csid = 64 + x[0] + x[1] * 256;
    }
    Chan& c = chans[csid];
    uint8_t h[11];
    size_t hl = fmt == 0 ? 11 : fmt == 1 ? 7 : fmt == 2 ? 3 : 0;
    if (hl && !readFull(fd, h, hl, stop)) return false;
    uint32_t ts = hl ? (uint32_t(h[0]) << 16 | uint32_t(h[1]) << 8 | h[2]) : 0;
    if (fmt <= 1) {
      c.len = uint32_t(h[3]) << 16 | uint32_t(h[4]) << 8 | h[5];
      c.type = h[6];
      if (c.len > (1u << 24)) return false;
    }
    if (fmt == 0) c.sid = uint32_t(h[7]) | uint32_t(h[8]) << 8 | uint32_t(h[9]) << 16 | uint32_t(h[10]) << 24;
    if (hl && ts == 0xFFFFFF) {
      uint8_t e[4];
      if (!readFull(fd, e, 4, stop)) return false;
    }
    size_t want = std::min<size_t>(chunkSize, c.len - c.buf.size());
    size_t at = c.buf.size();
    c.buf.resize(at + want);
    if (want && !readFull(fd, c.buf.data() + at, want, stop)) return false;
    if (c.buf.size() == c.len) {
      complete = true;
      type = c.type;
      body.swap(c.buf);
      c.buf.clear();
      if (type == 1 && body.size() >= 4)
        chunkSize = (uint32_t(body[0] & 0x7F) << 24 | uint32_t(body[1]) << 16 | uint32_t(body[2]) << 8 | body[3]);
      if (chunkSize == 0 || chunkSize > (1u << 24)) return false;
    }
    return true;
  }
};

// "name" and txn of an AMF0 command body.
bool parseCommand(const std::vector<uint8_t>& b, std::string& name, double& txn) {
  if (b.size() < 3 || b[0] != 0x02) return false;
  size_t n = size_t(b[1]) << 8 | b[2];
  if (b.size() < 3 + n + 9) return false;
  name.assign(b.begin() + 3, b.begin() + 3 + static_cast<long>(n));
  if (b[3 + n] != 0x00) return false;
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = bits << 8 | b[4 + n + i];
  std::memcpy(&txn, &bits, 8);
  return true;
}

std::vector<uint8_t> avcSequenceHeader() {
  // A real AVCDecoderConfigurationRecord for 320x240 baseline (SPS/PPS from x264).
  return {0x17, 0x00, 0x00, 0x00, 0x00, 0x01, 0x42, 0xC0, 0x0D, 0xFF, 0xE1, 0x00, 0x0F, 0x67, 0x42, 0xC0,
          0x0D, 0xD9, 0x01, 0x41, 0xFB, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03,
          0xC8, 0xF1, 0x42, 0x99, 0x20, 0x01, 0x00, 0x04, 0x68, 0xCB, 0x8C, 0xB2};
}

}  // namespace

const char* HostileRtmpServer::name(Behavior b) {
  switch (b) {
    case Behavior::GarbageAfterHandshake: return "garbage-after-handshake";
    case Behavior::HugeMessageSize: return "huge-message-size";
    case Behavior::WrongStreamIds: return "wrong-stream-ids";
    case Behavior::BackwardTimestamps: return "backward-timestamps";
    case Behavior::TimestampWrap: return "timestamp-wrap";
    case Behavior::MalformedTags: return "malformed-tags";
    case Behavior::TruncatedThenClose: return "truncated-then-close";
    case Behavior::ChunkSizeZero: return "chunk-size-zero";
    case Behavior::RestartIncompleteMessage: return "restart-incomplete-message";
    case Behavior::RandomChunks: return "random-chunks";
  }
  return "?";
}

std::vector<HostileRtmpServer::Behavior> HostileRtmpServer::all() {
  return {Behavior::GarbageAfterHandshake, Behavior::HugeMessageSize, Behavior::WrongStreamIds,
          Behavior::BackwardTimestamps,    Behavior::TimestampWrap,   Behavior::MalformedTags,
          Behavior::TruncatedThenClose,    Behavior::ChunkSizeZero,   Behavior::RandomChunks,
          Behavior::RestartIncompleteMessage};
}

HostileRtmpServer::HostileRtmpServer(Behavior behavior, unsigned seed) : behavior_(behavior), seed_(seed) {
  listenFd_ = listenLoopback(&port_);
  acceptThread_ = std::thread([this] {
    while (!stop_) {
      pollfd p{listenFd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int c = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      ++connections_;
      sessions_.emplace_back([this, c] {
        serve(c);
        ::close(c);
      });
    }
  });
}

HostileRtmpServer::~HostileRtmpServer() {
  {
    std::lock_guard lk(stopMu_);
    stop_ = true;
  }
  stopCv_.notify_all();
  acceptThread_.join();
  for (auto& t : sessions_) t.join();
  ::close(listenFd_);
}

void HostileRtmpServer::holdUntil(Clock::time_point until) {
  std::unique_lock lk(stopMu_);
  stopCv_.wait_until(lk, until, [&] { return stop_.load(); });
}

std::string HostileRtmpServer::url(const std::string& stream) const {
  return "rtmp://127.0.0.1:" + std::to_string(port_) + "/live/" + stream;
}

void HostileRtmpServer::serve(int fd) {
  std::mt19937 rng(seed_ + static_cast<unsigned>(connections_.load()));
  auto randomBytes = [&](size_t n) {
    std::vector<uint8_t> v(n);
    for (auto& x : v) x = static_cast<uint8_t>(rng());
    return v;
  };
  // Handshake: C0+C1 -> S0+S1+S2, then C2.
  std::vector<uint8_t> c01(1537);
  if (!readFull(fd, c01.data(), c01.size(), stop_)) return;
  std::vector<uint8_t> s(1 + 1536 + 1536);
  s[0] = 3;
  auto r1 = randomBytes(1536);
  std::memset(r1.data(), 0, 8);
  std::copy(r1.begin(), r1.end(), s.begin() + 1);
  std::copy(c01.begin() + 1, c01.end(), s.begin() + 1 + 1536);
  if (!writeAll(fd, s)) return;
  std::vector<uint8_t> c2(1536);
  if (!readFull(fd, c2.data(), c2.size(), stop_)) return;

  if (behavior_ == Behavior::GarbageAfterHandshake) {
    for (int i = 0; i < 20 && !stop_; ++i) {
      if (!writeAll(fd, randomBytes(4096))) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // scenario: garbage paced, not one burst
    }
    return;
  }

  // Answer the client's commands until it asks to play (or publish).
  ChunkReader reader;
  auto deadline = Clock::now() + std::chrono::seconds(5);
  bool playing = false;
  while (!playing && !stop_ && Clock::now() < deadline) {
    bool complete = false;
    uint8_t type = 0;
    std::vector<uint8_t> body;
    if (!reader.readChunk(fd, stop_, complete, type, body)) return;
    if (!complete || (type != 0x14 && type != 0x11)) continue;
    if (type == 0x11 && !body.empty()) body.erase(body.begin());  // AMF3 command: skip the format byte
    std::string name;
    double txn = 0;
    if (!parseCommand(body, name, txn)) continue;
    if (name == "connect") {
      writeAll(fd, chunked(3, 0, 0x14, 0, command("_result", txn, false)));
    } else if (name == "createStream") {
      writeAll(fd, chunked(3, 0, 0x14, 0, command("_result", txn, false, "", 1)));
    } else if (name == "play" || name == "publish") {
      bool play = name == "play";
      ++playing_;  // counted before the answer, so a client that got it always sees the count
      writeAll(fd, chunked(5, 0, 0x14, 1, command("onStatus", 0, true, play ? "NetStream.Play.Start" : "NetStream.Publish.Start")));
      playing = true;
    }
  }
  if (!playing) return;

  const size_t cs = 128;
  auto send = [&](const std::vector<uint8_t>& v) { return writeAll(fd, v); };
  auto endAt = Clock::now() + std::chrono::seconds(4);
  switch (behavior_) {
    case Behavior::GarbageAfterHandshake: break;
    case Behavior::HugeMessageSize: {
      std::vector<uint8_t> start(1000, 0x17);
      send(chunked(6, 0, 0x09, 1, start, cs, 0xFFFFF0));  // declares ~16 MiB (24-bit max), sends 1000 bytes
      holdUntil(endAt);
      break;
    }
    case Behavior::WrongStreamIds:
      for (uint32_t i = 0; i < 200 && !stop_; ++i) {
        auto body = randomBytes(200);
        body[0] = 0x27;
        if (!send(chunked(6, i * 40, 0x09, 7 + i, body, cs))) return;
      }
      break;
    case Behavior::BackwardTimestamps:
    case Behavior::TimestampWrap: {
      if (!send(chunked(6, 0, 0x09, 1, avcSequenceHeader(), cs))) return;
      uint32_t ts = behavior_ == Behavior::TimestampWrap ? 0xFFFFFFFFu - 2000 : 10000;
      for (int i = 0; i < 150 && !stop_; ++i) {
        std::vector<uint8_t> frame = {static_cast<uint8_t>(i % 30 == 0 ? 0x17 : 0x27), 0x01, 0, 0, 0};
        auto nal = randomBytes(300);
        put32(frame, static_cast<uint32_t>(nal.size()));
        frame.insert(frame.end(), nal.begin(), nal.end());
        if (!send(chunked(6, ts, 0x09, 1, frame, cs))) return;
        std::vector<uint8_t> aac = {0xAF, 0x01};
        auto a = randomBytes(100);
        aac.insert(aac.end(), a.begin(), a.end());
        if (!send(chunked(4, ts, 0x08, 1, aac, cs))) return;
        ts += 40;
        if (behavior_ == Behavior::BackwardTimestamps && i % 10 == 9) ts -= 3000;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // scenario: media paced, not one burst
      }
      break;
    }
    case Behavior::MalformedTags:
      for (int i = 0; i < 300 && !stop_; ++i) {
        std::vector<uint8_t> body;
        switch (i % 6) {
          case 0: body = {0x17, 0x00}; break;                                // truncated AVC sequence header
          case 1: body = {0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0, 0x1F, 0xFF, 0xE5}; break;  // 5 SPS declared, none present
          case 2: body = {0x17, 0x01, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0x65}; break;     // NALU length beyond the tag
          case 3: body = {0xAF, 0x00, 0xFF}; break;                          // nonsense AudioSpecificConfig
          case 4: body = {0x02, 0x00}; break;                                // script data that is not AMF
          default: body = randomBytes(1 + rng() % 64); break;
        }
        uint8_t type = i % 6 == 3 ? 0x08 : i % 6 == 4 ? 0x12 : 0x09;
        if (!send(chunked(type == 0x08 ? 4 : 6, static_cast<uint32_t>(i * 33), type, 1, body, cs))) return;
      }
      break;
    case Behavior::TruncatedThenClose: {
      auto v = chunked(6, 0, 0x09, 1, randomBytes(5000), cs);
      v.resize(v.size() / 2);
      send(v);
      ::shutdown(fd, SHUT_WR);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));  // scenario: half-closed for a while
      break;
    }
    case Behavior::ChunkSizeZero:
      send(chunked(2, 0, 0x01, 0, {0, 0, 0, 0}, cs));
      send(chunked(2, 0, 0x01, 0, {0x7F, 0xFF, 0xFF, 0xFF}, cs));
      send(randomBytes(2000));
      break;
    case Behavior::RestartIncompleteMessage:
      // Each round: the first chunk of a 1 MiB message, then a new type-0 header on the same chunk stream.
      for (int i = 0; i < 200 && !stop_; ++i) {
        std::vector<uint8_t> first(128, 0x27);
        auto v = chunked(6, static_cast<uint32_t>(i), 0x09, 1, first, cs, 1u << 20);
        if (!send(v)) return;
      }
      break;
    case Behavior::RandomChunks:
      for (int i = 0; i < 200 && !stop_; ++i) {
        auto v = randomBytes(1 + rng() % 700);
        if (!send(v)) return;
      }
      break;
  }
  // Keep the socket open a little so the client sees the bad data, not an EOF first.
  holdUntil(Clock::now() + std::chrono::milliseconds(500));
}

}  // namespace openlive::test
