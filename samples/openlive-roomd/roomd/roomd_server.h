// openlive-roomd as a library object: everything the program runs, startable on an ephemeral port in a test.
//
//   RoomdConfig c; c.sdkAppId = 1400000001; c.key = "..."; c.rtmpBase = "rtmp://127.0.0.1:1935/live";
//   RoomdServer server(c);
//   std::string why;
//   if (!server.start(&why)) ...;          // binds, connects redis when configured, starts the sweep
//   int port = server.port();
//   server.stop();                          // bounded (about one keep-alive timeout, 1 s)
//
// Routes:
//   GET|POST /weapp/{live_room,double_room,multi_room}/<endpoint>   the RoomService API (room_api.h)
//   GET      /weapp/signal/stream                                    signalling (sse_endpoint.h)
//   POST     /weapp/rtmp/on_publish|on_play|on_publish_done|...      media server callbacks (media_gate.h)
//   GET      /weapp/health                                           {"code":0,"store":"memory"|"redis",...}
#pragma once

#include <memory>
#include <string>

#include "config.h"

namespace openlive::roomd {

class LivenessSweeper;
class MailboxHub;
class RoomStore;

class RoomdServer {
 public:
  explicit RoomdServer(RoomdConfig config);
  ~RoomdServer();  // stop()
  RoomdServer(const RoomdServer&) = delete;
  RoomdServer& operator=(const RoomdServer&) = delete;

  bool start(std::string* why);
  void stop();
  int port() const;  // the bound port (after start)
  const RoomdConfig& config() const;

  // For tests.
  LivenessSweeper& sweeper();
  MailboxHub& hub();
  RoomStore& store();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace openlive::roomd
