#!/usr/bin/env bash
# Pusher CPU from a LIVE source: openlive-push vs the ffmpeg CLI, same source, same x264 settings, same server,
# same run, alternating runs; the result is a ratio (issue 12 item 4). tests/bench/pusher_cpu.sh does the same
# from a Y4M file read at its own rate; here the frames come from a live pipe, as from a camera:
#   source:  openlive-bench-y4m source --width 1280 --height 720 --fps 30 --duration S   (drops a frame the
#            pusher does not take in time, never delivers it late; the count is reported)
#   ours:    openlive-push URL --source y4m:- --audio none --mode FHD --gop 1
#   ffmpeg:  ffmpeg -f yuv4mpegpipe -i - -an -c:v libx264 -preset veryfast -b:v 1500k -maxrate 1800k
#            -bufsize 1800k -g 30 -keyint_min 30 -bf 2 -rc-lookahead 10 -forced-idr 1 -f flv URL
# x264 settings = openlive's FHD mode (include/openlive/live_pusher.h): veryfast, 1280x720@30, GOP 1 s,
# 2 B-frames, lookahead 10, ABR 1500 kbps, VBV 1800 kbps / 1 s buffer, threads auto. Video only, to a loopback
# nginx-rtmp (openlive-test-server). CPU = user + system of the pusher process only (GNU time; the source's
# own CPU is not counted), median of the runs. Target (issue 3): ratio <= 1.05.
# Prints a markdown table on stdout (progress on stderr).
#
# Usage: tests/bench/pusher_cpu_live.sh [BUILD_DIR] [SECONDS]   (defaults: build/default, 10; RUNS=2)
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$SRC/build/default}"
SECS="${2:-10}"
RUNS="${RUNS:-2}"
# shellcheck source=tests/bench/bench_lib.sh
source "$SRC/tests/bench/bench_lib.sh"
# shellcheck source=tests/bench/cpu_lib.sh
source "$SRC/tests/bench/cpu_lib.sh"
require_tools pusher_cpu_live.sh ffmpeg python3 mkfifo /usr/bin/time
require_built pusher_cpu_live.sh samples/openlive-push/openlive-push tests/tools/openlive-test-server \
  tests/bench/openlive-bench-y4m
PUSH="$BUILD/samples/openlive-push/openlive-push"
Y4M="$BUILD/tests/bench/openlive-bench-y4m"

W="$(mktemp -d /tmp/ol-pushlive.XXXXXX)"
NGINX_UP=0
cleanup() {
  set +e
  if [[ $NGINX_UP -eq 1 ]]; then stop_nginx; fi
  rm -rf "$W"
}
trap cleanup EXIT
start_nginx "$W" $((RUNS * SECS * 3 + 60))
NGINX_UP=1

push_one() {  # who run
  local out="$W/$1-$2" url="$RTMP_BASE/push$1$2"
  if [[ "$1" == ours ]]; then
    "$Y4M" source --width 1280 --height 720 --fps 30 --duration "$SECS" 2>"$out.source" \
      | cpu_run "$out" "$PUSH" "$url" --source y4m:- --audio none --mode FHD --gop 1
  else
    "$Y4M" source --width 1280 --height 720 --fps 30 --duration "$SECS" 2>"$out.source" \
      | cpu_run "$out" ffmpeg -hide_banner -nostdin -loglevel error -f yuv4mpegpipe -i pipe:0 -an -c:v libx264 \
        -preset veryfast -b:v 1500k -maxrate 1800k -bufsize 1800k -g 30 -keyint_min 30 -bf 2 -rc-lookahead 10 \
        -forced-idr 1 -pix_fmt yuv420p -f flv "$url"
  fi
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$RUNS"); do
  order="ours theirs"
  (( i % 2 == 0 )) && order="theirs ours"
  for who in $order; do push_one "$who" "$i"; done
  echo "pusher_cpu_live.sh: run $i: openlive-push $(cpu_of "$W/ours-$i") s, ffmpeg $(cpu_of "$W/theirs-$i") s" >&2
done

python3 - "$W" "$RUNS" "$SECS" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import re, statistics, sys
w, runs, secs, load0, load1 = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
def cpu(path):
    _, user, sys_, _ = open(path).read().split()
    return float(user) + float(sys_)
def source(path):  # frames produced, frames dropped at the source (the pusher did not take them in time)
    text = open(path).read()
    m = re.search(r"SOURCE_FRAMES=(\d+) SOURCE_DROPS=(\d+)", text)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)
o = [cpu(f"{w}/ours-{i}") for i in range(1, runs + 1)]
t = [cpu(f"{w}/theirs-{i}") for i in range(1, runs + 1)]
so = [source(f"{w}/ours-{i}.source") for i in range(1, runs + 1)]
st = [source(f"{w}/theirs-{i}.source") for i in range(1, runs + 1)]
mo, mt = statistics.median(o), statistics.median(t)
ratio = mo / mt if mt else float("inf")
fmt = lambda xs: " / ".join(f"{x:.2f}" for x in xs)
took = lambda s: " / ".join(f"{p - d} of {p}" for p, d in s)
print(f"Live 1280x720@30 source (`openlive-bench-y4m source`, on a pipe), video only, x264 veryfast FHD settings "
      f"on both sides, {runs} alternating runs of {secs:g} s; CPU = user + system of the pusher process. "
      f"Load average before {load0}, after {load1}.")
print()
print("| | openlive-push | ffmpeg | ratio | target |")
print("|---|---|---|---|---|")
verdict = "met" if ratio <= 1.05 else "**NOT met**"
print(f"| CPU seconds (median) | {mo:.2f} | {mt:.2f} | {ratio:.3f} | <= 1.05: {verdict} |")
print(f"| runs | {fmt(o)} | {fmt(t)} | | |")
print(f"| frames taken from the source | {took(so)} | {took(st)} | | |")
# CPU per frame taken: when one pusher took fewer frames (it was late, the source dropped them) its total is
# not comparable, and this row is the fair one.
po = statistics.median(c * 1000 / max(1, p - d) for c, (p, d) in zip(o, so))
pt = statistics.median(c * 1000 / max(1, p - d) for c, (p, d) in zip(t, st))
print(f"| CPU ms per frame taken (median) | {po:.1f} | {pt:.1f} | {po / pt if pt else float('inf'):.3f} | |")
taken_o = statistics.median(p - d for p, d in so)
taken_t = statistics.median(p - d for p, d in st)
if taken_t and abs(taken_o - taken_t) / taken_t > 0.02:
    print()
    print(f"The two pushers did not take the same frames (median {taken_o:.0f} vs {taken_t:.0f}): the CPU-seconds "
          f"ratio is not comparable; per frame taken it is {po / pt if pt else float('inf'):.3f}.")
PY
