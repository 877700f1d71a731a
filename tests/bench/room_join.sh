#!/usr/bin/env bash
# A co-anchor's join to its picture in the room's mix (issue 14): runs openlive-bench-room-join (see its header:
# real nginx-rtmp + openlive-roomd --mixer + LiveRoom members; viewers in RTC mode and as the audience) for
# ROUNDS joins and prints its markdown table with the date and the machine's load.
# Usage: tests/bench/room_join.sh [BUILD_DIR] [ROUNDS]   (defaults: build/default, 5)
set -uo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$SRC/build/default}"
BIN="$BUILD/tests/bench/openlive-bench-room-join"
if [[ ! -x "$BIN" ]]; then  # not in the default build ("all"): built here
  cmake --build "$BUILD" --target openlive-bench-room-join >&2 || { echo "room_join.sh: cannot build $BIN" >&2; exit 2; }
fi
load0="$(cut -d' ' -f1-3 /proc/loadavg)"
out="$(OPENLIVE_BENCH_JOINS="${2:-5}" "$BIN" 2>&1)"; rc=$?
if [[ $rc -ne 0 ]]; then echo "$out" | tail -30 >&2; exit "$rc"; fi
echo "Room joins, $(date -u +%F) (load average before $load0, after $(cut -d' ' -f1-3 /proc/loadavg))"
echo "$out" | sed -n '/^Co-anchor joins/,/^| audience/p'
