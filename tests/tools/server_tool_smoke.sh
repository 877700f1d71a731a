#!/usr/bin/env bash
# Shell-level smoke test of openlive-test-server: start a server, publish 2 s with the ffmpeg CLI, read
# it back with ffprobe, stop the tool by closing its stdin and check the server is gone.
# Usage: server_tool_smoke.sh <path/to/openlive-test-server> nginx|nms      Exit 77 = skipped.
# A missing tool or server skips (exit 77), or fails when OPENLIVE_REQUIRE_FIXTURES=1 (as tests/fixtures/require.h).
set -euo pipefail
tool=$1
kind=$2
need_failed() {  # reason
  if [[ ${OPENLIVE_REQUIRE_FIXTURES:-} == 1 ]]; then echo "FAIL: missing fixture (OPENLIVE_REQUIRE_FIXTURES=1): $1"; exit 1; fi
  echo "SKIP: $1"; exit 77
}
for t in ffmpeg ffprobe; do command -v "$t" >/dev/null || need_failed "$t not installed"; done

coproc SRV { exec "$tool" --kind "$kind" --print-env --max-seconds 60; }
srv_pid=$SRV_PID
READY=0
while IFS= read -r -t 10 line <&"${SRV[0]}"; do
  [[ $line =~ ^[A-Z_]+=.*$ ]] || continue
  declare "$line"
  [[ $line == READY=1 ]] && break
done
if [[ $READY != 1 ]]; then
  rc=0; wait "$srv_pid" || rc=$?
  if [[ $rc == 2 ]]; then need_failed "$kind not available"; fi
  echo "FAIL: openlive-test-server did not report READY (exit $rc)"; exit 1
fi
echo "server $SERVER_NAME pid $SERVER_PID rtmp $RTMP_PORT http $HTTP_PORT"

# Publishes until both readers are done (then stopped), not for a guessed time: on a loaded machine ffmpeg can
# take seconds to start.
ffmpeg -hide_banner -nostdin -loglevel error -re -f lavfi -i testsrc=size=320x240:rate=25 \
  -f lavfi -i sine=frequency=1000:sample_rate=48000 -t 30 -c:v libx264 -preset veryfast -tune zerolatency \
  -g 25 -pix_fmt yuv420p -c:a aac -f flv "$RTMP_BASE/shell" &
push_pid=$!

probe() {  # url -> succeeds when both tracks were read; retried until the stream exists (10 s budget)
  local out="" end=$((SECONDS + 10))
  while ((SECONDS < end)); do
    out=$(timeout 3 ffprobe -v error -read_intervals %+0.8 -show_entries stream=codec_name -of csv=p=0 "$1" \
          2>/dev/null | sort | tr '\n' ' ') || true
    if [[ $out == *aac*h264* ]]; then echo "ok: $1"; return 0; fi
    sleep 0.1  # retry pacing: nothing tells us when the stream appears
  done
  echo "FAIL: $1 gave '$out'"; return 1
}
# Both players at once, while the publish is live.
probe "$RTMP_BASE/shell" & p1=$!
p2=""
if [[ -n $HTTP_FLV_BASE ]]; then probe "$HTTP_FLV_BASE/shell.flv" & p2=$!; fi
rc=0
wait "$p1" || rc=1
if [[ -n $p2 ]]; then wait "$p2" || rc=1; fi
kill "$push_pid" 2>/dev/null || true
wait "$push_pid" 2>/dev/null || true
[[ $rc == 0 ]] || exit 1

exec {SRV[1]}>&-   # stdin EOF: the tool stops the server and exits
rc=0; wait "$srv_pid" || rc=$?
[[ $rc == 0 ]] || { echo "FAIL: tool exit code $rc"; exit 1; }
if kill -0 "$SERVER_PID" 2>/dev/null; then echo "FAIL: server $SERVER_PID still running"; exit 1; fi
if (exec 3<>"/dev/tcp/127.0.0.1/$RTMP_PORT") 2>/dev/null; then echo "FAIL: port $RTMP_PORT still accepts"; exit 1; fi
echo "PASS"
