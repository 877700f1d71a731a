#!/usr/bin/env bash
# Glass-to-glass latency of the four push/play pairings, measured from outside (issue 12 item 6): an external
# source (`openlive-bench-y4m source`: 1280x720@30, the wall clock painted into every frame, live on a pipe: a
# frame the pusher does not take in time is lost) feeds the pusher; the player's decoded pictures come out as
# Y4M on a pipe into `openlive-bench-y4m latency`, which reads the painted time back (arrival - capture). Nothing
# our pusher or player reports is used. Same run, same machine, one pairing at a time, each on its own
# nginx-rtmp (openlive-test-server):
#   pushers: ffmpeg  -f yuv4mpegpipe -i - -c:v libx264 -preset veryfast -tune zerolatency -g 60 -b:v 2500k ... -f flv
#            openlive openlive-push URL --source y4m:- --audio none --mode RTC --width 1280 --height 720
#   players: ffmpeg  -fflags nobuffer -flags low_delay -i URL -f yuv4mpegpipe -
#            openlive openlive-play URL --type rtc --video y4m:- --audio null
# Prints one markdown table (p50 / p95 / pictures / pictures lost, over the frames after the first 3 s) with the
# date and the machine's load, ready for docs/BENCHMARKS.md.
# Targets (issue 12): openlive-push -> ffmpeg p50 <= ffmpeg -> ffmpeg p50 + 5 ms; ffmpeg -> openlive-play p50 <=
# ffmpeg -> ffmpeg p50 + 10 ms; openlive -> openlive p50 <= 30 ms.
#
# Usage: tests/bench/latency_pairs.sh [BUILD_DIR] [SECONDS]   (defaults: build/default, 12)
#   PAIRS="ffmpeg:openlive openlive:openlive" limits the run to those pusher:player pairings (default: all four).
set -uo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$SRC/build/default}"
DUR="${2:-12}"
for tool in ffmpeg python3; do
  command -v "$tool" >/dev/null || { echo "latency_pairs.sh: $tool not installed" >&2; exit 2; }
done
for bin in samples/openlive-push/openlive-push samples/openlive-play/openlive-play tests/tools/openlive-test-server \
  tests/bench/openlive-bench-y4m; do
  [[ -x "$BUILD/$bin" ]] || { echo "latency_pairs.sh: $BUILD/$bin not built" >&2; exit 2; }
done
Y4M="$BUILD/tests/bench/openlive-bench-y4m"
# shellcheck source=tests/bench/bench_lib.sh
source "$SRC/tests/bench/bench_lib.sh"
W="$(mktemp -d)"  # the run's scratch folder, removed on exit
trap 'rm -rf "$W"' EXIT
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

push_cmd() {  # pusher url: reads Y4M on stdin
  if [[ "$1" == ffmpeg ]]; then
    ffmpeg -hide_banner -nostdin -loglevel error -f yuv4mpegpipe -i pipe:0 -c:v libx264 -preset veryfast \
      -tune zerolatency -g 60 -b:v 2500k -maxrate 2500k -bufsize 2500k -pix_fmt yuv420p -f flv "$2"
  else
    "$BUILD/samples/openlive-push/openlive-push" "$2" --source y4m:- --audio none --mode RTC --width 1280 \
      --height 720
  fi
}

play_cmd() {  # player url: writes Y4M on stdout for DUR seconds
  if [[ "$1" == ffmpeg ]]; then
    ffmpeg -hide_banner -nostdin -loglevel error -fflags nobuffer -flags low_delay -i "$2" -an -vsync 0 \
      -pix_fmt yuv420p -f yuv4mpegpipe -t "$DUR" pipe:1
  else
    "$BUILD/samples/openlive-play/openlive-play" "$2" --type rtc --video y4m:- --audio null --duration "$DUR"
  fi
}

one_pair() {  # pusher player -> $W/<pusher>-<player>.lat
  local pusher="$1" player="$2" out="$W/$1-$2"
  mkdir -p "$out.d"
  start_nginx "$out.d" $((DUR + 60))
  local url="$RTMP_BASE/lat"
  ( play_cmd "$player" "$url" 2>"$out.play.err" | "$Y4M" latency --fps 30 > "$out.lat" ) & local reader=$!
  ( "$Y4M" source --width 1280 --height 720 --fps 30 --duration $((DUR + 4)) 2>/dev/null \
      | push_cmd "$pusher" "$url" > /dev/null 2>"$out.push.err" ) & local push=$!
  wait "$reader"
  pkill -P "$push" 2>/dev/null
  wait "$push" 2>/dev/null
  stop_nginx
}

for pair in ${PAIRS:-ffmpeg:ffmpeg ffmpeg:openlive openlive:ffmpeg openlive:openlive}; do
  one_pair "${pair%%:*}" "${pair##*:}"
done

python3 - "$W" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$DUR" <<'PY'
import datetime, os, statistics, sys
w, load0, load1, dur = sys.argv[1:5]
names = {"ffmpeg": "ffmpeg", "openlive": "openlive-push"}
players = {"ffmpeg": "ffmpeg (nobuffer, low_delay)", "openlive": "openlive-play --type rtc"}
print(f"Latency pairings, {datetime.date.today()} (load average before {load0}, after {load1}), {dur} s each, "
      "1280x720@30 painted clock, nginx-rtmp on loopback")
print()
print("| Pusher -> player | p50 ms | p95 ms | pictures | pictures lost |")
print("|---|---|---|---|---|")
p50 = {}
for pusher in ("ffmpeg", "openlive"):
    for player in ("ffmpeg", "openlive"):
        rows = []
        try:
            rows = [l.split() for l in open(f"{w}/{pusher}-{player}.lat") if l.startswith("F ")]
        except OSError:
            pass
        t0 = int(rows[0][1]) if rows else 0
        kept = [r for r in rows if int(r[1]) - t0 > 3000]
        lat = sorted(float(r[2]) for r in kept if float(r[2]) >= 0)
        lost = sum(int(r[3]) for r in kept)
        label = f"{names[pusher]} -> {players[player]}"
        if not rows and not os.path.exists(f"{w}/{pusher}-{player}.d"):
            continue  # not among PAIRS
        if not lat:
            print(f"| {label} | no pictures | | 0 | |")
            continue
        p50[(pusher, player)] = statistics.median(lat)
        print(f"| {label} | {statistics.median(lat):.1f} | {lat[int(len(lat) * 0.95)]:.1f} | {len(lat)} | {lost} |")
print()
ff = p50.get(("ffmpeg", "ffmpeg"))
def check(name, value, limit):
    if value is None or limit is None:
        print(f"- {name}: not measured")
    else:
        print(f"- {name}: {value:.1f} ms, target <= {limit:.1f} ms: {'met' if value <= limit else 'NOT met'}")
check("openlive-push -> ffmpeg", p50.get(("openlive", "ffmpeg")), ff + 5 if ff is not None else None)
check("ffmpeg -> openlive-play", p50.get(("ffmpeg", "openlive")), ff + 10 if ff is not None else None)
check("openlive -> openlive", p50.get(("openlive", "openlive")), 30.0)
PY
