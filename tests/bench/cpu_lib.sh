# shellcheck shell=bash
# Shared by player_cpu.sh, pusher_cpu_live.sh and players_scaling.sh (sourced after bench_lib.sh; needs $BUILD
# and a scratch folder). Nothing here sleeps to synchronise: readiness is read from FIFOs or from a blocking
# probe of the stream; the only timed waits are the measurement windows themselves.

# require_tools SCRIPT TOOL... : exits 2 with a clear message when one is missing.
require_tools() {
  local who="$1" tool
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$who: $tool not installed" >&2; exit 2; }
  done
}

# require_built SCRIPT PATH... (relative to $BUILD): exits 2 when one is not built.
require_built() {
  local who="$1" bin
  shift
  for bin in "$@"; do
    [[ -x "$BUILD/$bin" ]] || { echo "$who: $BUILD/$bin not built" >&2; exit 2; }
  done
}

# make_clip OUT WxH SECONDS : an H.264 FLV clip of testsrc2 at 30 fps (x264 veryfast, GOP 1 s, 2 B-frames), so
# the publisher only copies packets (-c copy) and costs next to no CPU beside the players being measured.
make_clip() {
  local out="$1" size="$2" secs="$3" kbps="${4:-2500}"
  ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i "testsrc2=size=$size:rate=30" -t "$secs" \
    -c:v libx264 -preset veryfast -g 30 -keyint_min 30 -bf 2 -b:v "${kbps}k" -maxrate "${kbps}k" \
    -bufsize "$((kbps * 2))k" -pix_fmt yuv420p -f flv "$out"
}

# start_publisher CLIP URL [PROGRESS] : publishes CLIP in a loop at its own rate (-re, -c copy); returns when a
# player can see the stream (ffprobe blocks on the URL until nginx has it). Sets BENCH_PUB_PID. PROGRESS: file
# for the publisher's -progress output (pub_frames reads it), to check that the source kept its 30 fps.
start_publisher() {
  local clip="$1" url="$2" progress="${3:-/dev/null}"
  ffmpeg -nostdin -hide_banner -loglevel error -re -stream_loop -1 -i "$clip" -c copy -stats_period 0.1 \
    -progress "$progress" -f flv "$url" </dev/null >/dev/null 2>&1 &
  BENCH_PUB_PID=$!
  timeout 30 ffprobe -v error -select_streams v:0 -show_entries stream=width -of csv=p=0 "$url" >/dev/null || {
    echo "publisher: $url did not come up within 30 s" >&2; return 1; }
}

# pub_frames PROGRESS : "frames wall_seconds" - frames the publisher has sent so far, and now.
pub_frames() {
  local n
  n="$(grep '^frame=' "$1" | tail -1 | cut -d= -f2)"
  printf '%s %s\n' "${n:-0}" "$EPOCHREALTIME"
}

stop_publisher() {
  [[ -n "${BENCH_PUB_PID:-}" ]] || return 0
  kill "$BENCH_PUB_PID" 2>/dev/null || true
  wait "$BENCH_PUB_PID" 2>/dev/null || true
  BENCH_PUB_PID=""
}

# start_xvfb DIR WxHxD : starts Xvfb on a free display number, learnt from -displayfd through a FIFO (the line
# is written once the server accepts clients). Sets XVFB_PID and exports DISPLAY.
start_xvfb() {
  local dir="$1" screen="$2" num=""
  mkfifo "$dir/xvfb.fd"
  Xvfb -displayfd 3 -screen 0 "$screen" -nolisten tcp -noreset 3>"$dir/xvfb.fd" </dev/null \
    >"$dir/xvfb.log" 2>&1 &
  XVFB_PID=$!
  read -r -t 30 num <"$dir/xvfb.fd" || true
  [[ -n "$num" ]] || { echo "Xvfb did not start:" >&2; tail -5 "$dir/xvfb.log" >&2; return 1; }
  export DISPLAY=":$num"
}

stop_xvfb() {
  [[ -n "${XVFB_PID:-}" ]] || return 0
  kill "$XVFB_PID" 2>/dev/null || true
  wait "$XVFB_PID" 2>/dev/null || true
  XVFB_PID=""
}

# proc_ticks PID : user + system clock ticks used so far by PID (0 when it is gone).
proc_ticks() {
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# cpu_run OUT CMD... : runs CMD under GNU time; OUT gets "wall user sys maxrss_kb" (the last line of time's
# output: a non-zero exit adds a line before it). Exit statuses 0, 124 (timeout ended it) and 123 (ffplay's
# SIGINT exit) count as success; anything else prints the command's stderr tail and fails.
cpu_run() {
  local out="$1" rc=0
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$out.time" "$@" >"$out.stdout" 2>"$out.stderr" || rc=$?
  tail -1 "$out.time" >"$out"
  if [[ $rc -ne 0 && $rc -ne 124 && $rc -ne 123 ]]; then
    echo "command failed (exit $rc): $*" >&2
    tail -5 "$out.stderr" >&2
    return 1
  fi
}

# cpu_of OUT : user + system seconds from a cpu_run result.
cpu_of() { awk '{ printf "%.2f", $2 + $3 }' "$1"; }
