#include "faults/fault_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <list>
#include <random>
#include <sstream>
#include <stdexcept>

namespace openlive::test {
namespace {

using Clock = std::chrono::steady_clock;

struct Chunk {
  Clock::time_point release;
  std::vector<uint8_t> bytes;
  size_t offset = 0;
};

struct Pipe {  // one direction of one connection
  std::deque<Chunk> chunks;
  size_t buffered = 0;
  bool srcEof = false;
  bool dstShut = false;
  double tokens = 0;
  Clock::time_point lastRefill = Clock::now();
  Clock::time_point lastRelease{};
};

struct Conn {
  int cfd = -1, sfd = -1;
  bool blackHoled = false;
  Pipe up, down;  // up: client -> server
  bool dead = false;
};

std::string dirName(Direction d) {
  return d == Direction::Upstream ? "up" : d == Direction::Downstream ? "down" : "both";
}

}  // namespace

struct FaultProxy::Shared {
  mutable std::mutex mu;  // guards everything below
  std::chrono::milliseconds delay{0}, jitter{0};
  int64_t rateUp = 0, rateDown = 0;
  Clock::time_point stallUpUntil{}, stallDownUntil{};
  bool blackHole = false;
  size_t maxBuffered = FaultProxy::kMaxBuffered;
  bool cutRequested = false;
  bool stopping = false;
  std::deque<std::string> log;  // the newest kMaxLogLines; older ones dropped (counted in logDropped)
  uint64_t logDropped = 0;
  uint64_t fwdUp = 0, fwdDown = 0;
  Clock::time_point start = Clock::now();
  std::string host;
  int upstreamPort = 0;
  int listenFd = -1;
  int wakeFd = -1;
  std::mutex scheduleMu;
  std::condition_variable scheduleCv;  // wakes a schedule waiting for its next step when it is replaced
  std::atomic<uint64_t> scheduleGeneration{0};

  uint64_t nextScheduleGeneration() {  // cancels the running schedule, if any
    uint64_t g;
    {
      std::lock_guard lk(scheduleMu);
      g = ++scheduleGeneration;
    }
    scheduleCv.notify_all();
    return g;
  }

  void wake() const {
    uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wakeFd, &one, sizeof one);
  }
  void noteLocked(const std::string& what) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    log.push_back("[" + std::to_string(ms) + " ms] " + what);
    if (log.size() > FaultProxy::kMaxLogLines) {  // a soak runs for hours: policy drop-oldest
      log.pop_front();
      ++logDropped;
    }
  }
};

FaultProxy::FaultProxy(std::string upstreamHost, int upstreamPort) : s_(std::make_shared<Shared>()) {
  s_->host = std::move(upstreamHost);
  s_->upstreamPort = upstreamPort;
  s_->listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(s_->listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (::bind(s_->listenFd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(s_->listenFd, 64) != 0)
    throw std::runtime_error(std::string("fault proxy: cannot listen: ") + std::strerror(errno));
  socklen_t len = sizeof a;
  getsockname(s_->listenFd, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  fcntl(s_->listenFd, F_SETFL, O_NONBLOCK);
  s_->wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  note("listening on 127.0.0.1:" + std::to_string(port_) + " -> " + s_->host + ":" + std::to_string(upstreamPort));
  thread_ = std::thread([this] { loop(); });
}

FaultProxy::~FaultProxy() {
  s_->nextScheduleGeneration();
  {
    std::lock_guard lk(s_->mu);
    s_->stopping = true;
  }
  s_->wake();
  if (scheduleThread_.joinable()) scheduleThread_.join();
  if (thread_.joinable()) thread_.join();
  ::close(s_->listenFd);
  ::close(s_->wakeFd);
}

void FaultProxy::note(const std::string& what) {
  std::lock_guard lk(s_->mu);
  s_->noteLocked(what);
}

void FaultProxy::setDelay(std::chrono::milliseconds delay, std::chrono::milliseconds jitter) {
  std::lock_guard lk(s_->mu);
  s_->delay = delay;
  s_->jitter = jitter;
  s_->noteLocked("delay " + std::to_string(delay.count()) + " ms, jitter " + std::to_string(jitter.count()) + " ms");
}

void FaultProxy::setThroughput(int64_t bps, Direction dir) {
  {
    std::lock_guard lk(s_->mu);
    if (dir != Direction::Downstream) s_->rateUp = bps;
    if (dir != Direction::Upstream) s_->rateDown = bps;
    s_->noteLocked("throughput " + dirName(dir) + " " + (bps ? std::to_string(bps) + " B/s" : "unlimited"));
  }
  s_->wake();
}

void FaultProxy::stall(std::chrono::milliseconds duration, Direction dir) {
  {
    std::lock_guard lk(s_->mu);
    auto until = Clock::now() + duration;
    if (dir != Direction::Downstream) s_->stallUpUntil = until;
    if (dir != Direction::Upstream) s_->stallDownUntil = until;
    s_->noteLocked("stall " + dirName(dir) + " " + std::to_string(duration.count()) + " ms");
  }
  s_->wake();
}

void FaultProxy::cutAll() {
  {
    std::lock_guard lk(s_->mu);
    s_->cutRequested = true;
    s_->noteLocked("cut all connections");
  }
  s_->wake();
}

void FaultProxy::setMaxBuffered(size_t bytes) {
  std::lock_guard lk(s_->mu);
  s_->maxBuffered = std::max<size_t>(bytes, 4096);
  s_->noteLocked("max buffered " + std::to_string(s_->maxBuffered) + " B per direction");
}

void FaultProxy::setBlackHole(bool on) {
  std::lock_guard lk(s_->mu);
  s_->blackHole = on;
  s_->noteLocked(std::string("black hole ") + (on ? "on" : "off"));
}

void FaultProxy::clear() {
  {
    std::lock_guard lk(s_->mu);
    s_->delay = s_->jitter = std::chrono::milliseconds(0);
    s_->rateUp = s_->rateDown = 0;
    s_->stallUpUntil = s_->stallDownUntil = Clock::time_point{};
    s_->blackHole = false;
    s_->noteLocked("clear all faults");
  }
  s_->wake();
}

void FaultProxy::apply(const FaultStep& st) {
  switch (st.kind) {
    case FaultStep::Kind::Delay: setDelay(st.duration, st.jitter); break;
    case FaultStep::Kind::Throughput: setThroughput(st.bytesPerSecond, st.direction); break;
    case FaultStep::Kind::Stall: stall(st.duration, st.direction); break;
    case FaultStep::Kind::Cut: cutAll(); break;
    case FaultStep::Kind::BlackHole: setBlackHole(st.on); break;
    case FaultStep::Kind::Clear: clear(); break;
  }
}

void FaultProxy::runSchedule(std::vector<FaultStep> steps) {
  uint64_t gen = s_->nextScheduleGeneration();
  if (scheduleThread_.joinable()) scheduleThread_.join();
  std::sort(steps.begin(), steps.end(), [](const FaultStep& a, const FaultStep& b) { return a.at < b.at; });
  scheduleThread_ = std::thread([this, steps = std::move(steps), gen] {
    auto t0 = Clock::now();
    for (const auto& st : steps) {
      {
        std::unique_lock lk(s_->scheduleMu);
        if (s_->scheduleCv.wait_until(lk, t0 + st.at, [&] { return s_->scheduleGeneration.load() != gen; })) return;
      }
      apply(st);
    }
  });
}

std::vector<std::string> FaultProxy::log() const {
  std::lock_guard lk(s_->mu);
  std::vector<std::string> out;
  if (s_->logDropped) out.push_back("(" + std::to_string(s_->logDropped) + " older lines dropped)");
  out.insert(out.end(), s_->log.begin(), s_->log.end());
  return out;
}

uint64_t FaultProxy::bytesForwarded(Direction dir) const {
  std::lock_guard lk(s_->mu);
  if (dir == Direction::Upstream) return s_->fwdUp;
  if (dir == Direction::Downstream) return s_->fwdDown;
  return s_->fwdUp + s_->fwdDown;
}

void FaultProxy::loop() {
  std::list<Conn> conns;
  std::mt19937 rng(12345);
  std::vector<uint8_t> buf(64 * 1024);

  auto connectUpstream = [&]() -> int {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(s_->upstreamPort));
    inet_pton(AF_INET, s_->host.c_str(), &a.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd);
      return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
  };
  auto closeConn = [&](Conn& c) {
    if (c.cfd >= 0) ::close(c.cfd);
    if (c.sfd >= 0) ::close(c.sfd);
    c.cfd = c.sfd = -1;
    c.dead = true;
  };

  for (;;) {
    // Snapshot the fault settings.
    std::chrono::milliseconds delay, jitter;
    int64_t rateUp, rateDown;
    Clock::time_point stallUp, stallDown;
    bool blackHole, cut;
    size_t maxBuffered;
    {
      std::lock_guard lk(s_->mu);
      if (s_->stopping) break;
      delay = s_->delay;
      jitter = s_->jitter;
      rateUp = s_->rateUp;
      rateDown = s_->rateDown;
      stallUp = s_->stallUpUntil;
      stallDown = s_->stallDownUntil;
      blackHole = s_->blackHole;
      maxBuffered = s_->maxBuffered;
      cut = s_->cutRequested;
      s_->cutRequested = false;
    }
    if (cut)
      for (auto& c : conns) closeConn(c);
    conns.remove_if([](const Conn& c) { return c.dead; });

    auto now = Clock::now();
    std::vector<pollfd> pfds;
    pfds.push_back({s_->listenFd, POLLIN, 0});
    pfds.push_back({s_->wakeFd, POLLIN, 0});
    bool pendingWork = false;
    auto wantsWrite = [&](const Pipe& p, Clock::time_point stallUntil) {
      if (p.chunks.empty()) return false;
      pendingWork = true;
      return now >= stallUntil && p.chunks.front().release <= now;
    };
    for (auto& c : conns) {
      short cev = 0, sev = 0;
      if (c.blackHoled) {
        cev = POLLIN;  // only to notice the client closing; the bytes are discarded
      } else {
        if (!c.up.srcEof && c.up.buffered < maxBuffered) cev |= POLLIN;
        if (!c.down.srcEof && c.down.buffered < maxBuffered) sev |= POLLIN;
        if (wantsWrite(c.up, stallUp)) sev |= POLLOUT;
        if (wantsWrite(c.down, stallDown)) cev |= POLLOUT;
      }
      pfds.push_back({c.cfd, cev, 0});
      pfds.push_back({c.blackHoled ? -1 : c.sfd, sev, 0});
    }
    int timeout = pendingWork ? 2 : 50;
    int n = ::poll(pfds.data(), pfds.size(), timeout);
    if (n < 0 && errno != EINTR) break;
    now = Clock::now();
    if (pfds[1].revents & POLLIN) {
      uint64_t v;
      [[maybe_unused]] auto r = ::read(s_->wakeFd, &v, sizeof v);
    }
    if (pfds[0].revents & POLLIN) {
      for (;;) {
        int cfd = ::accept4(s_->listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (cfd < 0) break;
        int one = 1;
        setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ++accepted_;
        Conn c;
        c.cfd = cfd;
        {
          std::lock_guard lk(s_->mu);  // the setting as of this accept, not of the loop's snapshot
          blackHole = s_->blackHole;
        }
        if (blackHole) {
          c.blackHoled = true;
          note("accepted connection #" + std::to_string(accepted_.load()) + " into the black hole");
        } else {
          if (maxBuffered < kMaxBuffered) {  // a short bottleneck queue: keep the kernel's share small too
            int rcv = static_cast<int>(maxBuffered);
            ::setsockopt(cfd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
          }
          c.sfd = connectUpstream();
          if (c.sfd < 0) {
            note("upstream connect failed; closing client #" + std::to_string(accepted_.load()));
            ::close(cfd);
            continue;
          }
          note("accepted connection #" + std::to_string(accepted_.load()));
        }
        conns.push_back(std::move(c));
      }
    }

    size_t i = 2;
    for (auto& c : conns) {
      if (i + 1 >= pfds.size()) break;  // accepted during this round: polled next round
      pollfd& pc = pfds[i++];
      pollfd& ps = pfds[i++];
      if (c.dead) continue;
      if (c.blackHoled) {
        if (pc.revents & (POLLIN | POLLHUP | POLLERR)) {
          ssize_t r = ::recv(c.cfd, buf.data(), buf.size(), 0);
          if (r <= 0 && !(r < 0 && errno == EAGAIN)) closeConn(c);
        }
        continue;
      }
      auto readSide = [&](int fd, short rev, Pipe& p) {
        if (!(rev & (POLLIN | POLLHUP | POLLERR)) || p.srcEof) return true;
        ssize_t r = ::recv(fd, buf.data(), buf.size(), 0);
        if (r > 0) {
          auto extra = jitter.count() > 0 ? std::chrono::milliseconds(rng() % (jitter.count() + 1))
                                          : std::chrono::milliseconds(0);
          Chunk ch{std::max(now + delay + extra, p.lastRelease), std::vector<uint8_t>(buf.begin(), buf.begin() + r)};
          p.lastRelease = ch.release;
          p.buffered += static_cast<size_t>(r);
          p.chunks.push_back(std::move(ch));
          return true;
        }
        if (r == 0) {
          p.srcEof = true;
          return true;
        }
        return errno == EAGAIN || errno == EINTR;
      };
      auto writeSide = [&](int fd, Pipe& p, int64_t rate, Clock::time_point stallUntil, uint64_t& counter) {
        if (rate > 0) {
          double dt = std::chrono::duration<double>(now - p.lastRefill).count();
          p.tokens = std::min<double>(p.tokens + dt * rate, std::max<double>(rate / 20.0, 1500.0));
        }
        p.lastRefill = now;
        while (!p.chunks.empty() && now >= stallUntil && p.chunks.front().release <= now) {
          Chunk& ch = p.chunks.front();
          size_t want = ch.bytes.size() - ch.offset;
          if (rate > 0) want = std::min<size_t>(want, static_cast<size_t>(std::max(0.0, p.tokens)));
          if (want == 0) break;
          ssize_t w = ::send(fd, ch.bytes.data() + ch.offset, want, MSG_NOSIGNAL | MSG_DONTWAIT);
          if (w < 0) return errno == EAGAIN || errno == EINTR;
          ch.offset += static_cast<size_t>(w);
          p.buffered -= static_cast<size_t>(w);
          if (rate > 0) p.tokens -= static_cast<double>(w);
          {
            std::lock_guard lk(s_->mu);
            counter += static_cast<uint64_t>(w);
          }
          if (ch.offset == ch.bytes.size()) p.chunks.pop_front();
        }
        if (p.srcEof && p.chunks.empty() && !p.dstShut) {
          ::shutdown(fd, SHUT_WR);
          p.dstShut = true;
        }
        return true;
      };
      bool ok = readSide(c.cfd, pc.revents, c.up) && readSide(c.sfd, ps.revents, c.down);
      ok = ok && writeSide(c.sfd, c.up, rateUp, stallUp, s_->fwdUp) &&
           writeSide(c.cfd, c.down, rateDown, stallDown, s_->fwdDown);
      if (!ok || (c.up.dstShut && c.down.dstShut)) closeConn(c);
    }
  }
  for (auto& c : conns) closeConn(c);
}

std::vector<FaultStep> parseSchedule(const std::string& text) {
  std::vector<FaultStep> steps;
  std::stringstream all(text);
  std::string item;
  auto num = [](const std::string& v, const std::string& item) {
    try {
      size_t pos = 0;
      long long x = std::stoll(v, &pos);
      if (pos != v.size() || x < 0) throw std::invalid_argument(item);
      return x;
    } catch (const std::exception&) {
      throw std::invalid_argument("bad number in fault step '" + item + "'");
    }
  };
  while (std::getline(all, item, ';')) {
    if (item.empty()) continue;
    auto colon = item.find(':');
    if (colon == std::string::npos) throw std::invalid_argument("fault step needs 'ms:action': '" + item + "'");
    FaultStep st;
    st.at = std::chrono::milliseconds(num(item.substr(0, colon), item));
    std::stringstream parts(item.substr(colon + 1));
    std::string kv;
    bool first = true;
    while (std::getline(parts, kv, ',')) {
      auto eq = kv.find('=');
      std::string k = kv.substr(0, eq), v = eq == std::string::npos ? "" : kv.substr(eq + 1);
      if (first) {
        first = false;
        if (k == "delay") { st.kind = FaultStep::Kind::Delay; st.duration = std::chrono::milliseconds(num(v, item)); }
        else if (k == "stall") { st.kind = FaultStep::Kind::Stall; st.duration = std::chrono::milliseconds(num(v, item)); }
        else if (k == "rate") { st.kind = FaultStep::Kind::Throughput; st.bytesPerSecond = num(v, item); }
        else if (k == "cut") st.kind = FaultStep::Kind::Cut;
        else if (k == "blackhole") { st.kind = FaultStep::Kind::BlackHole; st.on = v != "off"; }
        else if (k == "clear") st.kind = FaultStep::Kind::Clear;
        else throw std::invalid_argument("unknown fault '" + k + "' in '" + item + "'");
        continue;
      }
      if (k == "jitter") st.jitter = std::chrono::milliseconds(num(v, item));
      else if (k == "dir") {
        if (v == "up") st.direction = Direction::Upstream;
        else if (v == "down") st.direction = Direction::Downstream;
        else if (v == "both") st.direction = Direction::Both;
        else throw std::invalid_argument("bad dir in '" + item + "'");
      } else throw std::invalid_argument("unknown option '" + k + "' in '" + item + "'");
    }
    steps.push_back(st);
  }
  return steps;
}

std::string describe(const FaultStep& st) {
  std::string at = "@" + std::to_string(st.at.count()) + "ms ";
  switch (st.kind) {
    case FaultStep::Kind::Delay: return at + "delay " + std::to_string(st.duration.count()) + "ms jitter " + std::to_string(st.jitter.count()) + "ms";
    case FaultStep::Kind::Throughput: return at + "rate " + std::to_string(st.bytesPerSecond) + "B/s " + dirName(st.direction);
    case FaultStep::Kind::Stall: return at + "stall " + std::to_string(st.duration.count()) + "ms " + dirName(st.direction);
    case FaultStep::Kind::Cut: return at + "cut";
    case FaultStep::Kind::BlackHole: return at + std::string("blackhole ") + (st.on ? "on" : "off");
    case FaultStep::Kind::Clear: return at + "clear";
  }
  return at;
}

}  // namespace openlive::test
