#!/usr/bin/env bash
# Pusher latency as an outsider measures it (issue 12 item 1): openlive-push vs the ffmpeg CLI as the pusher, in
# the same run, each fed by its own `openlive-bench-y4m source` (1280x720@30, the wall clock painted into every
# frame, live: a frame the pusher does not take in time is dropped) on a pipe, publishing to one nginx-rtmp
# (openlive-test-server); each read back by `ffmpeg -fflags nobuffer -flags low_delay -i URL -f yuv4mpegpipe -`
# into `openlive-bench-y4m latency` (arrival - painted capture time). Prints p50 / p95 over the frames after the
# first 3 s, and openlive-push's own CAPTURE_TO_WIRE_MS (source arrival -> FLV tag on the socket).
#   openlive-push URL --source y4m:- --audio none --mode RTC --width 1280 --height 720
#   ffmpeg -f yuv4mpegpipe -i - -c:v libx264 -preset veryfast -tune zerolatency -g 60 -b:v 2500k -maxrate 2500k
#          -bufsize 2500k -f flv URL
# Target: openlive p50 <= ffmpeg p50 + 5 ms.
#
# Usage: tests/bench/push_latency.sh [BUILD_DIR] [SECONDS] [RUNS]   (defaults: build/default, 12, 1)
set -uo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$SRC/build/default}"
DUR="${2:-12}"
RUNS="${3:-1}"
for tool in ffmpeg python3; do
  command -v "$tool" >/dev/null || { echo "push_latency.sh: $tool not installed" >&2; exit 2; }
done
for bin in samples/openlive-push/openlive-push tests/tools/openlive-test-server tests/bench/openlive-bench-y4m; do
  [[ -x "$BUILD/$bin" ]] || { echo "push_latency.sh: $BUILD/$bin not built" >&2; exit 2; }
done
Y4M="$BUILD/tests/bench/openlive-bench-y4m"
# shellcheck source=tests/bench/bench_lib.sh
source "$SRC/tests/bench/bench_lib.sh"

one_run() {
  local W
  W="$(mktemp -d)"
  start_nginx "$W" $((DUR + 60))
  local source="$Y4M source --width 1280 --height 720 --fps 30 --duration $((DUR + 4))"
  reader() {
    ffmpeg -hide_banner -nostdin -loglevel error -fflags nobuffer -flags low_delay -i "$1" -an -vsync 0 \
      -pix_fmt yuv420p -f yuv4mpegpipe -t "$DUR" pipe:1 2>/dev/null | "$Y4M" latency --fps 30 > "$W/$2.lat"
  }
  reader "$RTMP_BASE/ol" ol & local r1=$!
  reader "$RTMP_BASE/ff" ff & local r2=$!
  sleep 0.5
  ( $source 2>/dev/null | "$BUILD/samples/openlive-push/openlive-push" "$RTMP_BASE/ol" --source y4m:- --audio none \
      --mode RTC --width 1280 --height 720 --json > "$W/ol.push" 2>&1 ) & local p1=$!
  ( $source 2>/dev/null | ffmpeg -hide_banner -nostdin -loglevel error -f yuv4mpegpipe -i pipe:0 -c:v libx264 \
      -preset veryfast -tune zerolatency -g 60 -b:v 2500k -maxrate 2500k -bufsize 2500k -pix_fmt yuv420p \
      -f flv "$RTMP_BASE/ff" > /dev/null 2>&1 ) & local p2=$!
  wait "$r1" "$r2"
  pkill -P "$p1" 2>/dev/null; pkill -P "$p2" 2>/dev/null
  wait "$p1" "$p2" 2>/dev/null
  stop_nginx
  python3 - "$W" <<'PY'
import json, statistics, sys
w = sys.argv[1]
out = []
for k, name in (("ff", "ffmpeg -> ffmpeg"), ("ol", "openlive-push -> ffmpeg")):
    rows = [l.split() for l in open(f"{w}/{k}.lat") if l.startswith("F ")]
    t0 = int(rows[0][1]) if rows else 0
    lat = sorted(float(r[2]) for r in rows if int(r[1]) - t0 > 3000 and float(r[2]) >= 0)
    if not lat:
        out.append(f"{name}: no frames")
        continue
    out.append(f"{name}: {len(lat)} frames, p50 {statistics.median(lat):.1f} ms, p95 {lat[int(len(lat) * 0.95)]:.1f} ms")
c2w = []
for line in open(f"{w}/ol.push", errors="replace"):
    try:
        j = json.loads(line)
    except ValueError:
        continue
    v = j.get("values", {}).get("CAPTURE_TO_WIRE_MS")
    if v:
        c2w.append(float(v))
if c2w:
    out.append(f"openlive-push CAPTURE_TO_WIRE_MS: median of {len(c2w)} reports {statistics.median(c2w):.1f} ms")
print("\n".join(out))
PY
  rm -rf "$W"
}

for i in $(seq "$RUNS"); do
  echo "run $i:"
  one_run
done
