#!/usr/bin/env bash
# Runs the same-run comparison benchmarks one after the other (issue 12 items 4-6) and writes each one's markdown
# into docs/BENCHMARKS.md between <!-- same-run-NAME:begin --> / <!-- same-run-NAME:end --> markers (the section
# is replaced when present, appended otherwise), as soon as that benchmark ends, with the date (UTC), nproc and
# the load average before and after it:
#   latency-pairs     tests/bench/latency_pairs.sh BUILD 12      glass-to-glass latency, the four pairings
#   player-cpu        tests/bench/player_cpu.sh BUILD 10         openlive-play vs ffplay / ffmpeg CPU
#   pusher-cpu-live   tests/bench/pusher_cpu_live.sh BUILD 10    openlive-push vs ffmpeg CPU, live source
#   players-scaling   tests/bench/players_scaling.sh BUILD 8     N players in one process vs N ffmpeg
#   mixer-cpu         tests/bench/mixer_cpu.sh BUILD 10          openlive-mixer vs ffmpeg's libavfilter, 2 layouts
#   mix-latency       tests/bench/mix_latency.sh BUILD 12        what the mixer adds to glass-to-glass latency
#   room-join         tests/bench/room_join.sh BUILD 5           a co-anchor's join to its picture in the mix
#   live-recovery     tests/bench/live_recovery.sh BUILD         live mode after stalls and a cap, vs its targets
#                     (it also rewrites the network section's clean/stalls/stall2s/cap tables and plots)
# The hand-written sections (latency-pairs, pusher-cpu, ...) are left as they are. A benchmark that fails gets
# a section saying so (exit status and the end of its stderr); the others still run. Takes ~15 min on 2 cores.
#
# Usage: tests/bench/run_all.sh [BUILD_DIR]
#   ONLY="player-cpu players-scaling" runs only those; DOC=path writes elsewhere (default docs/BENCHMARKS.md).
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$SRC/build/default}"
DOC="${DOC:-$SRC/docs/BENCHMARKS.md}"
ONLY="${ONLY:-latency-pairs player-cpu pusher-cpu-live players-scaling live-recovery mixer-cpu mix-latency room-join}"
for tool in python3 nproc date; do
  command -v "$tool" >/dev/null || { echo "run_all.sh: $tool not installed" >&2; exit 2; }
done
[[ -d "$BUILD" ]] || { echo "run_all.sh: no build directory $BUILD" >&2; exit 2; }
W="$(mktemp -d /tmp/ol-runall.XXXXXX)"
trap 'rm -rf "$W"' EXIT

declare -A SCRIPT=([latency-pairs]=latency_pairs.sh [player-cpu]=player_cpu.sh
                   [pusher-cpu-live]=pusher_cpu_live.sh [players-scaling]=players_scaling.sh
                   [mixer-cpu]=mixer_cpu.sh [mix-latency]=mix_latency.sh [room-join]=room_join.sh
                   [live-recovery]=live_recovery.sh)
declare -A SECS=([latency-pairs]=12 [player-cpu]=10 [pusher-cpu-live]=10 [players-scaling]=8 [mixer-cpu]=10 [mix-latency]=12 [room-join]=5
                 [live-recovery]=0)
declare -A TITLE=(
  [latency-pairs]="Same run: glass-to-glass latency, the four push/play pairings"
  [player-cpu]="Same run: player CPU, openlive-play vs ffplay (window) and ffmpeg (headless)"
  [pusher-cpu-live]="Same run: pusher CPU from a live source, openlive-push vs ffmpeg"
  [players-scaling]="Same run: many players, N OpenLive players in one process vs N ffmpeg processes"
  [mixer-cpu]="Same run: the mixer, openlive-mixer vs the ffmpeg CLI (libavfilter) composing the same inputs"
  [mix-latency]="Same run: what openlive-mixer adds to glass-to-glass latency (outside painted clock)"
  [room-join]="A co-anchor's join to its picture in the room's mix"
  [live-recovery]="Same run: live mode after stalls and a bandwidth cap, against its targets")

# write_section NAME FILE : puts FILE's text between NAME's markers in $DOC.
write_section() {
  python3 - "$DOC" "$1" "$2" <<'PY'
import re, sys
path, name, body = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().strip()
section = f"<!-- {name}:begin -->\n{body}\n<!-- {name}:end -->\n"
try:
    doc = open(path).read()
except FileNotFoundError:
    doc = "# Benchmarks\n"
pat = re.compile(rf"<!-- {re.escape(name)}:begin -->.*?<!-- {re.escape(name)}:end -->\n?", re.S)
doc = pat.sub(lambda _: section, doc, count=1) if pat.search(doc) else doc.rstrip("\n") + "\n\n" + section
open(path, "w").write(doc)
PY
}

run_one() {  # NAME
  local name="$1" script="${SCRIPT[$1]}" secs="${SECS[$1]}" rc=0 when load0 load1
  when="$(date -u '+%Y-%m-%d %H:%M UTC')"
  load0="$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "run_all.sh: $name ($when) ..." >&2
  set +e  # stdout to the section, stderr both to the terminal and kept for a failure report
  "$SRC/tests/bench/$script" "$BUILD" "$secs" 2>&1 >"$W/$name.out" | tee "$W/$name.err" >&2
  rc=${PIPESTATUS[0]}
  set -e
  load1="$(cut -d' ' -f1-3 /proc/loadavg)"
  {
    echo "## ${TITLE[$name]}"
    echo
    echo "\`tests/bench/$script $(realpath --relative-to="$SRC" "$BUILD") $secs\`" \
      "(run by \`tests/bench/run_all.sh\`)," \
      "$when, nproc $(nproc), niceness $(nice), load average (1/5/15 min) before $load0, after $load1."
    echo
    if [[ $rc -eq 0 ]]; then
      cat "$W/$name.out"
    else
      echo "**Failed** (exit status $rc). End of its stderr:"
      echo
      echo '```'
      tail -8 "$W/$name.err"
      echo '```'
    fi
  } >"$W/$name.md"
  write_section "same-run-$name" "$W/$name.md"
  echo "run_all.sh: $name done (exit $rc), written to $DOC" >&2
}

for name in $ONLY; do
  [[ -n "${SCRIPT[$name]:-}" ]] || { echo "run_all.sh: unknown benchmark $name" >&2; exit 2; }
  run_one "$name"
done
