// openlive-test-server: run a real RTMP test server on ephemeral loopback ports until told to stop.
//
//   openlive-test-server --kind nginx|nms [--print-env] [--max-seconds N]
//
// Prints where it listens once every port accepts, then runs until SIGTERM / SIGINT / SIGHUP, stdin
// EOF (ignored when stdin is /dev/null, e.g. a background job, or with --ignore-stdin) or --max-seconds.
// With --print-env the output is KEY=VALUE lines for `eval` / `source`:
//   SERVER_NAME=nginx-rtmp  RTMP_PORT=...  HTTP_PORT=... (0: no HTTP-FLV)  RTMP_BASE=rtmp://127.0.0.1:P/live
//   HTTP_FLV_BASE=http://127.0.0.1:P/live (empty without HTTP-FLV)  SERVER_PID=...  SERVER_LOG=...  READY=1
// Exit codes: 0 stopped as asked, 2 server not available (missing prerequisite), 3 failed to start,
// 4 the server died while running.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "fixtures/servers.h"

namespace {

bool stdinIsDevNull() {
  struct stat in {}, null {};
  return ::fstat(0, &in) == 0 && ::stat("/dev/null", &null) == 0 && S_ISCHR(in.st_mode) &&
         in.st_rdev == null.st_rdev;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Run an OpenLive test RTMP server (nginx-rtmp or node-media-server) on loopback"};
  std::string kind;
  bool printEnv = false;
  bool ignoreStdin = false;
  int maxSeconds = 0;
  int dropIdle = 5;
  std::string notify;
  app.add_option("--kind", kind, "nginx (nginx + RTMP module) or nms (node-media-server)")
      ->required()
      ->check(CLI::IsMember({"nginx", "nms"}));
  app.add_flag("--print-env", printEnv, "print KEY=VALUE lines (RTMP_PORT, HTTP_PORT, ...)");
  app.add_flag("--ignore-stdin", ignoreStdin, "do not stop on stdin EOF");
  app.add_option("--max-seconds", maxSeconds, "stop after this many seconds (0: no limit)")->check(CLI::NonNegativeNumber);
  app.add_option("--drop-idle-publisher", dropIdle, "nginx: drop_idle_publisher seconds (0: off)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--notify", notify,
                 "nginx: base URL of the publish/play callbacks (BASE + on_publish, on_play, on_publish_done), "
                 "e.g. openlive-roomd's http://127.0.0.1:PORT/weapp/rtmp/");
  CLI11_PARSE(app, argc, argv);

  // Signals are taken through a signalfd; block them before the server child is forked (the child
  // resets its mask).
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGHUP);
  sigprocmask(SIG_BLOCK, &stopSignals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a closed stdout reader must not kill us before the server is torn down

  std::string why;
  std::unique_ptr<openlive::test::MediaServer> server;
  const bool available =
      kind == "nginx" ? openlive::test::nginxRtmpAvailable(&why) : openlive::test::nodeMediaServerAvailable(&why);
  if (!available) {
    std::cerr << "openlive-test-server: " << why << "\n";
    return 2;
  }
  if (kind == "nginx") {
    openlive::test::NginxRtmpOptions o;
    o.dropIdlePublisher = std::chrono::seconds(dropIdle);
    if (!notify.empty()) {
      o.onPublish = notify + "on_publish";
      o.onPlay = notify + "on_play";
      o.onPublishDone = notify + "on_publish_done";
    }
    server = openlive::test::startNginxRtmp(o, &why);
  } else {
    server = openlive::test::startNodeMediaServer(&why);
  }
  if (!server) {
    std::cerr << "openlive-test-server: " << why << "\n";
    return 3;
  }

  const std::string rtmpBase = "rtmp://127.0.0.1:" + std::to_string(server->rtmpPort()) + "/live";
  const std::string flvBase =
      server->httpPort() ? "http://127.0.0.1:" + std::to_string(server->httpPort()) + "/live" : std::string();
  if (printEnv) {
    std::printf("SERVER_NAME=%s\nRTMP_PORT=%d\nHTTP_PORT=%d\nRTMP_BASE=%s\nHTTP_FLV_BASE=%s\nSERVER_PID=%d\n"
                "SERVER_LOG=%s\nREADY=1\n",
                server->name().c_str(), server->rtmpPort(), server->httpPort(), rtmpBase.c_str(), flvBase.c_str(),
                server->pid(), server->logPath().c_str());
  } else {
    std::printf("%s ready in %lld ms (pid %d)\n  RTMP:     %s/<stream>\n", server->name().c_str(),
                static_cast<long long>(server->lastStartTime().count()), server->pid(), rtmpBase.c_str());
    if (!flvBase.empty()) std::printf("  HTTP-FLV: %s/<stream>.flv\n", flvBase.c_str());
    std::printf("  log:      %s\nStop with Ctrl-C, SIGTERM or stdin EOF.\n", server->logPath().c_str());
  }
  std::fflush(stdout);

  const int sfd = signalfd(-1, &stopSignals, SFD_CLOEXEC);
  const bool watchStdin = !ignoreStdin && !stdinIsDevNull();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(maxSeconds);
  int rc = 0;
  while (true) {
    pollfd fds[2] = {{sfd, POLLIN, 0}, {watchStdin ? 0 : -1, POLLIN, 0}};
    ::poll(fds, 2, 500);  // the timeout only paces the liveness / deadline checks below
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo si {};
      (void)!::read(sfd, &si, sizeof si);
      std::cerr << "openlive-test-server: signal " << si.ssi_signo << ", stopping\n";
      break;
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[256];
      const ssize_t n = ::read(0, buf, sizeof buf);
      if (n <= 0) {
        std::cerr << "openlive-test-server: stdin closed, stopping\n";
        break;
      }
    }
    if (!server->running()) {
      std::cerr << "openlive-test-server: " << server->name() << " died; log tail:\n" << server->logTail() << "\n";
      rc = 4;
      break;
    }
    if (maxSeconds > 0 && std::chrono::steady_clock::now() >= deadline) {
      std::cerr << "openlive-test-server: --max-seconds reached, stopping\n";
      break;
    }
  }
  server.reset();  // SIGTERM, SIGKILL after 2 s, reap, remove the temp dir
  return rc;
}
