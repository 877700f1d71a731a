#!/usr/bin/env bash
# What openlive-mixer adds to a room's glass-to-glass latency (issue 14), measured from outside, same run: an
# external source (`openlive-bench-y4m source`: 640x360@30, the wall clock painted into every frame, live on a
# pipe) feeds `openlive-push --mode RTC` (the anchor); a player's decoded pictures go as Y4M into
# `openlive-bench-y4m latency`, which reads the painted time back. Three set-ups, each on its own nginx-rtmp:
#   direct     the anchor's stream played directly (openlive-play --type rtc)
#   mix-alone  the anchor through openlive-mixer alone (its layout: the anchor at its own size), the mix played:
#              the mixer forwards the anchor's H.264 as it comes (no decode / compose / encode on the picture path)
#   mix-alone-enc  the same with `--no-relay`: the mixer decodes, composes and encodes the anchor alone
#   mix-pc     the anchor through openlive-mixer with three co-anchors (ffmpeg CLI publishers, flat pictures) in
#              the PC layout (640 x (360 + 212), the anchor on top: its painted clock passes unscaled)
# The mixer runs at --fps 30 (the source's rate; a room's mixer runs at 15 by default, which adds up to one
# 67 ms tick of sampling). The audience of a room plays the mix in live mode with a fixed 2 s cache: that buffer
# is on top of the figures here, which isolate the mixer's own cost (decode, compose, encode, one more hop).
# Prints a markdown table (p50 / p95 / pictures / lost, frames after the first 3 s) with the date and load.
#
# READER=ffmpeg reads with the ffmpeg CLI (-fflags nobuffer -flags low_delay, video only) instead of
# openlive-play --type rtc: the stream's own delay without a player's jitter and A/V hold (the mix has sound,
# the direct anchor has none).
#
# Usage: tests/bench/mix_latency.sh [BUILD_DIR] [SECONDS]   (defaults: build/default, 12; READER, SETUPS)
set -uo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$SRC/build/default}"
DUR="${2:-12}"
for tool in ffmpeg python3; do
  command -v "$tool" >/dev/null || { echo "mix_latency.sh: $tool not installed" >&2; exit 2; }
done
for bin in samples/openlive-push/openlive-push samples/openlive-play/openlive-play samples/openlive-mixer/openlive-mixer \
  tests/tools/openlive-test-server tests/bench/openlive-bench-y4m; do
  [[ -x "$BUILD/$bin" ]] || { echo "mix_latency.sh: $BUILD/$bin not built" >&2; exit 2; }
done
Y4M="$BUILD/tests/bench/openlive-bench-y4m"
MIXER="$BUILD/samples/openlive-mixer/openlive-mixer"
# shellcheck source=tests/bench/bench_lib.sh
source "$SRC/tests/bench/bench_lib.sh"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

entry() {  # id layer x y w h [input_type]
  local type=""
  [[ -n "${7:-}" ]] && type=",\"input_type\":$7"
  printf '{"input_stream_id":"%s","layout_params":{"image_layer":%d,"location_x":%d,"location_y":%d,"image_width":%d,"image_height":%d%s}}' \
    "$1" "$2" "$3" "$4" "$5" "$6" "$type"
}
layout() { echo "{\"interface\":{\"interfaceName\":\"Mix_StreamV2\",\"para\":{\"input_stream_list\":[$1]}}}"; }

one_setup() {  # name -> $W/<name>.lat
  local name="$1" out="$W/$1" pids=()
  mkdir -p "$out.d"
  start_nginx "$out.d" $((DUR + 60))
  local play_url="$RTMP_BASE/anchor"
  ( "$Y4M" source --width 640 --height 360 --fps 30 --duration $((DUR + 8)) 2>/dev/null \
      | "$BUILD/samples/openlive-push/openlive-push" "$RTMP_BASE/anchor" --source y4m:- --audio none --mode RTC \
          --width 640 --height 360 > /dev/null 2>"$out.push.err" ) & pids+=($!)
  if [[ "$name" != direct ]]; then
    local list inputs=(--input "anchor=$RTMP_BASE/anchor")
    local extra=()
    if [[ "$name" == mix-alone* ]]; then
      list="$(entry anchor 1 0 0 640 360)"
      [[ "$name" == mix-alone-enc ]] && extra=(--no-relay)
    else
      list="$(entry canvas 1 0 0 640 572 3),$(entry anchor 2 0 0 640 360)"
      local i grey=(0x303030 0x909090 0xE0E0E0)
      for i in 1 2 3; do
        ffmpeg -hide_banner -nostdin -loglevel error -re -f lavfi -i "color=c=${grey[$((i - 1))]}:s=320x480:r=15" \
          -c:v libx264 -preset veryfast -tune zerolatency -g 15 -pix_fmt yuv420p -f flv "$RTMP_BASE/co$i" \
          > /dev/null 2>&1 & pids+=($!)
        list+=",$(entry "co$i" $((i + 2)) $(((i - 1) * 212)) 360 212 212)"
        inputs+=(--input "co$i=$RTMP_BASE/co$i")
      done
    fi
    "$MIXER" --output "$RTMP_BASE/mix" "${inputs[@]}" --merge-params "$(layout "$list")" --fps 30 "${extra[@]}" \
      > "$out.mixer.out" 2>"$out.mixer.err" & pids+=($!)
    play_url="$RTMP_BASE/mix"
  fi
  if [[ "${READER:-openlive}" == ffmpeg ]]; then  # an outside reader: shows each picture as it arrives
    timeout $((DUR + 3)) ffmpeg -nostdin -v error -fflags nobuffer -flags low_delay -i "$play_url" -an \
      -f yuv4mpegpipe -pix_fmt yuv420p - 2>"$out.play.err" | "$Y4M" latency --fps 30 > "$out.lat"
  else
    "$BUILD/samples/openlive-play/openlive-play" "$play_url" --type rtc --video y4m:- --audio null --duration "$DUR" \
      2>"$out.play.err" | "$Y4M" latency --fps 30 > "$out.lat"
  fi
  kill "${pids[@]}" 2>/dev/null
  pkill -P "${pids[0]}" 2>/dev/null
  wait 2>/dev/null
  stop_nginx
}

for setup in ${SETUPS:-direct mix-alone mix-alone-enc mix-pc}; do one_setup "$setup"; done

python3 - "$W" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$DUR" <<'PY'
import datetime, os, statistics, sys
w, load0, load1, dur = sys.argv[1:5]
reader = os.environ.get("READER", "openlive")
reader = "ffmpeg -fflags nobuffer" if reader == "ffmpeg" else "openlive-play rtc"
print(f"Mix latency, {datetime.date.today()} (load average before {load0}, after {load1}), {dur} s each, "
      f"640x360@30 painted clock -> openlive-push RTC -> nginx-rtmp [-> openlive-mixer --fps 30] -> {reader}")
print()
print("| Set-up | p50 ms | p95 ms | pictures | pictures lost |")
print("|---|---|---|---|---|")
p50 = {}
labels = {"direct": "anchor played directly", "mix-alone": "through the mixer, anchor alone (forwarded)",
          "mix-alone-enc": "through the mixer, anchor alone, --no-relay (re-encoded)",
          "mix-pc": "through the mixer, PC layout with 3 co-anchors"}
for name in ("direct", "mix-alone", "mix-alone-enc", "mix-pc"):
    try:
        rows = [l.split() for l in open(f"{w}/{name}.lat") if l.startswith("F ")]
    except OSError:
        continue
    t0 = int(rows[0][1]) if rows else 0
    kept = [r for r in rows if int(r[1]) - t0 > 3000]
    lat = sorted(float(r[2]) for r in kept if float(r[2]) >= 0)
    if not lat:
        print(f"| {labels[name]} | no pictures | | 0 | |")
        continue
    p50[name] = statistics.median(lat)
    print(f"| {labels[name]} | {p50[name]:.1f} | {lat[int(len(lat) * 0.95)]:.1f} | {len(lat)} | "
          f"{sum(int(r[3]) for r in kept)} |")
print()
for name in ("mix-alone", "mix-alone-enc", "mix-pc"):
    if name in p50 and "direct" in p50:
        print(f"- added by the mixer ({labels[name]}): {p50[name] - p50['direct']:.1f} ms at p50")
PY
