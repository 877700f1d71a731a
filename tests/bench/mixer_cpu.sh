#!/usr/bin/env bash
# The mixer's CPU (issue 14), same run: openlive-mixer (the SDK's RTC players, its own I420 compositor, a
# LivePusher) against the ffmpeg CLI composing the same four inputs with libavfilter (scale + crop + overlay,
# amix) and the same encoders (libx264 veryfast zerolatency at the same rate and bitrate, AAC 48 kHz stereo), one
# layout at a time:
#   mobile  canvas 540x960: the anchor (540x960 testsrc2) as background, three co-anchors (320x480) in 160x240
#           windows at x = 380, y = 630 / 390 / 150 (rooms.md section 5)
#   pc      canvas 1280x1146 (1280 x (720 + 1280/3)): the anchor (1280x720) as background, cropped to fill; three
#           426x426 co-anchor squares in a row at y = 720, centre-cropped
#   alone   the anchor (540x960) alone, mixing off: openlive-mixer forwards its H.264 (and mixes and encodes the
#           sound), the ffmpeg CLI does the same job with `-c:v copy` and AAC
#   alone-enc  the same with `openlive-mixer --no-relay` against the ffmpeg CLI decoding and re-encoding the anchor
#   alone-copy the anchor alone with its AAC at 48 kHz mono (the mixer's default output sound): openlive-mixer
#           forwards its H.264 and its AAC, the ffmpeg CLI does the same job with `-c copy`
# (openlive-mixer runs with --audio-channels 2 in the other layouts: the same stereo sound as the ffmpeg CLI's)
# Inputs: pre-encoded 15 fps clips with a tone each (x264 + AAC 44.1 kHz) published in a loop (-re -c copy) to a
# loopback nginx-rtmp; both mixers publish their output to it. CPU = user + system of the mixer process over
# SECS seconds that start WARM seconds after it (tests/bench/cpu_window.py: the ffmpeg CLI probes its inputs
# first); RUNS alternating runs, the median. Output pictures per second over the whole run, from each one's own
# count (openlive-mixer's stats line, ffmpeg's -progress). Prints a markdown section on stdout.
#
# Usage: tests/bench/mixer_cpu.sh [BUILD_DIR] [SECONDS]   (defaults build/default, 10; WARM=10, RUNS=2, FPS=15,
#        LAYOUTS="alone alone-enc alone-copy mobile pc")
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$SRC/build/default}"
SECS="${2:-10}"
WARM="${WARM:-10}"
RUNS="${RUNS:-2}"
FPS="${FPS:-15}"
LAYOUTS="${LAYOUTS:-alone alone-enc alone-copy mobile pc}"
# shellcheck source=tests/bench/bench_lib.sh
source "$SRC/tests/bench/bench_lib.sh"
# shellcheck source=tests/bench/cpu_lib.sh
source "$SRC/tests/bench/cpu_lib.sh"
require_tools mixer_cpu.sh ffmpeg ffprobe python3
require_built mixer_cpu.sh samples/openlive-mixer/openlive-mixer tests/tools/openlive-test-server
MIXER="$BUILD/samples/openlive-mixer/openlive-mixer"
WINDOW="$SRC/tests/bench/cpu_window.py"

W="$(mktemp -d /tmp/ol-mixcpu.XXXXXX)"
NGINX_UP=0
PUB_PIDS=()
cleanup() {
  set +e
  for p in "${PUB_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  if [[ $NGINX_UP -eq 1 ]]; then stop_nginx; fi
  rm -rf "$W"
}
trap cleanup EXIT

clip() {  # OUT SIZE TONE_HZ [RATE]
  ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i "testsrc2=size=$2:rate=$FPS" \
    -f lavfi -i "sine=frequency=$3:sample_rate=${4:-44100}" -t 10 -c:v libx264 -preset veryfast -tune zerolatency \
    -g "$FPS" -pix_fmt yuv420p -b:v 1000k -c:a aac -b:a 64k -f flv "$1"
}
publish() {  # CLIP STREAM
  ffmpeg -nostdin -hide_banner -loglevel error -re -stream_loop -1 -i "$1" -c copy -f flv "$RTMP_BASE/$2" \
    </dev/null >/dev/null 2>&1 &
  PUB_PIDS+=($!)
  timeout 30 ffprobe -v error -show_entries stream=codec_type -of csv=p=0 "$RTMP_BASE/$2" >/dev/null || {
    echo "mixer_cpu.sh: $2 did not come up" >&2; exit 1; }
}

echo "mixer_cpu.sh: encoding the clips ..." >&2
clip "$W/anchor-mobile.flv" 540x960 440
clip "$W/anchor-pc.flv" 1280x720 440
clip "$W/anchor-mono48.flv" 540x960 440 48000
for i in 1 2 3; do clip "$W/co$i.flv" 320x480 $((440 + 220 * i)); done
start_nginx "$W" $((RUNS * 2 * $(wc -w <<<"$LAYOUTS") * (WARM + SECS + 10) + 120))
NGINX_UP=1
for s in anchor-mobile anchor-pc anchor-mono48 co1 co2 co3; do publish "$W/$s.flv" "$s"; done

# layout NAME -> the mergeParams JSON and the ffmpeg filter graph of the same composition
layout_json() {
  python3 - "$1" <<'PY'
import json, sys
def inp(i, layer, x, y, w, h, crop=None):
    d = {"input_stream_id": i, "layout_params": {"image_layer": layer, "image_width": w, "image_height": h,
                                                  "location_x": x, "location_y": y}}
    if crop: d["crop_params"] = dict(zip(("crop_x", "crop_y", "crop_width", "crop_height"), crop))
    return d
if sys.argv[1].startswith("alone"):
    ins = [inp("anchor-mono48" if sys.argv[1] == "alone-copy" else "anchor-mobile", 1, 0, 0, 540, 960)]
elif sys.argv[1] == "mobile":
    ins = [inp("anchor-mobile", 1, 0, 0, 540, 960)] + [inp(f"co{k}", k + 1, 380, 630 - 240 * (k - 1), 160, 240)
                                                       for k in (1, 2, 3)]
else:
    ins = [inp("anchor-pc", 1, 0, 0, 1280, 1146)] + [inp(f"co{k}", k + 1, 426 * (k - 1), 720, 426, 426,
                                                         (0, 80, 320, 320)) for k in (1, 2, 3)]
print(json.dumps({"interface": {"para": {"input_stream_list": ins}}}))
PY
}
ffmpeg_graph() {
  local v a="[0:a][1:a][2:a][3:a]amix=inputs=4:normalize=0,aresample=48000[a]"
  if [[ "$1" == mobile ]]; then
    v="[0:v]scale=540:960[bg];[1:v]scale=160:240[v1];[2:v]scale=160:240[v2];[3:v]scale=160:240[v3];"
    v+="[bg][v1]overlay=380:630[o1];[o1][v2]overlay=380:390[o2];[o2][v3]overlay=380:150,fps=$FPS[v]"
  else
    v="[0:v]scale=2038:1146,crop=1280:1146[bg];"
    for k in 1 2 3; do v+="[$k:v]crop=320:320:0:80,scale=426:426[v$k];"; done
    v+="[bg][v1]overlay=0:720[o1];[o1][v2]overlay=426:720[o2];[o2][v3]overlay=852:720,fps=$FPS[v]"
  fi
  echo "$v;$a"
}
canvas() { [[ "$1" == pc ]] && echo "1280 1146" || echo "540 960"; }
kbps() { read -r w h <<<"$(canvas "$1")"; echo $(( w * h * FPS / 10000 )); }

run() {  # who layout run
  local out="$W/$1-$2-$3" anchor="anchor-$2" k
  k="$(kbps "$2")"
  [[ "$2" == alone* ]] && anchor=anchor-mobile
  [[ "$2" == alone-copy ]] && anchor=anchor-mono48
  if [[ "$1" == ours ]]; then
    local extra=(--audio-channels 2)
    [[ "$2" == alone-enc ]] && extra+=(--no-relay)
    [[ "$2" == alone-copy ]] && extra=(--audio-channels 1)
    "$WINDOW" "$WARM" "$SECS" "$out" -- "$MIXER" --output "$RTMP_BASE/mix-$1-$2-$3" \
      --input "$anchor=$RTMP_BASE/$anchor" --input "co1=$RTMP_BASE/co1" --input "co2=$RTMP_BASE/co2" \
      --input "co3=$RTMP_BASE/co3" --merge-params "$(layout_json "$2")" --fps "$FPS" --bitrate "$k" --json "${extra[@]}"
  elif [[ "$2" == alone-copy ]]; then
    "$WINDOW" "$WARM" "$SECS" "$out" --progress "$out.progress" -- ffmpeg -nostdin -hide_banner -loglevel error \
      -analyzeduration 1000000 -probesize 500000 -i "$RTMP_BASE/$anchor" -c copy -progress "$out.progress" -f flv \
      "$RTMP_BASE/mix-$1-$2-$3"
  elif [[ "$2" == alone* ]]; then
    local video=(-c:v copy)
    [[ "$2" == alone-enc ]] && video=(-vf "fps=$FPS" -c:v libx264 -preset veryfast -tune zerolatency -g $((2 * FPS))
                                      -b:v "${k}k" -maxrate "${k}k" -bufsize "$((k / 2))k")
    "$WINDOW" "$WARM" "$SECS" "$out" --progress "$out.progress" -- ffmpeg -nostdin -hide_banner -loglevel error \
      -analyzeduration 1000000 -probesize 500000 -i "$RTMP_BASE/$anchor" "${video[@]}" -c:a aac -b:a 128k -ar 48000 \
      -ac 2 -progress "$out.progress" -f flv "$RTMP_BASE/mix-$1-$2-$3"
  else
    local ins=() s
    for s in "$anchor" co1 co2 co3; do ins+=(-analyzeduration 1000000 -probesize 500000 -i "$RTMP_BASE/$s"); done
    "$WINDOW" "$WARM" "$SECS" "$out" --progress "$out.progress" -- ffmpeg -nostdin -hide_banner -loglevel error \
      "${ins[@]}" -filter_complex "$(ffmpeg_graph "$2")" -map "[v]" -map "[a]" -c:v libx264 -preset veryfast \
      -tune zerolatency -g $((2 * FPS)) -b:v "${k}k" -maxrate "${k}k" -bufsize "$((k / 2))k" -c:a aac -b:a 128k \
      -ar 48000 -ac 2 -progress "$out.progress" -f flv "$RTMP_BASE/mix-$1-$2-$3"
  fi
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$RUNS"); do
  order="ours theirs"
  (( i % 2 == 0 )) && order="theirs ours"
  for l in $LAYOUTS; do
    for who in $order; do run "$who" "$l" "$i"; done
    echo "mixer_cpu.sh: run $i: $l $(cut -d' ' -f1 "$W/ours-$l-$i") vs $(cut -d' ' -f1 "$W/theirs-$l-$i") s" >&2
  done
done

python3 - "$W" "$RUNS" "$SECS" "$WARM" "$FPS" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$LAYOUTS" <<'PY'
import json, statistics, sys
w, runs, secs, warm, fps, load0, load1 = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), \
    int(sys.argv[5]), sys.argv[6], sys.argv[7]
layouts = sys.argv[8].split()
med = statistics.median
def result(path):
    win, total, rss, _, _, _ = open(path).read().split()
    return float(win), int(rss) / 1024
def pictures(who, lay, i):  # output pictures over the whole run, by the mixer's own count
    p = f"{w}/{who}-{lay}-{i}"
    if who == "ours":
        for line in open(p + ".stdout"):
            try:
                j = json.loads(line)
            except ValueError:
                continue
            if j.get("type") == "stats":
                return j["pictures"] + j.get("relayed", 0)
        return 0
    frames = [int(l.split("=")[1]) for l in open(p + ".progress") if l.startswith("frame=")]
    return frames[-1] if frames else 0
print(f"Inputs: anchor + 3 co-anchors at {fps} fps with a tone each, published in a loop to a loopback nginx-rtmp; "
      f"output H.264 (veryfast, zerolatency) at {fps} fps + AAC 48 kHz stereo to the same server. CPU over {secs:.0f} s "
      f"starting {warm:.0f} s after the start, median of {runs} alternating runs. Load average before {load0}, after {load1}.\n")
print("| Layout (canvas) | openlive-mixer CPU s | ffmpeg CLI (libavfilter) CPU s | ratio | peak RSS MB ours / ffmpeg | output pictures ours / ffmpeg |")
print("|---|---|---|---|---|---|")
names = {"alone": "anchor alone, forwarded (ffmpeg: -c:v copy), 540x960",
         "alone-enc": "anchor alone, re-encoded (--no-relay; ffmpeg: libx264), 540x960",
         "alone-copy": "anchor alone with 48 kHz mono AAC, picture and sound forwarded (ffmpeg: -c copy), 540x960",
         "mobile": "mobile, 540x960", "pc": "PC, 1280x1146"}
for lay in layouts:
    name = names[lay]
    o = [result(f"{w}/ours-{lay}-{i}") for i in range(1, runs + 1)]
    t = [result(f"{w}/theirs-{lay}-{i}") for i in range(1, runs + 1)]
    oc, tc = med(x[0] for x in o), med(x[0] for x in t)
    po = med(pictures("ours", lay, i) for i in range(1, runs + 1))
    pt = med(pictures("theirs", lay, i) for i in range(1, runs + 1))
    print(f"| {name} | {oc:.2f} | {tc:.2f} | {oc / tc:.3f} | {max(x[1] for x in o):.0f} / {max(x[1] for x in t):.0f} "
          f"| {po:.0f} / {pt:.0f} |")
print(f"\nRuns (CPU s, ours vs ffmpeg): " + "; ".join(
    f"{lay} " + " / ".join(f"{result(f'{w}/ours-{lay}-{i}')[0]:.2f} vs {result(f'{w}/theirs-{lay}-{i}')[0]:.2f}"
                          for i in range(1, runs + 1)) for lay in layouts))
PY
