// openlive-mixhost: runs openlive-roomd's room mixes on this machine (docs/ROOMS.md "Mixer hosts"). roomd, started
// with --mixer-host http://THIS:PORT, puts each room's mix job here (roomd/mix_host.h has the HTTP API); each mix is
// an openlive-mixer child supervised as roomd would (restarted when it dies), leased: a mix roomd stops renewing
// (roomd died, or lost this host) ends when its lease runs out. SIGINT / SIGTERM stop every mix and exit 0.
#include <CLI/CLI.hpp>
#include <httplib.h>

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>
#include <unistd.h>

#include "roomd/log.h"
#include "roomd/mix_host.h"
#include "roomd/mixer_supervisor.h"

namespace {

bool splitHostPort(const std::string& s, std::string* host, int* port) {
  const auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  try {
    *port = std::stoi(s.substr(colon + 1));
  } catch (...) {
    return false;
  }
  *host = s.substr(0, colon);
  return *port >= 0 && *port <= 65535;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"openlive-mixhost: openlive-roomd's room mixes on another machine"};
  std::string listen = "127.0.0.1:0", mixer, token;
  std::vector<std::string> mixerArgs;
  int sweepMs = 500;
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0: an ephemeral port)")->default_val(listen);
  app.add_option("--mixer", mixer, "path of openlive-mixer")->required()->check(CLI::ExistingFile);
  app.add_option("--mixer-arg", mixerArgs, "an extra argument for every mixer (repeat)")->allow_extra_args(false);
  app.add_option("--token", token, "bearer token roomd must send (or env OPENLIVE_MIXHOST_TOKEN)")
      ->envname("OPENLIVE_MIXHOST_TOKEN");
  app.add_option("--sweep-ms", sweepMs, "how often expired leases are looked for")->check(CLI::Range(50, 60000));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  std::string host;
  int port = 0;
  if (!splitHostPort(listen, &host, &port)) {
    std::cerr << "openlive-mixhost: --listen must be HOST:PORT\n";
    return 2;
  }
  if (access(mixer.c_str(), X_OK) != 0) {
    std::cerr << "openlive-mixhost: --mixer: not an executable file\n";
    return 2;
  }
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);  // before any thread: sigwait below takes them
  signal(SIGPIPE, SIG_IGN);

  using openlive::roomd::MixHost;
  MixHost mixes(std::make_unique<openlive::roomd::MixerSupervisor>(mixer, mixerArgs), token);
  httplib::Server http;
  mixes.routes(http);
  const int bound = port ? (http.bind_to_port(host, port) ? port : -1) : http.bind_to_any_port(host);
  if (bound <= 0) {
    std::cerr << "openlive-mixhost: cannot listen on " << listen << "\n";
    return 1;
  }
  std::thread server([&] {
    openlive::roomd::setThreadName("mixhost-listen");
    http.listen_after_bind();
  });
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::thread sweeper([&] {
    openlive::roomd::setThreadName("mixhost-sweep");
    std::unique_lock lk(mu);
    while (!cv.wait_for(lk, std::chrono::milliseconds(sweepMs), [&] { return stopping; })) mixes.sweep();
  });
  std::printf("openlive-mixhost listening on http://%s:%d\n", host.c_str(), bound);
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stopSignals, &sig);
  openlive::roomd::logLine(openlive::roomd::LogLevel::Info, "stopping: every mix ends");
  {
    std::lock_guard lk(mu);
    stopping = true;
  }
  cv.notify_all();
  sweeper.join();
  http.stop();
  server.join();
  return 0;
}
