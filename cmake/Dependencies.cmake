# Every third-party dependency, found as an imported target. See third_party/README.md for the
# Debian package each one comes from.
find_package(PkgConfig REQUIRED)
pkg_check_modules(OL_AVFORMAT  REQUIRED IMPORTED_TARGET libavformat>=59)
pkg_check_modules(OL_AVCODEC   REQUIRED IMPORTED_TARGET libavcodec>=59)
pkg_check_modules(OL_AVUTIL    REQUIRED IMPORTED_TARGET libavutil>=57)
pkg_check_modules(OL_SWSCALE   REQUIRED IMPORTED_TARGET libswscale>=6)
pkg_check_modules(OL_SWRESAMPLE REQUIRED IMPORTED_TARGET libswresample>=4)
pkg_check_modules(OL_AVDEVICE  REQUIRED IMPORTED_TARGET libavdevice>=59)
pkg_check_modules(OL_AVFILTER  REQUIRED IMPORTED_TARGET libavfilter>=8)
# librtmp reports its version as "v2.4", which pkg-config cannot compare; no minimum is given.
pkg_check_modules(OL_RTMP      REQUIRED IMPORTED_TARGET librtmp)
pkg_check_modules(OL_SDL2      REQUIRED IMPORTED_TARGET sdl2>=2.0.10)
pkg_check_modules(OL_SDL2_TTF  REQUIRED IMPORTED_TARGET SDL2_ttf>=2.0.18)  # the debug overlay (TTF_SetFontSize)
pkg_check_modules(OL_FONTCONFIG REQUIRED IMPORTED_TARGET fontconfig)  # the overlay's font (render/debug_overlay.cpp)
pkg_check_modules(OL_X11       REQUIRED IMPORTED_TARGET x11)  # an app's own window (render/x11_window_watch.cpp)
# Device lists (include/openlive/devices.h): PulseAudio sources/sinks, ALSA PCMs when no PulseAudio server answers.
pkg_check_modules(OL_PULSE     REQUIRED IMPORTED_TARGET libpulse>=14)
pkg_check_modules(OL_ALSA      REQUIRED IMPORTED_TARGET alsa>=1.2)
# rtmps://: TLS handshake + certificate verification done by us (librtmp's own TLS never verifies the peer).
pkg_check_modules(OL_GNUTLS    REQUIRED IMPORTED_TARGET gnutls>=3.6)
# HTTP-FLV input: the HTTP(S) client (Debian builds it with OpenSSL; the .pc file carries its CPPHTTPLIB_* flags).
pkg_check_modules(OL_HTTPLIB   REQUIRED IMPORTED_TARGET cpp-httplib>=0.11)
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
find_package(ZLIB REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
# Rooms: HTTP client/server (the SDK's RoomService client, openlive-roomd) and redis (openlive-roomd's shared
# state). Debian builds cpp-httplib as a library; its .pc carries the feature defines the library was built with.
pkg_check_modules(OL_HTTPLIB   REQUIRED IMPORTED_TARGET cpp-httplib>=0.11)
pkg_check_modules(OL_HIREDIS   REQUIRED IMPORTED_TARGET hiredis>=0.14)
