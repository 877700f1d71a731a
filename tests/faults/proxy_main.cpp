// openlive-fault-proxy: the fault-injecting TCP proxy from the command line.
//   openlive-fault-proxy --upstream 127.0.0.1:1935 [--schedule "0:delay=100,jitter=30;5000:stall=500"] [--duration S]
// Prints "PROXY_PORT=<port>" once listening, then the fault log as it happens; exits after --duration or on
// SIGINT/SIGTERM.
#include "faults/fault_proxy.h"

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

namespace {
volatile std::sig_atomic_t g_stop = 0;
void onSignal(int) { g_stop = 1; }
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Fault-injecting TCP proxy for OpenLive bad-network tests"};
  std::string upstream, schedule;
  double duration = 0;
  size_t maxBuffered = 0;
  app.add_option("--upstream", upstream, "HOST:PORT to forward to (loopback)")->required();
  app.add_option("--schedule", schedule, "ms:fault[,opt=v];... (delay, stall, rate, cut, blackhole, clear)");
  app.add_option("--duration", duration, "seconds to run (0 = until signalled)");
  app.add_option("--max-buffer", maxBuffered,
                 "bytes held per direction and connection before back-pressure (default 8 MiB); small values "
                 "make a throughput cap reach the sender's own queue, as a real bottleneck does");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto colon = upstream.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "error: --upstream must be HOST:PORT\n";
    return 2;
  }
  std::vector<openlive::test::FaultStep> steps;
  try {
    steps = openlive::test::parseSchedule(schedule);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  openlive::test::FaultProxy proxy(upstream.substr(0, colon), std::stoi(upstream.substr(colon + 1)));
  if (maxBuffered > 0) proxy.setMaxBuffered(maxBuffered);
  std::printf("PROXY_PORT=%d\n", proxy.port());
  std::fflush(stdout);
  proxy.runSchedule(steps);
  auto start = std::chrono::steady_clock::now();
  size_t printed = 0;
  while (!g_stop && (duration <= 0 || std::chrono::steady_clock::now() - start < std::chrono::duration<double>(duration))) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a CLI: prints the proxy log as it grows
    auto log = proxy.log();
    for (; printed < log.size(); ++printed) std::printf("%s\n", log[printed].c_str());
    std::fflush(stdout);
  }
  return 0;
}
