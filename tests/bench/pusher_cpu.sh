#!/usr/bin/env bash
# Pusher CPU: openlive-push vs the ffmpeg CLI, same input, same x264 settings, same server, same run.
#
# Input: a 720p30 Y4M file (testsrc2, generated once per run) read at its natural rate by both (openlive-push
# paces Y4M by the file's frame rate; ffmpeg gets -re). Output: H.264 only (no audio on either side) to a local
# nginx-rtmp. x264 settings = openlive's FHD mode (include/openlive/live_pusher.h): veryfast, 1280x720@30,
# GOP 2 s (60), 2 B-frames, rc-lookahead 10, ABR 1500 kbps, VBV maxrate 1800 kbps / buffer 1800 kbit,
# forced IDR, threads auto. CPU = user + system seconds of the whole process (GNU time), N seconds each.
# Target (issue 3): openlive-push <= 1.05x ffmpeg. Writes the "Pusher CPU" section of docs/BENCHMARKS.md.
#
# Usage: tests/bench/pusher_cpu.sh [BUILD_DIR] [SECONDS] [RUNS]   (defaults: build/default, 10, 2)
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$SRC/build/default}"
SECS="${2:-10}"
RUNS="${3:-2}"
PUSH="$BUILD/samples/openlive-push/openlive-push"
for tool in nginx ffmpeg python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "pusher_cpu.sh: $tool not installed" >&2; exit 2; }
done
[[ -x "$PUSH" ]] || { echo "pusher_cpu.sh: $PUSH not built" >&2; exit 2; }
MODULE="$(ls /usr/lib/nginx/modules/ngx_rtmp_module.so 2>/dev/null || true)"
[[ -n "$MODULE" ]] || { echo "pusher_cpu.sh: nginx rtmp module not installed" >&2; exit 2; }

TMP="$(mktemp -d /tmp/ol-pushcpu.XXXXXX)"
NGINX_PID=""
cleanup() { [[ -n "$NGINX_PID" ]] && kill "$NGINX_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
mkdir -p "$TMP/logs"
cat >"$TMP/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
error_log $TMP/logs/error.log warn;
pid $TMP/nginx.pid;
load_module $MODULE;
events { worker_connections 64; }
rtmp { server { listen 127.0.0.1:$PORT; chunk_size 4096; application live { live on; } } }
CONF
nginx -p "$TMP" -c "$TMP/nginx.conf" >"$TMP/nginx.out" 2>&1 &
NGINX_PID=$!
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done

echo "generating ${SECS} s of 1280x720@30 Y4M ..." >&2
ffmpeg -nostdin -loglevel error -f lavfi -i "testsrc2=size=1280x720:rate=30" -t "$SECS" -pix_fmt yuv420p \
  -f yuv4mpegpipe "$TMP/in.y4m"

cpu_of() {  # runs "$@" under GNU time, prints user+sys seconds
  /usr/bin/time -f "%U %S" -o "$TMP/time.txt" "$@" >/dev/null 2>"$TMP/last.err" || {
    echo "pusher_cpu.sh: command failed: $*" >&2; tail -5 "$TMP/last.err" >&2; exit 1; }
  awk '{printf "%.2f", $1 + $2}' "$TMP/time.txt"
}

OURS=(); THEIRS=()
for i in $(seq "$RUNS"); do
  OURS+=("$(cpu_of "$PUSH" "rtmp://127.0.0.1:$PORT/live/ol$i" --source "y4m:$TMP/in.y4m" --audio none --mode FHD)")
  THEIRS+=("$(cpu_of ffmpeg -nostdin -loglevel error -re -i "$TMP/in.y4m" -an -c:v libx264 -preset veryfast \
    -b:v 1500k -maxrate 1800k -bufsize 1800k -g 60 -keyint_min 60 -bf 2 -rc-lookahead 10 -forced-idr 1 \
    -pix_fmt yuv420p -f flv "rtmp://127.0.0.1:$PORT/live/ff$i")")
  echo "run $i: openlive-push ${OURS[-1]} s, ffmpeg ${THEIRS[-1]} s" >&2
done

read -r OUR_MED FF_MED RATIO < <(python3 - "${OURS[*]}" "${THEIRS[*]}" <<'PY'
import statistics, sys
o = [float(x) for x in sys.argv[1].split()]
f = [float(x) for x in sys.argv[2].split()]
mo, mf = statistics.median(o), statistics.median(f)
print(f"{mo:.2f} {mf:.2f} {mo / mf:.3f}")
PY
)
echo "openlive-push ${OUR_MED} s CPU, ffmpeg ${FF_MED} s CPU, ratio ${RATIO} (target <= 1.05)"

NOW="$(date -u '+%Y-%m-%d %H:%M UTC')"
SECTION="$TMP/section.md"
cat >"$SECTION" <<MD
<!-- pusher-cpu:begin -->
## Pusher CPU (720p30 push, openlive-push vs ffmpeg CLI)

\`tests/bench/pusher_cpu.sh\`, $NOW, $(nproc) cores, $RUNS alternating runs of ${SECS} s each. Same 1280x720@30 Y4M
(testsrc2) read at its natural rate by both, video only, to a local nginx-rtmp; x264 veryfast, ABR 1500 kbps,
VBV 1800/1800, GOP 60, 2 B-frames, rc-lookahead 10, threads auto (openlive FHD mode). CPU = user + system of the
whole process (GNU time). Target: ratio <= 1.05.

| | openlive-push | ffmpeg | ratio |
|---|---|---|---|
| CPU seconds (median) | ${OUR_MED} | ${FF_MED} | ${RATIO} |
| runs | ${OURS[*]} | ${THEIRS[*]} | |
<!-- pusher-cpu:end -->
MD
python3 - "$SRC/docs/BENCHMARKS.md" "$SECTION" <<'PY'
import re, sys
path, section = sys.argv[1], open(sys.argv[2]).read().strip() + "\n"
try:
    doc = open(path).read()
except FileNotFoundError:
    doc = "# Benchmarks\n"
pat = re.compile(r"<!-- pusher-cpu:begin -->.*?<!-- pusher-cpu:end -->\n?", re.S)
doc = pat.sub(section, doc) if pat.search(doc) else doc.rstrip("\n") + "\n\n" + section
open(path, "w").write(doc)
PY
