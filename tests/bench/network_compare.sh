#!/usr/bin/env bash
# Bad-network comparison (issue 5): the same fault schedules, in one run, against
#   OpenLive: openlive-push (RTC mode, adaptive bitrate) -> openlive-play (live 1/3 s and RTC)
#   ffmpeg:   the ffmpeg CLI pusher (x264 zerolatency + AAC, fixed bitrate) -> the ffmpeg CLI player
# through one openlive-fault-proxy in front of nginx-rtmp (openlive-test-server). Both stacks run at the same time
# through the same proxy, so every fault hits both at the same instant and both see the same machine noise.
#
# Measures (identical for every player, from the decoded pictures): glass-to-glass latency read back from the
# capture time burned into the test pattern (openlive-bench-y4m latency), stalls (gaps > 800 ms between arriving
# pictures), frames lost end to end; the bitrate delivered into the server (an ffprobe reader directly on nginx,
# bucketed by arrival time); pusher-side drops and reconnects.
# Writes docs/bench/network-<scenario>.png (gnuplot) and the section between <!-- network:begin --> and
# <!-- network:end --> of docs/BENCHMARKS.md. Re-runnable: run it again after pusher/player changes.
#
# Usage: tests/bench/network_compare.sh [BUILD_DIR] [SCENARIO...]   (default build/default; all scenarios:
#        clean stalls stall2s cap cut)
# Needs: built openlive-push, openlive-play, openlive-fault-proxy, openlive-test-server, openlive-bench-y4m;
#        nginx + libnginx-mod-rtmp, ffmpeg, ffprobe, gnuplot, python3.
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$SRC/build/default}"
shift || true
for tool in ffmpeg ffprobe gnuplot python3 stdbuf; do
  command -v "$tool" >/dev/null || { echo "network_compare.sh: $tool not installed" >&2; exit 2; }
done
for bin in samples/openlive-push/openlive-push samples/openlive-play/openlive-play tests/openlive-fault-proxy \
           tests/tools/openlive-test-server tests/bench/openlive-bench-y4m; do
  [[ -x "$BUILD/$bin" ]] || { echo "network_compare.sh: $BUILD/$bin not built" >&2; exit 2; }
done
exec python3 "$SRC/tests/bench/network_compare.py" --src "$SRC" --build "$BUILD" "$@"
